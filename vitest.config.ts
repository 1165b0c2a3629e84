import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests never read or write the user's cache: each run gets an empty one.
const cache = mkdtempSync(join(tmpdir(), 'vouch-test-cache-'));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Set-up that starts servers or builds fixtures must not fail only because a shared machine is busy.
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/setup.ts'],
    env: { VOUCH_CACHE_DIR: cache },
    // The default summary, then every skipped test with its reason (test/prerequisites.ts).
    reporters: ['default', './test/skip-reporter.ts'],
  },
});
