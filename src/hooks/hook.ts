/**
 * `vouch hook claude-code` and `vouch hook cursor`: an agent's pre-execution event in, a decision out. A
 * shell: it reads the event, hands the command to `checkInstallCommand` and words the library's verdict in
 * the agent's own protocol. It never prints; the command line writes the response.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { checkInstallCommand, type InstallCheck, type PackageCheckOptions, packageLabel } from '../index.js';

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

/** The command (and where it runs) an event asks to execute; undefined when it executes none. */
interface ShellEvent {
  command: string;
  cwd?: string;
}

class BadEvent extends Error {}

function parseEvent(agent: HookAgent, text: string): ShellEvent | undefined {
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
    // Only the Bash tool runs commands; every other tool (Read, Grep, …) installs nothing.
    if (fields.tool_name !== 'Bash') return undefined;
    const input = fields.tool_input as Record<string, unknown> | undefined;
    if (typeof input?.command !== 'string') throw new BadEvent('a Bash event without tool_input.command');
    return { command: input.command, ...(cwd !== undefined ? { cwd } : {}) };
  }
  if (typeof fields.command !== 'string') throw new BadEvent('a beforeShellExecution event without command');
  return { command: fields.command, ...(cwd !== undefined ? { cwd } : {}) };
}

/** The folder the command runs in, when the event names one that exists; else the hook's own. */
function workingFolder(cwd: string | undefined): string | undefined {
  if (cwd === undefined || !isAbsolute(cwd) || !existsSync(cwd)) return undefined;
  return statSync(cwd).isDirectory() ? cwd : undefined;
}

type Outcome =
  | { kind: 'checked'; check: InstallCheck }
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
    const event = parseEvent(agent, input);
    if (!event) outcome = { kind: 'none' };
    else if (settings.settingsError !== undefined) {
      // Only whether the command installs anything is read (no registry, no database): the rest cannot be.
      const parsed = await checkInstallCommand(event.command, { database: false, registry: false });
      outcome = parsed.installs ? { kind: 'failed', reason: settings.settingsError } : { kind: 'none' };
    } else {
      const cwd = workingFolder(event.cwd);
      const timeout = new Promise<Outcome>((done) => {
        timer = setTimeout(
          () => done({ kind: 'failed', reason: `the check took longer than ${settings.timeoutMs / 1000} s` }),
          settings.timeoutMs,
        );
      });
      outcome = await Promise.race([
        checkInstallCommand(event.command, { ...settings.check, ...(cwd ? { cwd } : {}) }).then(
          (check): Outcome => ({ kind: 'checked', check }),
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

/** The blocked packages and why, one line each, with what to use instead when Vouch knows. */
function blockedText(check: InstallCheck): string {
  const lines = check.blocked.map((p) => {
    const hints: string[] = [];
    if (p.didYouMean.length > 0) hints.push(`did you mean ${p.didYouMean.slice(0, 3).join(', ')}?`);
    if (p.upgrade) hints.push(`${p.upgrade} fixes it`);
    return `- ${packageLabel(p)}: ${p.reasons.join('; ')}${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`;
  });
  return `Vouch blocked this install:\n${lines.join('\n')}`;
}

/** Findings that do not block, and what could not be checked: said, never hidden. */
function noticeText(check: InstallCheck): string | undefined {
  const lines: string[] = [];
  for (const p of check.packages) {
    if (p.verdict !== 'warn') continue;
    const why = p.findings.length > 0 ? p.findings.map((f) => f.message) : p.reasons;
    lines.push(`- ${packageLabel(p)}: ${why.join('; ')}`);
  }
  for (const problem of check.problems) lines.push(`- ${problem}`);
  return lines.length > 0 ? `Vouch: note on this install:\n${lines.join('\n')}` : undefined;
}

function respond(agent: HookAgent, outcome: Outcome, onError: OnError): HookResponse {
  let deny: string | undefined;
  let note: string | undefined;
  if (outcome.kind === 'checked') {
    if (outcome.check.verdict === 'block') deny = blockedText(outcome.check);
    else note = noticeText(outcome.check);
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
