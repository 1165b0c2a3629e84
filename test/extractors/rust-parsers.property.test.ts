import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { cargoLock } from '../../src/extractors/rust/cargo-lock.js';
import { cargoToml } from '../../src/extractors/rust/cargo-toml.js';
import { rustImports } from '../../src/extractors/rust/imports.js';
import { extractShellCommands } from '../../src/extractors/shell/index.js';
import { fixturePath, testContext } from '../helpers.js';
import { itNeverThrows, type PropertySubject } from '../property.js';

beforeAll(async () => {
  await rustImports.init?.();
});

const read = (...parts: string[]) => readFileSync(fixturePath('extractors', ...parts), 'utf8');

const SUBJECTS: PropertySubject[] = [
  {
    extractor: cargoToml,
    filename: 'Cargo.toml',
    samples: [read('rust-cargo-toml/basic/Cargo.toml'), read('rust-cargo-toml/workspace/Cargo.toml')],
    tokens: ['[', ']', '{', '}', '"', "'", '=', ',', '\n', '.', 'workspace = true', 'git = ', '#'],
  },
  {
    extractor: cargoLock,
    filename: 'Cargo.lock',
    samples: [read('rust-cargo-lock/basic/Cargo.lock')],
    tokens: ['[[package]]\n', '[', ']', '"', '=', ',', '\n', 'source = "git+', '#'],
  },
  {
    extractor: rustImports,
    filename: 'main.rs',
    samples: [read('rust-imports/basic/main.rs'), read('rust-imports/broken/main.rs')],
    tokens: ['use ', '::', '{', '}', ';', 'as ', 'extern crate ', 'mod ', 'r#', '"', '//', '\n', 'self'],
  },
];

/** Crate names that are not keywords, std crates or `test`. */
const crateName = fc
  .stringMatching(/^[a-z][a-z0-9_-]{0,10}$/)
  .filter((n) => !['std', 'core', 'alloc', 'test', 'proc_macro', 'crate', 'self', 'super'].includes(n));
const requirement = fc.oneof(
  fc.tuple(fc.nat(9), fc.nat(9)).map(([a, b]) => `${a}.${b}`),
  fc.tuple(fc.nat(9), fc.nat(9), fc.nat(9)).map(([a, b, c]) => `=${a}.${b}.${c}`),
  fc.constantFrom('*', '>=1, <2', '~0.4'),
);

describe('Rust parsers: properties', () => {
  for (const subject of SUBJECTS) itNeverThrows(subject);
});

describe('rust/cargo-toml: generated manifests', () => {
  it('keeps each requirement as written, with its line; only `=x.y.z` is a version', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(crateName, requirement, fc.boolean()), {
          selector: ([n]) => n,
          maxLength: 8,
        }),
        (deps) => {
          const lines = ['[package]', 'name = "generated"', '', '[dependencies]'];
          const expected: string[] = [];
          for (const [name, req, asTable] of deps) {
            lines.push(asTable ? `${name} = { version = "${req}" }` : `${name} = "${req}"`);
            const exact = /^=(\d+\.\d+\.\d+)$/.exec(req)?.[1];
            expected.push(`${lines.length} ${name} ${exact ? `version ${exact}` : `spec ${req}`}`);
          }
          const out = cargoToml.extract({ path: 'Cargo.toml', text: lines.join('\n') }, testContext());
          expect(out.errors).toEqual([]);
          expect(
            out.refs.map(
              (r) => `${r.location.line} ${r.name} ${r.version ? `version ${r.version}` : `spec ${r.spec}`}`,
            ),
          ).toEqual(expected);
        },
      ),
    );
  });
});

describe('rust/cargo-lock: generated lockfiles', () => {
  it('locks every package at its line, with an edge per dependency', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(crateName, fc.nat(30)), { selector: ([n]) => n, minLength: 1, maxLength: 8 }),
        (packages) => {
          const blocks = packages.map(
            ([name, minor], i) =>
              `[[package]]\nname = "${name}"\nversion = "1.${minor}.0"\nsource = "registry+https://registry.example.org/index"\n` +
              (i + 1 < packages.length ? `dependencies = [\n "${packages[i + 1]![0]}",\n]\n` : ''),
          );
          const text = `version = 3\n\n${blocks.join('\n')}`;
          const out = cargoLock.extract({ path: 'Cargo.lock', text }, testContext());
          expect(out.errors).toEqual([]);
          expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual(
            packages.map(([name, minor]) => `${name}@1.${minor}.0`),
          );
          const lines = text.split('\n');
          for (const ref of out.refs) expect(lines[ref.location.line! - 1]).toBe(`name = "${ref.name}"`);
          const graph = out.facts[0];
          expect(graph?.kind === 'dependency-graph' && graph.edges[packages[0]![0]]).toEqual(
            packages.length > 1 ? [packages[1]![0]] : [],
          );
        },
      ),
    );
  });
});

describe('rust/imports: generated files', () => {
  it('reports the first segment of each use path, whatever its form', () => {
    const ident = crateName.map((n) => n.replace(/-/g, '_'));
    const form = fc.constantFrom('plain', 'global', 'list', 'alias', 'glob');
    fc.assert(
      fc.property(fc.array(fc.tuple(ident, form), { minLength: 1, maxLength: 6 }), (uses) => {
        const text = uses
          .map(([name, f]) => {
            switch (f) {
              case 'global':
                return `use ::${name}::Thing;`;
              case 'list':
                return `use ${name}::{a::Beta, Gamma};`;
              case 'alias':
                return `use ${name}::Thing as Other${name};`;
              case 'glob':
                return `use ${name}::prelude::*;`;
              default:
                return `use ${name}::Thing;`;
            }
          })
          .join('\n');
        const out = rustImports.extract({ path: 'lib.rs', text }, testContext());
        expect(out.errors).toEqual([]);
        expect(out.refs.map((r) => r.name)).toEqual(uses.map(([name]) => name));
      }),
    );
  });
});

describe('shell: cargo commands', () => {
  it('reads `cargo add name@requirement` as the requirement, never as a version unless `=`', () => {
    fc.assert(
      fc.property(
        crateName,
        requirement.filter((r) => !/[\s,<>]/.test(r)),
        (name, req) => {
          const out = extractShellCommands(`cargo add ${name}@${req}`, 'x.sh');
          const exact = /^=(\d+\.\d+\.\d+)$/.exec(req)?.[1];
          expect(out.refs.map((r) => [r.name, r.version, r.spec])).toEqual([
            [name, exact, exact ? undefined : req],
          ]);
        },
      ),
    );
  });
});
