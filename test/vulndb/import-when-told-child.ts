// Run by import.test.ts in several child processes at once: each says it is ready, waits until the go file
// exists (so that all start together), then imports its source into the shared database.
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { importOsv } from '../../src/vulndb/import.js';

const [source, target, go] = process.argv.slice(2);
process.stdout.write('ready\n');
while (!existsSync(go!)) await sleep(5);
const report = await importOsv([source!], target!, {
  logger: {
    progress: () => {},
    warn: (message) => process.stdout.write(`warn ${message}\n`),
    debug: () => {},
  },
});
process.stdout.write(`finished ${report.sources[0]?.records ?? 0}\n`);
