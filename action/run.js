#!/usr/bin/env node
// The GitHub Action's scan step (action.yml): turns the action's inputs and the workflow's event into one
// `vouch scan` (annotations on standard output, SARIF and the markdown report written beside), appends the
// report to the job summary, sets the step's outputs and exits with Vouch's exit code. Vouch decides
// everything; this only packages it for GitHub. Plain Node, no dependencies: it runs before anything else.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const env = process.env;
const VOUCH = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/vouch.js');
const FAIL_ON = ['info', 'low', 'medium', 'high', 'critical', 'none'];
/** Git's own configuration of the checkout must not run anything while the base commit is fetched. */
const SAFE_GIT = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'protocol.ext.allow=never',
];

function input(name, fallback = '') {
  const value = env[`INPUT_${name.replace(/-/g, '_').toUpperCase()}`];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function flag(name, fallback) {
  const value = input(name, String(fallback)).toLowerCase();
  if (value !== 'true' && value !== 'false') fail(`input ${name} must be true or false, not "${value}"`);
  return value === 'true';
}

/** A workflow command's message: nothing in it can start another command. */
function escapeData(text) {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function fail(message) {
  process.stdout.write(`::error title=Vouch::${escapeData(message)}\n`);
  process.exit(2);
}

function warn(message) {
  process.stdout.write(`::warning title=Vouch::${escapeData(message)}\n`);
}

function setOutput(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

/** The pull request's base commit, when the event is a pull request (its payload says which). */
function pullRequestBase() {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (!event.startsWith('pull_request') || !env.GITHUB_EVENT_PATH) return undefined;
  let payload;
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
  } catch (error) {
    warn(`cannot read the event payload ${env.GITHUB_EVENT_PATH} (${error.message}): scanning everything`);
    return undefined;
  }
  const sha = payload?.pull_request?.base?.sha;
  return typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
}

function git(args, cwd) {
  return spawnSync('git', [...SAFE_GIT, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...env, GIT_TERMINAL_PROMPT: '0' },
  });
}

/** A shallow checkout (actions/checkout's default) lacks the base commit: fetch just that one. */
function ensureCommit(sha, cwd) {
  if (git(['cat-file', '-e', `${sha}^{commit}`], cwd).status === 0) return true;
  const fetched = git(['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', sha], cwd);
  if (fetched.status === 0) return true;
  warn(
    `the pull request's base commit ${sha} is not in the checkout and could not be fetched (${(fetched.stderr ?? '').trim()}): scanning everything`,
  );
  return false;
}

const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
const failOn = input('fail-on', 'low');
if (!FAIL_ON.includes(failOn)) fail(`input fail-on must be one of ${FAIL_ON.join(', ')}, not "${failOn}"`);
// One path per line (a path may hold spaces), or several on one line separated by spaces.
const pathsInput = input('paths', '.');
const paths = (/\n/.test(pathsInput) ? pathsInput.split(/\r?\n/) : pathsInput.split(/\s+/))
  .map((path) => path.trim())
  .filter(Boolean);
const sarifFile = input('sarif-file', 'vouch-results/vouch.sarif');
const summary = flag('summary', true);
const summaryFile = join(mkdtempSync(join(env.RUNNER_TEMP ?? tmpdir(), 'vouch-')), 'summary.md');

const args = ['scan', ...paths, '--format', 'github', '--fail-on', failOn, '--report', `sarif:${sarifFile}`];
args.push('--report', `markdown:${summaryFile}`);
if (input('baseline')) args.push('--baseline', input('baseline'));
if (input('config')) args.push('--config', input('config'));
if (flag('strict', false)) args.push('--strict');
const base = flag('changed-only', true) ? pullRequestBase() : undefined;
if (base && ensureCommit(base, workspace)) args.push('--changed-since', base);
const extra = input('args');
if (extra) args.push(...extra.split(/\s+/));

process.stdout.write(`::group::vouch ${escapeData(args.join(' '))}\n::endgroup::\n`);
const run = spawnSync(process.execPath, [VOUCH, ...args], { cwd: workspace, stdio: 'inherit', env });
const exitCode = run.status ?? 3;

if (existsSync(resolve(workspace, sarifFile))) setOutput('sarif-file', sarifFile);
if (existsSync(summaryFile)) {
  setOutput('summary-file', summaryFile);
  if (summary && env.GITHUB_STEP_SUMMARY)
    appendFileSync(env.GITHUB_STEP_SUMMARY, readFileSync(summaryFile, 'utf8'));
} else if (summary && env.GITHUB_STEP_SUMMARY)
  appendFileSync(
    env.GITHUB_STEP_SUMMARY,
    `## Vouch could not finish\n\nExit code ${exitCode}: see the step's log for the message.\n`,
  );
setOutput('exit-code', String(exitCode));
process.exit(exitCode);
