/**
 * `vouch hook claude-code` and `vouch hook cursor`: an agent's pre-execution event in, a decision out. A
 * shell: it reads the event, hands the command to `checkInstallCommand` (or, for Claude Code's Write, Edit
 * and MultiEdit of a manifest, the file's text before and after the edit to `checkManifestEdit`) and words
 * the library's verdict in the agent's own protocol. It never prints; the command line writes the response.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
// The public API, each name from its own module: a Bash event loads the shell parser, not the manifest
// readers, and neither loads the package checks until a package is to be checked.
import type { PackageCheckOptions } from '../index.js';
import { checkInstallCommand, type InstallCheck } from '../pipeline/install.js';
import { packageLabel } from '../pipeline/package-label.js';

const manifestEdits = () => import('../pipeline/manifest-edit.js');

export const HOOK_AGENTS = ['claude-code', 'cursor'] as const;
export type HookAgent = (typeof HOOK_AGENTS)[number];

/** What happens when Vouch cannot decide (a bad event, a failure, the time limit): the user's choice. */
export type OnError = 'deny' | 'allow';

export interface HookSettings {
  check: PackageCheckOptions;
  onError: OnError;
  /** Time for the whole check; past it the command is treated as not checked (`onError`). */
  timeoutMs: number;
  /** The settings could not be read (a broken configuration file): installs are not checked (`onError`). */
  settingsError?: string;
}

/** What the command line writes and exits with. */
export interface HookResponse {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** What was decided, for the command line's tests and logs. */
  decision: 'allow' | 'deny';
}

/** An event larger than this is not an agent's tool call: it is refused rather than parsed. */
export const MAX_EVENT_BYTES = 1024 * 1024;

/**
 * What an event asks for: a command to run (and where), or a manifest's text before and after an edit;
 * undefined when it asks for neither.
 */
type HookEvent =
  | { kind: 'command'; command: string; cwd?: string }
  | { kind: 'edit'; file: string; before: string | undefined; after: string; cwd?: string };

class BadEvent extends Error {}

const EDIT_TOOLS = new Set(['Write', 'Edit', 'MultiEdit']);

/** One `old_string` → `new_string` replacement, as the Edit tool applies it; undefined when it would fail. */
function applyEdit(text: string, edit: unknown): string | undefined {
  const { old_string: from, new_string: to, replace_all: all } = (edit ?? {}) as Record<string, unknown>;
  if (typeof from !== 'string' || typeof to !== 'string')
    throw new BadEvent('an edit without old_string and new_string');
  if (from === '' || !text.includes(from)) return undefined;
  return all === true ? text.split(from).join(to) : text.replace(from, () => to);
}

