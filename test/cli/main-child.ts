// The command line from the sources, for tests that must run it in a process of its own (under resource
// limits): `vite-node test/cli/main-child.ts <args>`.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
