// `npm run bench`: every benchmark, one after the other, each printing its figures and ratios.
import { run as advisoryReference } from './advisory-reference.js';
import { run as gate } from './gate.js';
import { run as hook } from './hook.js';
import { run as hostile } from './hostile.js';
import { run as mcp } from './mcp.js';
import { run as osvApi } from './osv-api.js';
import { run as proxy } from './proxy.js';
import { run as answers } from './real-answers.js';
import { run as repos } from './real-repos.js';
import { run as registry } from './registry.js';
import { run as speed } from './repos-speed.js';
import { run as scan } from './scan.js';
import { run as simulate } from './simulate.js';
import { run as vulndb } from './vulndb.js';

const only = process.argv[2];
const benchmarks = {
  scan,
  speed,
  repos,
  vulndb,
  'osv-api': osvApi,
  'advisory-reference': advisoryReference,
  registry,
  simulate,
  answers,
  mcp,
  proxy,
  hook,
  gate,
  hostile,
};
for (const [name, bench] of Object.entries(benchmarks)) {
  if (only && only !== name) continue;
  console.log(`\n=== ${name} ===`);
  await bench();
}
