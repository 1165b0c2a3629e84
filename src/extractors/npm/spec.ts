import semver from 'semver';
import type { RefOrigin } from '../../model/package-ref.js';

export interface NpmTarget {
  name: string;
  version?: string;
  spec?: string;
  origin: RefOrigin;
  url?: string;
  alias?: string;
}

const GIT_PREFIXES = ['git+', 'git:', 'git@', 'github:', 'gitlab:', 'bitbucket:', 'gist:'];

/**
 * What a dependency spec in package.json or on an `npm install` line points at. `name` is the key the user
 * wrote; an `npm:` alias points at another package, which becomes the name.
 */
export function classifyNpmSpec(name: string, rawSpec: string): NpmTarget {
  const spec = rawSpec.trim();
  if (spec.startsWith('npm:')) {
    const target = spec.slice(4);
    // `npm:^4` names no other package: only a range for the same name.
    if (!/^@?[\w.-]/.test(target) || /^\d/.test(target)) return classifyNpmSpec(name, target);
    const at = target.lastIndexOf('@');
    const realName = at > 0 ? target.slice(0, at) : target;
    const realSpec = at > 0 ? target.slice(at + 1) : '';
    return { ...classifyNpmSpec(realName, realSpec), alias: name };
  }
  if (spec.startsWith('workspace:')) return { name, spec, origin: 'workspace' };
  if (spec.startsWith('file:') || spec.startsWith('link:') || spec.startsWith('portal:')) {
    return { name, origin: 'path', url: spec };
  }
  if (GIT_PREFIXES.some((p) => spec.startsWith(p))) return gitTarget(name, spec);
  if (/^https?:\/\//.test(spec)) {
    return /\.git(#|$)/.test(spec) ? gitTarget(name, spec) : { name, origin: 'url', url: spec };
  }
  if (/^(?:\.{1,2}(?:\/|$)|\/|~\/)/.test(spec)) return { name, origin: 'path', url: spec };
  // `user/repo` and `user/repo#ref` are GitHub shorthands.
  if (/^[\w.-]+\/[\w.-]+(#.*)?$/.test(spec)) return gitTarget(name, spec);
  if (spec === '' || spec === '*') return { name, spec: spec || undefined, origin: 'registry' };
  const exact = semver.valid(spec, { loose: true });
  if (exact && !/^[=v\s]*[<>~^]/.test(spec)) return { name, version: exact, origin: 'registry' };
  return { name, spec, origin: 'registry' };
}

/**
 * The package a dependency listed under `key` installs: the target of an `npm:` alias (`npm:real@range`
 * installs `real`; berry writes a plain range as `npm:^1.0.0`, which names `key` itself), else `key`.
 */
export function installedName(key: string, spec: string | undefined): string {
  return spec?.startsWith('npm:') ? classifyNpmSpec(key, spec).name : key;
}

function gitTarget(name: string, spec: string): NpmTarget {
  const hash = spec.indexOf('#');
  const ref = hash === -1 ? undefined : spec.slice(hash + 1);
  const target: NpmTarget = { name, origin: 'git', url: spec };
  if (ref?.startsWith('semver:')) target.spec = ref.slice('semver:'.length);
  return target;
}

/** `@scope/name@1.2.3` → [`@scope/name`, `1.2.3`]; the version part is undefined when absent. */
export function splitNameAndSpec(arg: string): [string, string | undefined] {
  const at = arg.indexOf('@', arg.startsWith('@') ? 1 : 0);
  return at === -1 ? [arg, undefined] : [arg.slice(0, at), arg.slice(at + 1)];
}

/** npm's rules for a package name (new packages): lowercase, url-safe, at most 214 characters. */
export function isValidNpmName(name: string): boolean {
  if (name.length === 0 || name.length > 214) return false;
  return (
    /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name) && !name.startsWith('.') && !name.startsWith('_')
  );
}

/** The package a module specifier names: `lodash/fp` → `lodash`, `@scope/pkg/x` → `@scope/pkg`. */
export function packageNameOfSpecifier(specifier: string): string | undefined {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@')
    ? parts.length >= 2
      ? `${parts[0]}/${parts[1]}`
      : undefined
    : parts[0];
  return name && isValidNpmName(name) ? name : undefined;
}
