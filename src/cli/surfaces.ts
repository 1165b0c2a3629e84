/**
 * The command-line entries of the surfaces where packages enter code: `vouch mcp` (and the hooks, guard and
 * proxy as they come). Each reads the shared flags and the configuration here, as `vouch scan` does, and
 * hands them to its shell (`src/mcp/`, …), loaded only when its command runs.
 */
import { resolve } from 'node:path';
import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import { VouchError } from '../core/errors.js';
import type { HookAgent, OnError } from '../hooks/hook.js';
import type { PackageCheckOptions } from '../index.js';
import { configInScannedTree, loadConfig } from '../pipeline/config.js';
import { oneLine } from '../reporters/escape.js';
import type { CliIO } from './io.js';
import { cliLogger } from './progress.js';
import { addCheckOptions, type ReportFlags, reportScanOptions } from './scan-options.js';

type CheckFlags = Omit<ReportFlags, 'format' | 'output'>;

/**
 * What every surface checks with: the flags over the configuration file, as `vouch scan` reads them, and the
 * gate (`failOn`, thresholds per kind, `strict`) that decides each package's verdict.
 */
function checkSettings(
  io: CliIO,
  flags: CheckFlags,
  scanned: readonly string[],
): PackageCheckOptions & { maxFileSize?: number } {
  const config = loadConfig(io.cwd, flags.config);
  const logger = cliLogger(io);
  const selfConfigured = configInScannedTree(config, scanned, io.cwd);
  if (selfConfigured) logger.warn(selfConfigured);
  const failOn = flags.failOn ?? config.failOn;
  const strict = flags.strict ?? config.strict;
  return {
    ...reportScanOptions(flags as ReportFlags, config, io, logger),
    gate: {
      ...(failOn !== undefined ? { failOn } : {}),
      ...(config.failOnKind ? { failOnKind: config.failOnKind } : {}),
      ...(strict !== undefined ? { strict } : {}),
    },
  };
}

/** Without --registry-deadline, a hook or guard waits this long for registries before calling a package unchecked. */
const SURFACE_REGISTRY_DEADLINE_MS = 15_000;
/** A hook's whole check, past which the command counts as not checked (--on-error decides). */
const DEFAULT_HOOK_TIMEOUT_S = 30;

const HOOK_AGENTS: readonly HookAgent[] = ['claude-code', 'cursor'];

function parsePort(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new InvalidArgumentError('expected a port number');
  return value;
}

function parseSeconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 3600)
    throw new InvalidArgumentError('expected a number of seconds between 0 and 3600');
  return value;
}

/** An install about to happen should not wait minutes on a registry: a shorter default deadline. */
function installSettings(io: CliIO, flags: CheckFlags, scanned: readonly string[]): PackageCheckOptions {
  const { maxFileSize: _maxFileSize, ...check } = checkSettings(io, flags, scanned);
  if (check.registry && flags.registryDeadline === undefined)
    check.registry = { ...check.registry, deadlineMs: SURFACE_REGISTRY_DEADLINE_MS };
  return check;
}

function onErrorOption(): Option {
  return new Option(
    '--on-error <decision>',
    'when Vouch cannot check a command (a failure, a bad event, the time limit): deny it or allow it',
  )
    .choices(['deny', 'allow'])
    .default('deny');
}

