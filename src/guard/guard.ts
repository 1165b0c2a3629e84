/**
 * `vouch guard -- <install command>`: checks what the command would install (`checkInstallCommand`), and runs
 * it unchanged only when the policy lets it. A shell: the verdict is the library's; this file words it and
 * runs the command (its argv as given, never through a shell), passing its exit status through. It never
 * prints; the command line writes the messages.
 */
import { spawn } from 'node:child_process';
import type { PackageCheckOptions } from '../index.js';
import { checkInstallCommand, type InstallCheck } from '../pipeline/install.js';
import { packageLabel } from '../pipeline/package-label.js';

export type OnError = 'deny' | 'allow';

export interface GuardSettings {
  check: PackageCheckOptions;
  /** When the check itself fails: refuse to run (default) or run anyway. */
  onError: OnError;
}

export interface GuardDecision {
  run: boolean;
  /** What to tell the user on standard error, one line each. */
  messages: string[];
  /** The exit code when the command is not run: 1 refused by policy, 3 the check failed. */
  exitCode: number;
}

function describe(check: InstallCheck): string[] {
  const lines: string[] = [];
  for (const p of check.packages) {
    if (p.verdict === 'ok') continue;
    const why =
      p.verdict === 'block'
        ? p.reasons
        : p.findings.length > 0
          ? p.findings.map((f) => f.message)
          : p.reasons;
    const hints: string[] = [];
    if (p.verdict === 'block' && p.didYouMean.length > 0 && !saysDidYouMean(p.reasons))
      hints.push(`did you mean ${p.didYouMean.slice(0, 3).join(', ')}?`);
    if (p.verdict === 'block' && p.upgrade) hints.push(`${p.upgrade} fixes it`);
    lines.push(
      `${p.verdict === 'block' ? 'blocked' : 'warning'}: ${packageLabel(p)}: ${why.join('; ')}${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`,
    );
  }
  for (const problem of check.problems) lines.push(`not checked: ${problem}`);
  return lines;
}

/** Whether to run the command, and what to say. */
export async function decideGuard(argv: readonly string[], settings: GuardSettings): Promise<GuardDecision> {
  let check: InstallCheck;
  try {
    check = await checkInstallCommand(argv, settings.check);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return settings.onError === 'allow'
      ? {
          run: true,
          exitCode: 0,
          messages: [`could not check the command (${reason}); running it (--on-error allow)`],
        }
      : {
          run: false,
          exitCode: 3,
          messages: [
            `could not check the command (${reason}); not running it (--on-error allow runs it anyway)`,
          ],
        };
  }
  const messages = describe(check);
  if (check.verdict === 'block') {
    messages.push(`not running: ${argv.join(' ')}`);
    return { run: false, exitCode: 1, messages };
  }
  return { run: true, exitCode: 0, messages };
}

/**
 * Runs the command with the guard's own standard streams, as the shell would have, and resolves to its exit
 * status (128 + the signal number when a signal ended it, as shells report it). Interrupts sent to the guard
 * reach the command too, since both are in the terminal's process group; the guard waits for it to end.
 */
export function runCommand(argv: readonly string[], cwd: string): Promise<number> {
  const [file, ...args] = argv;
  return new Promise((done, fail) => {
    const child = spawn(file!, args, { stdio: 'inherit', cwd });
    // Ctrl-C reaches the command from the terminal itself; a signal sent to the guard alone is passed on.
    // Either way the guard outlives the command, to pass its status on.
    const ignore = () => {};
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', ignore);
    process.on('SIGTERM', forward);
    process.on('SIGHUP', forward);
    const cleanup = () => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
    };
    child.on('error', (error) => {
      cleanup();
      fail(error);
    });
    child.on('close', (code, signal) => {
      cleanup();
      done(code ?? 128 + (signal ? signalNumber(signal) : 0));
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return numbers[signal] ?? 1;
}

/** The registry's reason may already name the look-alikes: they are not said twice. */
function saysDidYouMean(reasons: readonly string[]): boolean {
  return reasons.some((reason) => reason.includes('did you mean'));
}
