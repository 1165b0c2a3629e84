import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { MARKDOWN_LIMIT, markdownReporter } from '../../src/reporters/markdown.js';
import { findingAt, resultWith } from '../helpers.js';

const render = (findings: Finding[], errors: Parameters<typeof resultWith>[1] = []) =>
  markdownReporter(resultWith(findings, errors), { color: false });

describe('markdown reporter', () => {
  it('says there is nothing to report when there is nothing', () => {
    expect(render([])).toBe(
      [
        '<!-- vouch-report -->',
        '## Vouch: no findings',
        '',
        '0 package references in 1 file',
        '',
        '_Everything in scope was checked._',
        '',
      ].join('\n'),
    );
  });

  it('puts the worst kind first and words each fix from the evidence', () => {
    const text = render([
      findingAt('low', { kind: 'transitive-only', evidence: { fix: 'npm install body-parser@^1.19.0' } }),
      findingAt('high', {
        kind: 'vulnerable',
        name: 'qs',
        version: '6.5.2',
        location: { file: 'package-lock.json', line: 40 },
        evidence: {
          fix: {
            kind: 'transitive',
            package: 'qs',
            from: '6.5.2',
            to: '6.5.3',
            majorBump: false,
            via: ['express', 'qs'],
            force: { file: 'package.json', entry: 'overrides.qs' },
          },
        },
      }),
      findingAt('high', {
        kind: 'nonexistent',
        name: 'axios-retry-plus',
        evidence: { suggestions: ['axios-retry', 'axios'] },
      }),
      findingAt('high', { kind: 'vulnerable', name: 'old', version: '1.0.0', evidence: { fix: null } }),
    ]);
    const headings = text.split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toEqual([
      '### Vulnerable version (2)',
      '### Package does not exist (1)',
      '### Transitive-only import (phantom) (1)',
    ]);
    expect(text).toContain(
      '| 🟥 high | `npm:qs@6.5.2` | `package-lock.json:40` | `6.5.3` through `express → qs`: upgrade `express`, or force it in `package.json` (`overrides.qs`) |',
    );
    expect(text).toContain('| 🟥 high | `npm:old@1.0.0` | `src/server.js:3` | no fixed version is known |');
    expect(text).toContain('did you mean `axios-retry`, `axios`?');
    expect(text).toContain(
      '| 🟨 low | `npm:body-parser` | `src/server.js:3` | `npm install body-parser@^1.19.0` |',
    );
  });

  it('keeps text from scanned files inert: no markup, no HTML, no mentions, no broken tables', () => {
    const text = render(
      [
        findingAt('medium', {
          name: '@acme/owners',
          message:
            'see <img src=x onerror=alert(1)> and [click](https://evil.example) @octocat | **bold**\n# heading',
          location: { file: 'src/a|b`c.js', line: 1 },
        }),
      ],
      [{ file: 'x.json', message: '@everyone <script>' }],
    );
    expect(text).not.toMatch(/(^|[^\\])(<img|<script|\[click\]|\*\*bold)/m);
    expect(text).not.toMatch(/(^|[^`\u200b])@(octocat|everyone)/);
    expect(text).toContain('@\u200boctocat');
    expect(text).toContain('\\<img src=x onerror=alert(1)\\>');
    // The path's pipe is escaped for the table, its backtick inside a longer code span.
    expect(text).toContain('| ``src/a\\|b`c.js:1`` |');
    // Every table row has its four cells.
    for (const row of text.split('\n').filter((line) => line.startsWith('| ')))
      expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(6);
    // The message's line break and heading mark stay in its one line.
    expect(text).not.toMatch(/^# heading/m);
  });

  it(`stays under GitHub's comment limit, closing what it opened and counting what it left out`, () => {
    const findings = Array.from({ length: 3000 }, (_, i) =>
      findingAt('medium', {
        name: `package-with-a-long-name-${i}`,
        message: `package-with-a-long-name-${i} is imported but it is not declared in package.json; to declare it: npm install it`,
        location: { file: `src/deeply/nested/folder/module-${i}.js`, line: i + 1 },
      }),
    );
    const text = render(findings);
    expect(text.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(text.length).toBeGreaterThan(MARKDOWN_LIMIT * 0.9);
    const rows = text.split('\n').filter((line) => line.startsWith('| 🟧'));
    const cut = /the details and ([\d,]+) findings are left out/.exec(text);
    expect(cut).not.toBeNull();
    expect(rows.length + Number(cut?.[1]?.replace(/,/g, ''))).toBe(3000);
    expect(text).not.toContain('<details>');
    expect(text.trimEnd().endsWith('_Everything in scope was checked._')).toBe(true);
  });

  it('keeps the details when everything fits', () => {
    const text = render(Array.from({ length: 50 }, (_, i) => findingAt('medium', { name: `p${i}` })));
    expect(text.match(/<details>/g)).toHaveLength(1);
    expect(text.match(/<\/details>/g)).toHaveLength(1);
    expect(text).not.toContain('Cut to stay under');
  });
});
