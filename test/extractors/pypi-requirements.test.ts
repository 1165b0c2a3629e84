import { describe, expect, it } from 'vitest';
import { isRequirementsFile, requirementsTxt } from '../../src/extractors/pypi/requirements.js';
import type { ExtractResult } from '../../src/extractors/types.js';
import { testContext } from '../helpers.js';
import { extractWithIncludes } from './fixture-context.js';

function extract(...parts: string[]): ExtractResult {
  return extractWithIncludes(requirementsTxt, parts.join('/'));
}

const BASIC = 'extractors/pypi-requirements/basic';

describe('pypi/requirements', () => {
  it('claims requirement and constraint files and pip-tools inputs, not other .in/.txt files', () => {
    for (const path of [
      'requirements.txt',
      'requirements-dev.txt',
      'dev-requirements.txt',
      'test_requirements.txt',
      'requirements/base.txt',
      'requirements/dev.in',
      'requirements.in',
      'constraints.txt',
      'sub/Requirements.txt',
    ]) {
      expect(isRequirementsFile(path), path).toBe(true);
    }
    for (const path of [
      'MANIFEST.in',
      'Makefile.in',
      'notes.txt',
      'requirements.md',
      'src/requirements.py',
    ]) {
      expect(isRequirementsFile(path), path).toBe(false);
    }
  });

  it('reads names as written, exact pins as versions and everything else as specs, with their lines', () => {
    const out = extract(BASIC, 'requirements.txt');
    const own = out.refs.filter((r) => r.location.file === `${BASIC}/requirements.txt`);
    const byName = Object.fromEntries(own.map((r) => [r.name, r]));
    expect(byName.Django).toMatchObject({ version: '4.2.7', location: { line: 8 }, origin: 'registry' });
    expect(byName.Django?.spec).toBeUndefined();
    expect(byName.requests).toMatchObject({ spec: '>=2.31.0,<3', location: { line: 11 } });
    expect(byName.requests?.version).toBeUndefined();
    expect(byName.Flask).toMatchObject({ spec: '~=2.3' });
    expect(byName.numpy).toMatchObject({ spec: '==1.26.*' });
    expect(byName['legacy-pin']).toMatchObject({ version: '1.0-custom' });
    expect(byName.pytz).toMatchObject({ location: { line: 21 } });
    expect(byName.pytz?.spec).toBeUndefined();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: pip's environment variable syntax, literally
    expect(byName['private-lib']).toMatchObject({ spec: '==${PRIVATE_LIB_VERSION}', location: { line: 20 } });
    expect(byName['private-lib']?.version).toBeUndefined();
    expect(own.every((r) => r.source === 'declared' && r.extractor === 'pypi/requirements')).toBe(true);
  });

  it('reads URLs, VCS links, editables and wheel paths with their origin', () => {
    const out = extract(BASIC, 'requirements.txt');
    const byName = Object.fromEntries(out.refs.map((r) => [r.name, r]));
    expect(byName.urllib3).toMatchObject({ origin: 'url', location: { line: 15 } });
    expect(byName.toolbelt).toMatchObject({
      origin: 'git',
      commit: '0123456789abcdef0123456789abcdef01234567',
      location: { line: 16 },
    });
    // No #egg=: the repository's name is a guess, and says so.
    expect(byName.widgets).toMatchObject({ origin: 'git', inferred: true, location: { line: 17 } });
    expect(byName.widgets?.commit).toBeUndefined();
    expect(byName.localpkg).toMatchObject({ origin: 'path', version: '0.3.1', location: { line: 18 } });
    // `-e .` is the project itself: nothing to check, and no error either.
    expect(out.refs.map((r) => r.location.line)).not.toContain(19);
    expect(out.errors).toEqual([]);
  });

  it('follows -r includes (their refs point into the included file) and reads -c as constraints', () => {
    const out = extract(BASIC, 'requirements.txt');
    expect(out.refs.find((r) => r.name === 'six')).toMatchObject({
      version: '1.16.0',
      location: { file: `${BASIC}/base.txt`, line: 1 },
    });
    const certifi = out.refs.find((r) => r.name === 'certifi');
    expect(certifi).toMatchObject({ version: '2023.7.22', groups: ['constraint'] });
    expect(certifi?.location.file).toBe(`${BASIC}/constraints.txt`);
    expect(out.refs.filter((r) => r.groups?.includes('constraint')).map((r) => r.name)).toEqual(['certifi']);
  });

  it('reads a constraints file scanned on its own as constraints too', () => {
    const out = extract(BASIC, 'constraints.txt');
    expect(out.refs).toMatchObject([{ name: 'certifi', version: '2023.7.22', groups: ['constraint'] }]);
  });

  it('terminates on files that include each other', () => {
    const out = extract('extractors/pypi-requirements/cycle/requirements.txt');
    expect(out.refs.map((r) => `${r.name}@${r.version}`).sort()).toEqual(['alpha@1.0', 'beta@2.0']);
    expect(out.errors).toEqual([]);
  });

  it('reports a missing include on the including line and keeps the rest', () => {
    const out = extract('extractors/pypi-requirements/missing-include/requirements.txt');
    expect(out.errors).toEqual([
      { line: 2, message: 'cannot read requirements file "does-not-exist.txt": no such file' },
    ]);
    expect(out.refs.map((r) => r.name)).toEqual(['alpha', 'beta']);
  });

  it('turns pip-compile "# via" annotations into the dependency graph with the direct ones as roots', () => {
    const out = extract('extractors/pypi-requirements/compiled/requirements.txt');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual([
      'blinker@1.7.0',
      'click@8.1.7',
      'flask@3.0.0',
      'itsdangerous@2.1.2',
      'jinja2@3.1.2',
      'markupsafe@2.1.3',
      'werkzeug@3.0.1',
    ]);
    const graph = out.facts.find((f) => f.kind === 'dependency-graph');
    expect(graph).toBeDefined();
    if (graph?.kind !== 'dependency-graph') return;
    expect(graph.roots?.sort()).toEqual(['click', 'flask']);
    expect(graph.edges.flask?.sort()).toEqual(['blinker', 'click', 'itsdangerous', 'jinja2', 'werkzeug']);
    expect(graph.edges.jinja2).toEqual(['markupsafe']);
    expect(graph.edges.werkzeug).toEqual(['markupsafe']);
    expect(graph.edges.markupsafe).toEqual([]);
  });

  it('reads the one-line annotation style too', () => {
    const out = extract('extractors/pypi-requirements/compiled/requirements-lines.txt');
    const graph = out.facts.find((f) => f.kind === 'dependency-graph');
    if (graph?.kind !== 'dependency-graph') throw new Error('no graph');
    expect(graph.roots).toEqual(['flask']);
    expect(graph.edges).toMatchObject({
      jinja2: ['markupsafe'],
      werkzeug: ['markupsafe'],
      flask: ['jinja2', 'werkzeug'],
    });
  });

  it('gives a hand-written file no graph', () => {
    expect(extract(BASIC, 'requirements.txt').facts).toEqual([]);
  });

  it('reads an empty file as no requirements', () => {
    expect(extract('extractors/pypi-requirements/empty/requirements.txt')).toEqual({
      refs: [],
      errors: [],
      facts: [],
    });
  });

  it('reports each invalid line with its line number and keeps the valid ones', () => {
    const out = extract('extractors/pypi-requirements/broken/requirements.txt');
    expect(out.refs.map((r) => `${r.name}:${r.location.line}`)).toEqual(['good-one:1', 'also-good:5']);
    expect(out.errors.map((e) => e.line)).toEqual([2, 3, 4, 6, 7]);
    expect(out.errors[2]?.message).toBe('unknown option "--no-such-option"');
  });

  it('refuses a 3 MB requirement at once instead of handing it to the grammar (which runs out of memory)', () => {
    const text = `flask==2.0\n${'a'.repeat(3_000_000)}==1.0\nrequests\n`;
    const out = requirementsTxt.extract({ path: 'requirements.txt', text }, testContext());
    expect(out.refs.map((r) => r.name)).toEqual(['flask', 'requests']);
    expect(out.errors).toEqual([
      {
        line: 2,
        message:
          'a requirement longer than 4096 characters starting "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…"',
      },
    ]);
  });
});
