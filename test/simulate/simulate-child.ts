// Run by resume.test.ts in a child process that the test kills with SIGKILL part-way through a run.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
