import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of Vouch's own package.json, found by walking up from this module, so that the same code finds
 * its data files whether it runs from src/ (tests), dist/ (the library) or the bundled command line.
 */
function findPackageRoot(start: string): string {
  for (let dir = dirname(start); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'vouch'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`Vouch's package.json was not found above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(fileURLToPath(import.meta.url));

/** A file or folder under the package's `data/` folder. */
export function dataPath(...parts: string[]): string {
  return join(PACKAGE_ROOT, 'data', ...parts);
}
