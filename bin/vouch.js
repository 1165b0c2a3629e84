#!/usr/bin/env node
// The command line is one bundled module (npm run bundle): loading one file instead of a few hundred
// halves the start-up time, which is most of the time of a small scan.
import { main } from '../dist/vouch.js';

process.exitCode = await main(process.argv.slice(2));
