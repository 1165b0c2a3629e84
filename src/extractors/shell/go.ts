import { isGoVersion } from '../go/go-mod.js';
import { isModulePath } from '../go/imports.js';
import { commandName, parseArgs, type Resolver, type ShellPackage, type ShellWord } from './args.js';

/** Build flags of `go get`, `go install`, `go run` and `go mod download` that take the next word as value. */
const GO_VALUE_OPTIONS = new Set([
  '-C',
  '-modfile',
  '-mod',
  '-tags',
  '-ldflags',
  '-gcflags',
  '-asmflags',
  '-gccgoflags',
  '-buildmode',
  '-compiler',
  '-installsuffix',
  '-o',
  '-p',
  '-pkgdir',
  '-toolexec',
  '-overlay',
  '-pgo',
  '-exec',
  '-covermode',
  '-coverpkg',
  '-reuse',
]);

/**
 * Resolves `go get mod[@version]` (declares the module in go.mod), `go install mod@version` and
 * `go mod download mod@version` (group `global`: the binary or the module cache, not the project), and
 * `go run mod@version` (executed). `go install` or `go run` without a version builds from the current module's
 * own requirements, so it names nothing new. A path without a dot in its first element is the standard
 * library or the project's own (see `isModulePath`), `@none` removes a module, and relative patterns
 * (`./...`) are the project: none of them is a package.
 */
export const resolveGo: Resolver = (words) => {
  const [head, ...args] = words;
  if (!head || commandName(head.value) !== 'go') return [];
  const top = parseArgs(args, GO_VALUE_OPTIONS, true);
  const sub = top.positionals[0]?.value;
  const rest = parseArgs(top.rest, GO_VALUE_OPTIONS).positionals;
  switch (sub) {
    case 'get':
      return goPackages(rest, 'installed', [], false);
    case 'install':
      return goPackages(rest, 'installed', ['global'], true);
    case 'run':
      // `go run pkg@version args…`: only the first positional is the program.
      return goPackages(rest.slice(0, 1), 'executed', [], true);
    case 'mod':
      if (rest[0]?.value !== 'download') return [];
      return goPackages(rest.slice(1), 'installed', ['global'], true);
    default:
      return [];
  }
};

function goPackages(
  words: ShellWord[],
  source: ShellPackage['source'],
  groups: string[],
  versionRequired: boolean,
): ShellPackage[] {
  const out: ShellPackage[] = [];
  for (const word of words) {
    if (word.dynamic) continue;
    const at = word.value.indexOf('@');
    const path = at === -1 ? word.value : word.value.slice(0, at);
    const query = at === -1 ? undefined : word.value.slice(at + 1);
    if ((versionRequired && query === undefined) || query === 'none' || query === '') continue;
    // `example.com/x/...` asks for every package under a path: the module is the path before it.
    const name = path.replace(/\/\.\.\.$/, '');
    if (!isModulePath(name) || name.includes('...')) continue;
    const pkg: ShellPackage = { ecosystem: 'Go', name, origin: 'registry', source, word };
    // A version query (`latest`, `v1`, `>=v1.2.0`, a branch or commit) is a spec; `v1.2.3` is exact.
    if (query !== undefined) {
      if (isGoVersion(query) && /^v\d+\.\d+\.\d+/.test(query)) pkg.version = query;
      else pkg.spec = query;
    }
    if (groups.length > 0) pkg.groups = groups;
    out.push(pkg);
  }
  return out;
}
