// The floor of a scan, for bench/repos-speed.js: start Node, walk the same tree Vouch walks (dependency,
// VCS and build folders skipped), read every JS/TS source and lockfile, and parse each source with oxc.
// Nothing else: what any tool that reads the code must at least pay.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSync } from 'oxc-parser';

const SKIP = new Set([
  'node_modules',
  '.git',
  '.yarn',
  '.pnpm-store',
  'vendor',
  'third_party',
  '.venv',
  'venv',
]);
const SOURCE = /\.(?:[mc]?[jt]sx?)$/;
const LOCK = /^(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lock|package\.json)$/;

let files = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) walk(join(dir, entry.name));
    } else if (entry.isFile() && (SOURCE.test(entry.name) || LOCK.test(entry.name))) {
      const path = join(dir, entry.name);
      const text = readFileSync(path, 'utf8');
      files++;
      if (SOURCE.test(entry.name)) parseSync(path, text, { lang: entry.name.endsWith('.ts') ? 'ts' : 'tsx' });
    }
  }
}
walk(process.argv[2] ?? '.');
process.stdout.write(`${files}\n`);
