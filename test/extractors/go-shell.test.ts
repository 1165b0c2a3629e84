import { describe, expect, it } from 'vitest';
import { extractShellCommands } from '../../src/extractors/shell/index.js';
import type { PackageRef } from '../../src/model/package-ref.js';

/** `golang.org/x/text@v0.3.7 installed [global]`: what a user reads off one ref. */
function summary(ref: PackageRef): string {
  let text = ref.name;
  if (ref.version !== undefined) text += `@${ref.version}`;
  if (ref.spec !== undefined) text += ` ${ref.spec}`;
  text += ` ${ref.source}`;
  if (ref.groups) text += ` [${ref.groups.join(',')}]`;
  return text;
}

const CASES: [string, string[]][] = [
  ['go get golang.org/x/text@v0.3.7', ['golang.org/x/text@v0.3.7 installed']],
  ['go get github.com/gorilla/mux', ['github.com/gorilla/mux installed']],
  ['go get -u github.com/gin-gonic/gin@latest', ['github.com/gin-gonic/gin latest installed']],
  [
    "go get -u=patch example.com/a@v1 'example.com/b@>=v1.2.0'",
    ['example.com/a v1 installed', 'example.com/b >=v1.2.0 installed'],
  ],
  [
    'go get example.com/mod@master example.com/mod2@0a1b2c3',
    ['example.com/mod master installed', 'example.com/mod2 0a1b2c3 installed'],
  ],
  ['go get -tags integration example.com/tool/...@v1.0.0', ['example.com/tool@v1.0.0 installed']],
  ['go get golang.org/x/text@none', []],
  ['go get ./... go@1.22 toolchain@go1.22.1 fmt', []],
  ['go install golang.org/x/tools/gopls@v0.14.2', ['golang.org/x/tools/gopls@v0.14.2 installed [global]']],
  [
    'go install github.com/go-delve/delve/cmd/dlv@latest',
    ['github.com/go-delve/delve/cmd/dlv latest installed [global]'],
  ],
  // Without a version, go install builds from the current module's own requirements.
  ['go install ./cmd/server example.com/tool', []],
  [
    'go run golang.org/x/tools/cmd/stringer@v0.15.0 -type=Pill',
    ['golang.org/x/tools/cmd/stringer@v0.15.0 executed'],
  ],
  ['go run main.go', []],
  ['go mod download golang.org/x/net@v0.17.0', ['golang.org/x/net@v0.17.0 installed [global]']],
  ['go mod download', []],
  ['go mod tidy && go build ./...', []],
  ['GOFLAGS=-mod=mod go get "example.com/quoted@v1.2.3"', ['example.com/quoted@v1.2.3 installed']],
  ['go get $MODULE@v1.0.0', []],
];

describe('shell: go', () => {
  it.each(CASES)('%s', (command, expected) => {
    const out = extractShellCommands(command, 'install.sh');
    expect(out.refs.map(summary)).toEqual(expected);
    for (const ref of out.refs) expect(ref).toMatchObject({ ecosystem: 'Go', origin: 'registry' });
  });

  it('places each module on its word', () => {
    const out = extractShellCommands('echo hi\n  go get golang.org/x/text@v0.3.7', 'install.sh');
    expect(out.refs[0]?.location).toEqual({ file: 'install.sh', line: 2, column: 10 });
  });
});
