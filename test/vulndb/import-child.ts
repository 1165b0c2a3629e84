// Run by import.test.ts in a child process that the test kills with SIGKILL part-way through an import.
import { importOsv } from '../../src/vulndb/import.js';

const [source, target] = process.argv.slice(2);
await importOsv([source!], target!, {
  logger: {
    progress: (event) => process.stdout.write(`records ${event.done}\n`),
    warn: () => {},
    debug: () => {},
  },
});
process.stdout.write('finished\n');
