import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/pipeline/config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function load(config: unknown) {
  writeFileSync(join(dir, 'vouch.config.json'), JSON.stringify(config));
  return loadConfig(dir);
}

describe('vouch.config.json: the gate policy', () => {
  it('reads thresholds per kind, severity overrides, strict, private names and ignore entries', () => {
    const config = load({
      failOn: { default: 'medium', undeclared: 'high', outdated: 'none' },
      severity: { outdated: 'info' },
      strict: true,
      private: ['@acme/*', { package: 'acme-*', ecosystem: 'PyPI' }, { index: 'https://npm.acme.example/' }],
      ignore: [{ kind: 'undeclared', package: 'dayjs', reason: 'being replaced', until: '2099-01-01' }],
      inlineSuppressions: false,
    });
    expect(config).toEqual({
      path: 'vouch.config.json',
      failOn: 'medium',
      failOnKind: { undeclared: 'high', outdated: 'none' },
      severity: { outdated: 'info' },
      strict: true,
      private: [
        { package: '@acme/*' },
        { package: 'acme-*', ecosystem: 'PyPI' },
        { index: 'https://npm.acme.example/' },
      ],
      ignore: [{ kind: 'undeclared', package: 'dayjs', reason: 'being replaced', until: '2099-01-01' }],
      inlineSuppressions: false,
    });
  });

  it.each([
    [{ ignore: [{ kind: 'undeclared', package: 'dayjs' }] }, /ignore\[0\]" needs a "reason"/],
    [{ ignore: [{ package: 'dayjs', reason: ' ' }] }, /ignore\[0\]\.reason" must be a non-empty string/],
    [{ ignore: [{ reason: 'everything' }] }, /must name at least one of "kind", "package", "id" or "path"/],
    [{ ignore: [{ kind: 'phantom', reason: 'x' }] }, /ignore\[0\]\.kind" must be a finding kind/],
    [{ ignore: [{ package: 'x', reason: 'x', until: '2099-02-30' }] }, /until" must be a date as YYYY-MM-DD/],
    [{ ignore: [{ package: 'x', reason: 'x', expires: '2099-01-01' }] }, /unknown field "expires"/],
    [{ failOn: { undeclard: 'high' } }, /"failOn": unknown finding kind "undeclard"/],
    [{ failOn: { default: 'severe' } }, /"failOn.default" must be one of/],
    [{ severity: { outdated: 'none' } }, /"severity.outdated" must be one of info/],
    [{ private: [{ ecosystem: 'npm' }] }, /private\[0\]" needs a "package" or an "index"/],
    [{ private: [{ index: 'not a url' }] }, /private\[0\]\.index" must be a URL/],
    [{ strict: 'yes' }, /"strict" must be true or false/],
  ])('refuses %j, naming the file and the entry', (config, message) => {
    expect(() => load(config)).toThrow(message);
    expect(() => load(config)).toThrow(join(dir, 'vouch.config.json'));
  });
});