export function registerSurfaceCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const mcp = program
    .command('mcp')
    .description('serve the checks as MCP tools on standard input/output (for assistants and IDEs)')
    .argument('[roots...]', 'folders scan_path may read (default: the working directory)');
  addCheckOptions(mcp).action(async (roots: string[], flags: CheckFlags) => {
    const [{ serveMcp }, { openScanSession }] = await Promise.all([
      import('../mcp/server.js'),
      import('../pipeline/session.js'),
    ]);
    const folders = roots.length > 0 ? roots.map((root) => resolve(io.cwd, root)) : [io.cwd];
    const { maxFileSize, ...check } = checkSettings(io, flags, folders);
    // The cache, configuration and database stay open from one call to the next.
    const session = openScanSession();
    try {
      await serveMcp({
        check: { ...check, session },
        roots: folders,
        ...(maxFileSize !== undefined ? { maxFileSize } : {}),
      });
    } finally {
      session.close();
    }
    setExit(0);
  });

  const hook = program
    .command('hook')
    .description(
      "an agent's pre-execution hook: reads its event on standard input and denies installing packages the policy blocks",
    )
    .addArgument(new Argument('<agent>', 'the agent whose event it reads').choices([...HOOK_AGENTS]))
    .addOption(onErrorOption())
    .option(
      '--timeout <seconds>',
      `time for the whole check (default: ${DEFAULT_HOOK_TIMEOUT_S}); past it, --on-error decides`,
      parseSeconds,
    );
  addCheckOptions(hook).action(
    async (agent: HookAgent, flags: CheckFlags & { onError: OnError; timeout?: number }) => {
      const { runHook, MAX_EVENT_BYTES } = await import('../hooks/hook.js');
      let input: string;
      try {
        input = await io.readStdin(MAX_EVENT_BYTES);
      } catch {
        input = '';
      }
      let check: PackageCheckOptions = { cwd: io.cwd };
      let settingsError: string | undefined;
      try {
        check = installSettings(io, flags, [io.cwd]);
      } catch (error) {
        // A broken configuration must not turn the hook off: an install is decided by --on-error.
        settingsError = error instanceof Error ? error.message : String(error);
      }
      const response = await runHook(agent, input, {
        check,
        ...(settingsError !== undefined ? { settingsError } : {}),
        onError: flags.onError,
        timeoutMs: (flags.timeout ?? DEFAULT_HOOK_TIMEOUT_S) * 1000,
      });
      io.stdout.write(response.stdout);
      io.stderr.write(response.stderr);
      setExit(response.exitCode);
    },
  );

  const guard = program
    .command('guard')
    .description(
      'check what an install command would add, and run it only when the policy allows: vouch guard -- npm install x',
    )
    .argument('<command...>', 'the command and its arguments, after --')
    .addOption(onErrorOption());
  addCheckOptions(guard).action(async (argv: string[], flags: CheckFlags & { onError: OnError }) => {
    const { decideGuard, runCommand } = await import('../guard/guard.js');
    const decision = await decideGuard(argv, {
      check: installSettings(io, flags, [io.cwd]),
      onError: flags.onError,
    });
    for (const message of decision.messages) io.stderr.write(`vouch: ${oneLine(message)}\n`);
    if (!decision.run) {
      setExit(decision.exitCode);
      return;
    }
    try {
      setExit(await runCommand(argv, io.cwd));
    } catch (error) {
      throw new VouchError('INPUT', `cannot run ${argv[0]}: ${(error as Error).message}`);
    }
  });

  const proxy = program
    .command('proxy')
    .description(
      'a proxy for LLM APIs (OpenAI chat completions and Responses, Anthropic Messages) that checks each answer: annotates risky ones, or with --mode block replaces them',
    )
    .requiredOption(
      '--upstream <url>',
      'the base URL the client would use without the proxy, e.g. https://llm.example.org/v1',
    )
    .option('--port <port>', 'the port to listen on (0: any free port)', parsePort, 8787)
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .addOption(
      new Option('--mode <mode>', 'annotate risky answers, or replace them')
        .choices(['annotate', 'block'])
        .default('annotate'),
    );
  addCheckOptions(proxy).action(
    async (
      flags: CheckFlags & { upstream: string; port: number; host: string; mode: 'annotate' | 'block' },
    ) => {
      const [{ createProxy }, { openScanSession }] = await Promise.all([
        import('../proxy/proxy.js'),
        import('../pipeline/session.js'),
      ]);
      const logger = cliLogger(io);
      let server: ReturnType<typeof createProxy>;
      const session = openScanSession();
      try {
        server = createProxy({
          upstream: flags.upstream,
          mode: flags.mode,
          check: { ...installSettings(io, flags, []), session },
          warn: (message) => logger.warn(message),
        });
      } catch (error) {
        throw new VouchError('USAGE', (error as Error).message);
      }
      await new Promise<void>((done, fail) => {
        server.once('error', fail);
        server.listen(flags.port, flags.host, () => done());
      });
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : flags.port;
      // The upstream is shown without any user or password it carries.
      const shown = new URL(flags.upstream);
      io.stderr.write(
        `vouch proxy: listening on http://${flags.host}:${port} (upstream ${oneLine(`${shown.origin}${shown.pathname}`)}, ${flags.mode})\n`,
      );
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close(() => done());
          server.closeAllConnections();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      session.close();
      setExit(0);
    },
  );
}