/** A Write, Edit or MultiEdit of a manifest: the file as it is and as the tool would leave it. */
async function editEvent(
  tool: string,
  input: Record<string, unknown>,
  cwd: string | undefined,
): Promise<HookEvent | undefined> {
  if (typeof input.file_path !== 'string') throw new BadEvent(`a ${tool} event without tool_input.file_path`);
  const { isManifestFile, MAX_MANIFEST_BYTES } = await manifestEdits();
  if (!isManifestFile(input.file_path)) return undefined;
  const file = resolve(cwd ?? process.cwd(), input.file_path);
  let before: string | undefined;
  if (existsSync(file)) {
    if (statSync(file).size > MAX_MANIFEST_BYTES)
      throw new BadEvent(`${basename(file)} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    before = readFileSync(file, 'utf8');
  }
  let after: string | undefined;
  if (tool === 'Write') {
    if (typeof input.content !== 'string') throw new BadEvent('a Write event without tool_input.content');
    after = input.content;
  } else {
    const edits = tool === 'Edit' ? [input] : input.edits;
    if (!Array.isArray(edits)) throw new BadEvent('a MultiEdit event without tool_input.edits');
    // An edit of a file that is not there, or of text it does not hold, fails in the agent: nothing changes.
    after = before;
    for (const edit of edits) after = after === undefined ? undefined : applyEdit(after, edit);
    if (after === undefined) return undefined;
  }
  return { kind: 'edit', file, before, after, ...(cwd !== undefined ? { cwd } : {}) };
}

async function parseEvent(agent: HookAgent, text: string): Promise<HookEvent | undefined> {
  if (Buffer.byteLength(text) > MAX_EVENT_BYTES)
    throw new BadEvent(`the event is larger than ${MAX_EVENT_BYTES} bytes`);
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new BadEvent('the event on standard input is not JSON');
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw new BadEvent('the event on standard input is not a JSON object');
  const fields = event as Record<string, unknown>;
  const cwd = typeof fields.cwd === 'string' ? fields.cwd : undefined;
  if (agent === 'claude-code') {
    // The Bash tool runs commands and the edit tools write files; every other tool (Read, Grep, …) installs
    // nothing.
    const tool = String(fields.tool_name);
    if (tool !== 'Bash' && !EDIT_TOOLS.has(tool)) return undefined;
    const input = fields.tool_input as Record<string, unknown> | undefined;
    if (typeof input !== 'object' || input === null) throw new BadEvent(`a ${tool} event without tool_input`);
    if (tool !== 'Bash') return editEvent(tool, input, cwd !== undefined ? workingFolder(cwd) : undefined);
    if (typeof input.command !== 'string') throw new BadEvent('a Bash event without tool_input.command');
    return { kind: 'command', command: input.command, ...(cwd !== undefined ? { cwd } : {}) };
  }
  if (typeof fields.command !== 'string') throw new BadEvent('a beforeShellExecution event without command');
  return { kind: 'command', command: fields.command, ...(cwd !== undefined ? { cwd } : {}) };
}

/** The folder the command runs in, when the event names one that exists; else the hook's own. */
function workingFolder(cwd: string | undefined): string | undefined {
  if (cwd === undefined || !isAbsolute(cwd) || !existsSync(cwd)) return undefined;
  return statSync(cwd).isDirectory() ? cwd : undefined;
}

type Outcome =
  | { kind: 'checked'; check: InstallCheck; what: string }
  | { kind: 'none' }
  | { kind: 'failed'; reason: string };

/** Decides on one event: the library's verdict, or the reason none could be reached. */
export async function runHook(
  agent: HookAgent,
  input: string,
  settings: HookSettings,
): Promise<HookResponse> {
  let outcome: Outcome;
  let timer: NodeJS.Timeout | undefined;
  try {
    const event = await parseEvent(agent, input);
    if (!event) outcome = { kind: 'none' };
    else if (settings.settingsError !== undefined) {
      // Only whether the command installs anything is read (no registry, no database): the rest cannot be.
      const parsed = await check(event, { database: false, registry: false });
      outcome = parsed.installs ? { kind: 'failed', reason: settings.settingsError } : { kind: 'none' };
    } else {
      const cwd = workingFolder(event.cwd);
      const timeout = new Promise<Outcome>((done) => {
        timer = setTimeout(
          () => done({ kind: 'failed', reason: `the check took longer than ${settings.timeoutMs / 1000} s` }),
          settings.timeoutMs,
        );
      });
      const what = event.kind === 'command' ? 'install' : `edit of ${basename(event.file)}`;
      outcome = await Promise.race([
        check(event, { ...settings.check, ...(cwd ? { cwd } : {}) }).then(
          (result): Outcome => ({ kind: 'checked', check: result, what }),
        ),
        timeout,
      ]);
    }
  } catch (error) {
    outcome = { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
  return respond(agent, outcome, settings.onError);
}

async function check(event: HookEvent, options: PackageCheckOptions): Promise<InstallCheck> {
  if (event.kind === 'command') return checkInstallCommand(event.command, options);
  const { checkManifestEdit } = await manifestEdits();
  return checkManifestEdit(event.file, event.before, event.after, options);
}

/** The blocked packages and why, one line each, with what to use instead when Vouch knows. */
function blockedText(check: InstallCheck, what: string): string {
  const lines = check.blocked.map((p) => {
    const hints: string[] = [];
    if (p.didYouMean.length > 0 && !saysDidYouMean(p.reasons))
      hints.push(`did you mean ${p.didYouMean.slice(0, 3).join(', ')}?`);
    if (p.upgrade) hints.push(`${p.upgrade} fixes it`);
    return `- ${packageLabel(p)}: ${p.reasons.join('; ')}${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`;
  });
  return `Vouch blocked this ${what}:\n${lines.join('\n')}`;
}

/** Findings that do not block, and what could not be checked: said, never hidden. */
function noticeText(check: InstallCheck, what: string): string | undefined {
  const lines: string[] = [];
  for (const p of check.packages) {
    if (p.verdict !== 'warn') continue;
    const why = p.findings.length > 0 ? p.findings.map((f) => f.message) : p.reasons;
    lines.push(`- ${packageLabel(p)}: ${why.join('; ')}`);
  }
  for (const problem of check.problems) lines.push(`- ${problem}`);
  return lines.length > 0 ? `Vouch: note on this ${what}:\n${lines.join('\n')}` : undefined;
}

function respond(agent: HookAgent, outcome: Outcome, onError: OnError): HookResponse {
  let deny: string | undefined;
  let note: string | undefined;
  if (outcome.kind === 'checked') {
    if (outcome.check.verdict === 'block') deny = blockedText(outcome.check, outcome.what);
    else note = noticeText(outcome.check, outcome.what);
  } else if (outcome.kind === 'failed') {
    const what = `Vouch could not check this command: ${outcome.reason}`;
    if (onError === 'deny')
      deny = `${what}. It is blocked because the hook runs with --on-error deny (the default); run the command yourself after checking it, or configure --on-error allow.`;
    else note = `${what}; allowed (--on-error allow).`;
  }
  if (agent === 'cursor') {
    const body =
      deny !== undefined
        ? { permission: 'deny', user_message: deny, agent_message: deny }
        : { permission: 'allow', ...(note !== undefined ? { user_message: note, agent_message: note } : {}) };
    return {
      exitCode: 0,
      stdout: `${JSON.stringify(body)}\n`,
      stderr: '',
      decision: deny !== undefined ? 'deny' : 'allow',
    };
  }
  // Claude Code: exit 2 blocks the call and hands standard error to the model; exit 0 lets it run, and a
  // systemMessage is shown to the user. No "allow" decision is ever printed: that would skip the user's
  // own permission rules.
  if (deny !== undefined) return { exitCode: 2, stdout: '', stderr: `${deny}\n`, decision: 'deny' };
  return {
    exitCode: 0,
    stdout: note !== undefined ? `${JSON.stringify({ systemMessage: note })}\n` : '',
    stderr: '',
    decision: 'allow',
  };
}

/** The registry's reason may already name the look-alikes: they are not said twice. */
function saysDidYouMean(reasons: readonly string[]): boolean {
  return reasons.some((reason) => reason.includes('did you mean'));
}
