import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// `npm run test:live`: the opt-in checks that ask real registries (test/live/). Never part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/live/**/*.live.ts'],
    testTimeout: 60_000,
    env: { VOUCH_CACHE_DIR: mkdtempSync(join(tmpdir(), 'vouch-live-cache-')) },
  },
});
