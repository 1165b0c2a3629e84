/**
 * Requirements that name the platform rather than a package: PHP itself, its extensions and libraries, and
 * Composer's own APIs. Composer checks them against the running PHP; nothing is downloaded for them.
 */
export function isPlatformPackage(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower === 'php' ||
    lower.startsWith('php-') ||
    lower === 'hhvm' ||
    lower.startsWith('ext-') ||
    lower.startsWith('lib-') ||
    lower === 'composer' ||
    lower === 'composer-plugin-api' ||
    lower === 'composer-runtime-api'
  );
}

/** A Composer version: `1.2.3`, `v1.2.3`, `1.2`, `1.0.0-beta2`, `2.0.0-RC1`, `1.2.3.4`, `1.0.0-p1`. */
const EXACT = /^v?\d+(?:\.\d+){0,3}(?:-?(?:stable|beta|b|rc|alpha|a|patch|pl|p)\.?\d*)?$/i;

/**
 * A Composer constraint as written: one exact version (optionally `=`/`==` and a stability flag such as
 * `@beta`) is the version; anything else (`^1.2`, `~1.2`, `>=1 <2`, `1.*`, `dev-main`, `||` alternatives,
 * inline aliases) is the constraint.
 */
export function composerConstraint(written: string): { version?: string; spec?: string } {
  const text = written.trim();
  if (text === '' || text === '*') return text === '' ? {} : { spec: text };
  const exact = /^(?:==?\s*)?([^\s@]+)(?:@\w+)?$/.exec(text)?.[1];
  if (exact && EXACT.test(exact)) return { version: exact };
  return { spec: text };
}
