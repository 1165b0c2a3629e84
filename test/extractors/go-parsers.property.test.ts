import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { goMod } from '../../src/extractors/go/go-mod.js';
import { goSum } from '../../src/extractors/go/go-sum.js';
import { goImports } from '../../src/extractors/go/imports.js';
import { extractShellCommands } from '../../src/extractors/shell/index.js';
import { fixturePath, testContext } from '../helpers.js';
import { itNeverThrows, type PropertySubject } from '../property.js';

beforeAll(async () => {
  await goImports.init?.();
});

const read = (...parts: string[]) => readFileSync(fixturePath('extractors', ...parts), 'utf8');

const SUBJECTS: PropertySubject[] = [
  {
    extractor: goMod,
    filename: 'go.mod',
    samples: [read('go-mod/basic/go.mod'), read('go-mod/broken/go.mod')],
    tokens: ['(', ')', '\n', '"', '`', '//', '=>', ' v1.2.3', 'require ', 'replace ', '[', ','],
  },
  {
    extractor: goSum,
    filename: 'go.sum',
    samples: [read('go-sum/basic/go.sum'), read('go-sum/broken/go.sum')],
    tokens: ['\n', ' ', '/go.mod', ' h1:', 'v', '@'],
  },
  {
    extractor: goImports,
    filename: 'main.go',
    samples: [read('go-imports/basic/main.go'), read('go-imports/broken/main.go')],
    tokens: ['(', ')', '{', '}', '"', '`', '\n', 'import ', '_ ', '.', '/'],
  },
];

/** Module paths with a dot in the first element: never the standard library. */
const modulePath = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9-]{0,8}\.(?:com|org|io)$/),
    fc.array(fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}(?:\.[a-z0-9]{1,3})?$/), { maxLength: 3 }),
  )
  .map(([host, rest]) => [host, ...rest].join('/'));
const goVersion = fc
  .tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.boolean())
  .map(([a, b, c, pseudo]) => `v${a}.${b}.${c}${pseudo ? '-0.20240101120000-abcdef123456' : ''}`);

describe('Go parsers: properties', () => {
  for (const subject of SUBJECTS) itNeverThrows(subject);
});

describe('go/go-mod: generated files', () => {
  it('reports every requirement, in single lines and blocks, with its version and line', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(modulePath, goVersion, fc.boolean(), fc.boolean()), {
          selector: ([path]) => path,
          maxLength: 8,
        }),
        (requires) => {
          const lines = ['module example.com/generated', '', 'go 1.22', ''];
          const expected: string[] = [];
          const block = requires.filter(([, , inBlock]) => inBlock);
          for (const [path, version, inBlock, indirect] of requires) {
            if (inBlock) continue;
            lines.push(`require ${path} ${version}${indirect ? ' // indirect' : ''}`);
            expected.push(`${lines.length} ${path}@${version}${indirect ? ' indirect' : ''}`);
          }
          if (block.length > 0) {
            lines.push('require (');
            for (const [path, version, , indirect] of block) {
              lines.push(`\t${path} ${version}${indirect ? ' // indirect' : ''}`);
              expected.push(`${lines.length} ${path}@${version}${indirect ? ' indirect' : ''}`);
            }
            lines.push(')');
          }
          const out = goMod.extract({ path: 'go.mod', text: lines.join('\n') }, testContext());
          expect(out.errors).toEqual([]);
          expect(
            out.refs.map(
              (r) =>
                `${r.location.line} ${r.name}@${r.version}${r.groups?.includes('indirect') ? ' indirect' : ''}`,
            ),
          ).toEqual(expected);
        },
      ),
    );
  });
});

describe('go/go-sum: generated files', () => {
  it('locks each module version once, and never one listed only for its go.mod', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(modulePath, goVersion, fc.boolean()), { maxLength: 10 }), (entries) => {
        const text = entries
          .map(([path, version, modOnly]) => `${path} ${version}${modOnly ? '/go.mod' : ''} h1:abc=`)
          .join('\n');
        const out = goSum.extract({ path: 'go.sum', text }, testContext());
        expect(out.errors).toEqual([]);
        const expected = [
          ...new Set(entries.filter(([, , modOnly]) => !modOnly).map(([p, v]) => `${p}@${v}`)),
        ];
        expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual(expected);
      }),
    );
  });
});

describe('go/imports: generated files', () => {
  it('reports exactly the imports whose first element has a dot', () => {
    const stdlib = fc.constantFrom('fmt', 'net/http', 'encoding/json', 'C', 'myapp/internal');
    fc.assert(
      fc.property(fc.array(fc.oneof(modulePath, stdlib), { minLength: 1, maxLength: 8 }), (paths) => {
        const text = `package main\n\nimport (\n${paths.map((p) => `\t"${p}"`).join('\n')}\n)\n`;
        const out = goImports.extract({ path: 'main.go', text }, testContext());
        expect(out.errors).toEqual([]);
        expect(out.refs.map((r) => r.name)).toEqual(paths.filter((p) => p.split('/')[0]!.includes('.')));
      }),
    );
  });
});

describe('shell: go commands', () => {
  it('reads `go get path@version` for any module path and version', () => {
    fc.assert(
      fc.property(modulePath, goVersion, (path, version) => {
        const out = extractShellCommands(`go get ${path}@${version}`, 'x.sh');
        expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual([`${path}@${version}`]);
      }),
    );
  });
});
