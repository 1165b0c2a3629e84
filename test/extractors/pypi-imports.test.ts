import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { distributionCandidates, MAX_DISTRIBUTION_GUESSES } from '../../src/extractors/pypi/import-map.js';
import { pythonImports } from '../../src/extractors/pypi/imports.js';
import { EXTRACTORS, extractorFor } from '../../src/extractors/registry.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { extractFixture, fixturePath, testContext } from '../helpers.js';

const DIR = 'extractors/pypi-imports';

/** name importName line:column [optional] [typeOnly] [inferred]: one line per ref, easy to read in a diff. */
function summary(refs: PackageRef[]): string[] {
  return refs.map((r) =>
    [
      r.name,
      r.importName,
      `${r.location.line}:${r.location.column}`,
      r.optional ? 'optional' : '',
      r.typeOnly ? 'typeOnly' : '',
      r.inferred ? 'inferred' : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
}

describe('pypi/imports', () => {
  beforeAll(async () => {
    await pythonImports.init!();
  });

  it('reads Python sources and stubs only, and is registered for them', () => {
    expect(pythonImports.matches('pkg/app.py')).toBe(true);
    expect(pythonImports.matches('typings/yaml.pyi')).toBe(true);
    expect(pythonImports.matches('app.pyc')).toBe(false);
    expect(pythonImports.matches('requirements.txt')).toBe(false);
    expect(extractorFor('src/app.py')).toBe(pythonImports);
    expect(EXTRACTORS).toContain(pythonImports);
  });

  it('maps imports to distributions, nested ones included, with the module name as written', () => {
    const out = extractFixture(pythonImports, DIR, 'basic/app.py');
    expect(out.errors).toEqual([]);
    expect(summary(out.refs)).toEqual([
      'requests requests 1:8 inferred',
      'PyYAML yaml 2:8',
      'beautifulsoup4 bs4 4:6',
      'scikit-learn sklearn.model_selection 5:6',
      'numpy numpy.linalg 6:8 inferred',
      'opencv-python cv2 6:22',
      'Pillow PIL 7:6',
      'python-dateutil dateutil.parser 14:12',
      'PyJWT jwt 19:10',
    ]);
    expect(out.refs.every((r) => r.ecosystem === 'PyPI' && r.source === 'imported')).toBe(true);
    expect(
      out.refs.every(
        (r) => r.extractor === 'pypi/imports' && r.location.file === 'extractors/pypi-imports/basic/app.py',
      ),
    ).toBe(true);
  });

  it('reads stub files, whose imports serve type checkers only', () => {
    const out = extractFixture(pythonImports, DIR, 'basic/stubs.pyi');
    expect(summary(out.refs)).toEqual(['attrs attr 1:6 typeOnly', 'six six 2:8 typeOnly inferred']);
  });

  it('marks imports guarded by handlers for a missing module as optional, and only those that go on without it', () => {
    const out = extractFixture(pythonImports, DIR, 'optional/app.py');
    expect(out.errors).toEqual([]);
    expect(summary(out.refs)).toEqual([
      'ujson ujson 2:12 optional inferred',
      'lxml lxml 7:10 optional inferred',
      'simplejson simplejson 12:12 optional inferred',
      'orjson orjson 17:12 optional inferred',
      'msgpack msgpack 22:12 optional inferred',
      // `except ValueError` does not cope with a missing module.
      'toml toml 27:12 inferred',
      'tomli tomli 32:12 optional inferred',
      // The `else:` and `finally:` clauses run outside the guard.
      'tomli_w tomli_w 36:12 inferred',
      'attrs attr 38:12',
      'rich rich 41:12 optional inferred',
      // A handler that raises or exits only words the failure: the import is required.
      'numpy numpy 44:12 inferred',
      'PyYAML yaml 49:12',
      'requests requests 55:12 inferred',
      // Raising in a branch only: the code can go on without the module.
      'ujson2 ujson2 60:12 optional inferred',
    ]);
  });

  it('marks imports under if TYPE_CHECKING as type-only, not those in its else branch', () => {
    const out = extractFixture(pythonImports, DIR, 'type-checking/app.py');
    expect(summary(out.refs)).toEqual([
      'pandas pandas 7:10 typeOnly inferred',
      'boto3 boto3 8:12 typeOnly inferred',
      'mypy_boto3_s3 mypy_boto3_s3 11:10 typeOnly inferred',
      'botocore botocore 13:12 inferred',
      'httpx httpx 16:12 inferred',
      'numpy numpy 20:16 optional typeOnly inferred',
    ]);
  });

  it('leaves out relative imports, __future__, and the standard library (removed modules included)', () => {
    const out = extractFixture(pythonImports, DIR, 'excluded/app.py');
    expect(out.errors).toEqual([]);
    expect(summary(out.refs)).toEqual(['typing_extensions typing_extensions 13:8 inferred']);
  });

  it('reads importlib.import_module, __import__ and importorskip with a literal name, and nothing dynamic', () => {
    const out = extractFixture(pythonImports, DIR, 'importlib/app.py');
    expect(summary(out.refs)).toEqual([
      'PyYAML yaml 4:32',
      'redis redis.asyncio 5:25 inferred',
      'simplejson simplejson 6:21 inferred',
      'numpy numpy 12:29 optional inferred',
    ]);
  });

  it('maps dotted namespaces by the longest known prefix, through the imported name of a from-import', () => {
    const out = extractFixture(pythonImports, DIR, 'dotted/app.py');
    expect(summary(out.refs)).toEqual([
      'google-cloud-storage google.cloud.storage 1:26',
      // `exceptions` names no known distribution; the one that does stands for the statement.
      'google-cloud-bigquery google.cloud.bigquery 2:26',
      'google-cloud-pubsub google.cloud.pubsub_v1 3:8',
      'protobuf google.protobuf 4:6',
      'google-cloud-storage google.cloud.storage 5:6',
      'google-auth google.auth 6:8',
      'azure-storage-blob azure.storage.blob 7:6',
      'matplotlib mpl_toolkits.mplot3d 8:6',
      'basemap mpl_toolkits.basemap 9:6',
      'google google 10:8 inferred',
      'google google.cloud 11:6 inferred',
    ]);
  });

  it("lets the user's mappings override the built-in table", () => {
    const path = fixturePath(DIR, 'override/app.py');
    const ctx = testContext({
      pythonImportMap: new Map([
        ['internal_sdk', 'acme-internal-sdk'],
        ['google', 'acme-google-fork'],
        ['cv2', 'opencv-python-headless'],
      ]),
    });
    const out = pythonImports.extract({ path: 'app.py', text: readFileSync(path, 'utf8') }, ctx);
    expect(summary(out.refs)).toEqual([
      'acme-internal-sdk internal_sdk.client 1:8',
      // A user's `google` wins over the built-in `google.cloud.storage`.
      'acme-google-fork google.cloud 2:6',
      'PyYAML yaml 3:8',
      'opencv-python-headless cv2 4:8',
    ]);
  });

  it('finds nothing and reports nothing in an empty file', () => {
    const out = extractFixture(pythonImports, DIR, 'empty/app.py');
    expect(out).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports a syntax error once, at its line, and keeps the imports around it', () => {
    const out = extractFixture(pythonImports, DIR, 'broken/app.py');
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ line: 3, column: 1 });
    expect(out.errors[0]!.message).toMatch(/^syntax error/);
    expect(summary(out.refs)).toEqual([
      'requests requests 1:8 inferred',
      'flask flask 6:6 inferred',
      'PyYAML yaml 7:8',
    ]);
  });

  it('names a missing token when that is what the parser recovered with', () => {
    const out = pythonImports.extract({ path: 'x.py', text: 'import a\ndef f(:\n    pass\n' }, testContext());
    expect(out.errors).toEqual([{ line: 2, column: 7, message: 'syntax error: missing ")"' }]);
    expect(out.refs.map((r) => r.name)).toEqual(['a']);
  });

  it('counts columns in characters, not bytes, after non-ASCII text', () => {
    const out = pythonImports.extract(
      { path: 'x.py', text: 'título = "日本"; import yaml\n' },
      testContext(),
    );
    expect(out.refs[0]?.location).toEqual({ file: 'x.py', line: 1, column: 23 });
  });

  it('leaves out checker-only modules and modules a test writes before importing them; Python 2 fallbacks are optional', () => {
    const out = extractFixture(pythonImports, DIR, 'runtime/test_instance.py');
    expect(out.errors).toEqual([]);
    expect(summary(out.refs)).toEqual([
      'pytest pytest 3:8 inferred',
      // Python 2 names in the fallback of `except ImportError` are as optional as the preferred import.
      'cStringIO cStringIO 9:10 optional inferred',
      'StringIO StringIO 11:10 optional inferred',
      'simplejson simplejson 14:12 optional inferred',
      'ujson ujson 17:16 optional inferred',
      // site_app and config_package_app are written by the tests; requests is not.
      'requests requests 35:12 inferred',
    ]);
  });

  it('knows the whole Python 2.7 standard library in fallbacks: those imports are optional, others required', () => {
    const out = extractFixture(pythonImports, DIR, 'python2/compat.py');
    expect(out.errors).toEqual([]);
    expect(summary(out.refs)).toEqual([
      'md5 md5 5:10 optional inferred',
      'Cookie Cookie 10:10 optional inferred',
      'exceptions exceptions 15:12 optional inferred',
      'robotparser robotparser 20:10 optional inferred',
      'whichdb whichdb 25:10 optional inferred',
      'dbhash dbhash 30:12 optional inferred',
      'repr repr 35:10 optional inferred',
      // The preferred import is optional; a third-party fallback is required.
      'orjson orjson 39:12 optional inferred',
      'simplejson simplejson 41:12 inferred',
    ]);
  });

  it('guesses the usual distribution names of an import name, bounded, most specific first', () => {
    expect(distributionCandidates('absl')).toEqual([
      'absl-py',
      'pyabsl',
      'python-absl',
      'absl-python',
      'py-absl',
    ]);
    expect(distributionCandidates('skcuda')[0]).toBe('scikit-cuda');
    expect(distributionCandidates('linkify_it')).toContain('linkify_it-py');
    expect(distributionCandidates('google.cloud.tasks').slice(0, 2)).toEqual([
      'google-cloud-tasks',
      'google-cloud',
    ]);
    const deep = distributionCandidates('opentelemetry.exporter.otlp.proto.grpc');
    expect(deep[0]).toBe('opentelemetry-exporter-otlp-proto-grpc');
    expect(deep.length).toBeLessThanOrEqual(MAX_DISTRIBUTION_GUESSES);
    // `py` + `py-x` and `pyx` differ only by a separator for PyPI: one request.
    expect(distributionCandidates('py')).toEqual(['py-py', 'pypy', 'python-py', 'py-python']);
  });
});
