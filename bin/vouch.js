#!/usr/bin/env node
// The command line is a bundle (npm run bundle) split by command: `vouch hook`, started for every tool call
// an agent makes, loads the hook and the shell parser, not the scanner. On Node >= 22.1 the compiled code of
// the modules is also kept on disk (Node's compile cache, in its default folder; NODE_DISABLE_COMPILE_CACHE=1
// turns it off), so that a start-up after the first does not compile them again. Node 20 has no such cache.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/vouch.js');

process.exitCode = await main(process.argv.slice(2));
