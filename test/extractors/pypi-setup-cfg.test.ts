import { describe, expect, it } from 'vitest';
import { setupCfg } from '../../src/extractors/pypi/setup-cfg.js';
import type { ExtractResult } from '../../src/extractors/types.js';
import { extractWithIncludes } from './fixture-context.js';

function extract(scenario: string): ExtractResult {
  return extractWithIncludes(setupCfg, `extractors/pypi-setup-cfg/${scenario}/setup.cfg`);
}

describe('pypi/setup-cfg', () => {
  it('reads the multi-line install_requires list with each line, skipping comments and blank lines', () => {
    const out = extract('basic');
    expect(out.errors).toEqual([]);
    const prod = out.refs.filter((r) => !r.groups);
    expect(prod.map((r) => `${r.name}:${r.location.line}`)).toEqual(['requests:9', 'click:11', 'pyyaml:13']);
    expect(prod[0]).toMatchObject({ spec: '>=2.28', source: 'declared' });
    expect(prod[1]).toMatchObject({ version: '8.1.7' });
  });

  it('puts setup_requires in build, tests_require in test and extras under their own name', () => {
    const out = extract('basic');
    const byName = Object.fromEntries(out.refs.map((r) => [r.name, r]));
    // A one-line value is split on `;` the way setuptools does.
    expect(byName.setuptools_scm).toMatchObject({ spec: '>=8', groups: ['build'], location: { line: 14 } });
    expect(byName.wheel).toMatchObject({ groups: ['build'], location: { line: 14 } });
    expect(byName.pytest).toMatchObject({ version: '7.4.3', groups: ['test'], location: { line: 16 } });
    expect(byName.matplotlib).toMatchObject({ groups: ['Plotting'], location: { line: 20 } });
    expect(byName.pyserial).toMatchObject({ version: '3.5', groups: ['serial'], location: { line: 21 } });
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'PyPI', name: 'weather-station' }]);
  });

  it('follows a file: directive, pointing at the lines of that file', () => {
    const out = extract('file-directive');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.name}@${r.version ?? ''}:${r.location.file}:${r.location.line}`)).toEqual(
      [
        'attrs@23.2.0:extractors/pypi-setup-cfg/file-directive/requirements.txt:2',
        'rich@:extractors/pypi-setup-cfg/file-directive/requirements.txt:3',
      ],
    );
  });

  it('reads an empty file as nothing declared', () => {
    expect(extract('empty')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports an invalid requirement on its line and keeps the rest', () => {
    const out = extract('broken');
    expect(out.refs.map((r) => r.name)).toEqual(['requests', 'rich']);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ line: 4 });
  });
});
