import { describe, expect, it } from 'vitest';
import { githubReporter } from '../../src/reporters/github.js';
import { findingAt, resultWith } from '../helpers.js';

describe('github reporter', () => {
  it('maps severities to error, warning and notice annotations at the file, line and column', () => {
    const out = githubReporter(
      resultWith([
        findingAt('critical', {
          kind: 'malicious',
          name: 'evil',
          location: { file: 'package.json', line: 4, column: 5 },
        }),
        findingAt('high', { location: { file: 'a.js', line: 1 } }),
        findingAt('medium', { location: { file: 'b.js' } }),
        findingAt('low'),
        findingAt('info'),
      ]),
      { color: false },
    );
    expect(out.split('\n').map((line) => line.split(' ')[0])).toEqual([
      '::error',
      '::error',
      '::warning',
      '::notice',
      '::notice',
      '::notice',
      '',
    ]);
    expect(out).toContain(
      '::error file=package.json,line=4,col=5,title=Vouch malicious%3A npm evil (critical)::body-parser is imported but not declared\n',
    );
    expect(out).toContain('::warning file=b.js,title=Vouch undeclared%3A npm body-parser (medium)::');
  });

  it('cannot be made to start another workflow command by a name, a path or a message', () => {
    const out = githubReporter(
      resultWith([
        findingAt('high', {
          name: 'x,file=evil::y',
          message: 'first\n::add-mask::secret\r\n::set-env name=A::1 100%',
          location: { file: 'we:ird,path.js', line: 2 },
        }),
      ]),
      { color: false },
    );
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      '::error file=we%3Aird%2Cpath.js,line=2,title=Vouch undeclared%3A npm x%2Cfile=evil%3A%3Ay (high)::first%0A::add-mask::secret\\x0d%0A::set-env name=A::1 100%25',
    );
  });

  it('annotates files not read, and ends with what was not checked', () => {
    const out = githubReporter(
      resultWith([], [{ file: 'requirements.txt', line: 3, message: 'not a requirement' }]),
      {
        color: false,
      },
    );
    expect(out).toBe(
      '::error file=requirements.txt,line=3,title=Vouch%3A file not read::not a requirement\n::notice title=Vouch::Everything in scope was checked.\n',
    );
  });
});
