import { defineConfig } from 'vitest/config';
import project from './vitest.config.js';

/**
 * `npm run mutate` (scripts/mutate.mjs): the project's configuration over the tests of one module, named in
 * VOUCH_MUTATE_TESTS (comma-separated globs); Stryker reads the results, so no skip summary.
 */
export default defineConfig({
  ...project,
  test: {
    ...project.test,
    include: (process.env.VOUCH_MUTATE_TESTS ?? '').split(',').filter(Boolean),
    reporters: ['default'],
  },
});
