import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readLiteYaml } from '../../src/extractors/yaml-lite.js';
import { fixturePath } from '../helpers.js';

const LOCKFILES = ['v5', 'v6', 'v9'].map((v) => fixturePath(`extractors/npm-pnpm-lock/${v}/pnpm-lock.yaml`));

describe('yaml-lite: the fast reader of generated YAML', () => {
  it('reads pnpm lockfiles exactly as the full parser does (failsafe: every scalar a string)', () => {
    for (const file of LOCKFILES) {
      const text = readFileSync(file, 'utf8');
      const lite = readLiteYaml(text);
      expect(lite, file).toBeDefined();
      expect(JSON.parse(JSON.stringify(lite?.root))).toEqual(
        parse(text, { schema: 'failsafe', uniqueKeys: false }),
      );
    }
  });

  it('keeps the line of every key', () => {
    const doc = readLiteYaml(
      "a: '1'\nmap:\n  # comment\n  b: {x: 'y, z', w: [1, 2]}\n  'c d': \"e\"\nlist:\n  - one\n  - 'two'\n",
    )!;
    expect(doc.root).toEqual({
      a: '1',
      map: { b: { x: 'y, z', w: ['1', '2'] }, 'c d': 'e' },
      list: ['one', 'two'],
    });
    const map = doc.root.map as Record<string, never>;
    expect([doc.lineOf(doc.root, 'list'), doc.lineOf(map, 'b'), doc.lineOf(map, 'c d')]).toEqual([6, 4, 5]);
  });

  it('reads an empty text as an empty mapping, and an empty value as null', () => {
    expect(readLiteYaml('')?.root).toEqual({});
    expect(readLiteYaml('a:\nb: x\n')?.root).toEqual({ a: null, b: 'x' });
  });

  it('gives up on what it does not read, so the full parser reads it: block scalars, anchors, broken text', () => {
    for (const text of [
      'a: |\n  text\n',
      'a: &x y\nb: *x\n',
      'a: !tag y\n',
      'a: {b: c\n',
      'a: b\n   c: d\n',
      '- a\n',
      'a:\n\t- b\n',
      'a: "x\\ny"\n',
    ])
      expect(readLiteYaml(text), JSON.stringify(text)).toBeUndefined();
  });
});
