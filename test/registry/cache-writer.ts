/**
 * Child process of the cache kill test: writes answers and snapshots into the registry cache as fast as it
 * can, forever, printing `ready` once the first write is committed. The test kills it with SIGKILL.
 */
import { RegistryCache } from '../../src/registry/cache.js';

const path = process.argv[2]!;
const cache = RegistryCache.open(path, { create: true })!;
const value = JSON.stringify({ status: 'exists', filler: 'x'.repeat(4000) });
let round = 0;
for (;;) {
  for (let i = 0; i < 200; i++)
    cache.put(`npm:full:https://registry.example.org/pkg-${round}-${i}`, {
      found: true,
      value,
      fetchedAt: round,
      expiresAt: round + 1,
    });
  cache.importSnapshot(
    'npm',
    Array.from({ length: 20_000 }, (_, i) => `name-${round}-${i}`),
    `round ${round}`,
    new Date(),
  );
  if (round === 0) process.stdout.write('ready\n');
  round++;
}
