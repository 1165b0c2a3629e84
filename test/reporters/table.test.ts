import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { notCheckedOf } from '../../src/pipeline/policy.js';
import { scan } from '../../src/pipeline/scan.js';
import { tableReporter } from '../../src/reporters/table.js';
import { writeTree } from '../helpers.js';

/** What a terminal acts on: ESC (colours, OSC titles and links), BEL, carriage return, C1 CSI, bidi override. */
const ACTING = ['\x07', '\x1b', '\r', '\u009b', '\u202e'];
const acting = (text: string) => ACTING.filter((c) => text.includes(c));

describe('table reporter', () => {
  it('shows hostile paths from a scanned tree as escapes', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vouch-table-'));
    try {
      writeTree(cwd, {
        'package.json': '{"name":"app"}',
        'src/evil\x1b]0;pwned\x07\r\u202e.js': "require('left-pad');\n",
      });
      const out = tableReporter(await scan(['.'], { cwd }), { color: false });
      expect(acting(out)).toEqual([]);
      expect(out).toContain('src/evil\\x1b]0;pwned\\x07\\x0d\\u202e.js:1');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('shows registry and advisory text (deprecation messages, yank reasons, reasons not checked) as escapes', () => {
    const result: ScanResult = {
      schemaVersion: 1,
      tool: { name: 'vouch', version: '0' },
      inputs: ['.'],
      packages: [],
      findings: [
        {
          kind: 'deprecated',
          severity: 'low',
          ecosystem: 'npm',
          name: 'request',
          version: '2.88.2',
          location: { file: 'package.json', line: 3 },
          message:
            'deprecated: \x1b[8mhidden\x1b[0m\rall clear \x1b]8;;https://evil.example.org\x07link\x1b]8;;\x07',
        },
      ],
      errors: [{ file: 'requirements.txt', line: 2, message: 'yanked: \u009b2J' }],
      skipped: [{ file: 'x\x1b[2K.js', reason: 'binary', kind: 'source' }],
      unchecked: [{ ecosystem: 'PyPI', name: 'flask', check: 'registry', reason: 'HTTP 500: \x07\x07' }],
      checks: [{ id: 'yanked', status: 'skipped', reason: 'off\r' }],
      notChecked: notCheckedOf([], [], []),
      stats: { filesScanned: 1, bytesScanned: 1, durationMs: 1 },
    };
    const out = tableReporter(result, { color: false });
    expect(acting(out)).toEqual([]);
    expect(out).toContain(
      'deprecated: \\x1b[8mhidden\\x1b[0m\\x0dall clear \\x1b]8;;https://evil.example.org\\x07link',
    );
    expect(out).toContain('yanked: \\x9b2J');
    expect(out).toContain('HTTP 500: \\x07\\x07');
  });
});
