import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { maxOf } from '../core/arrays.js';
import { usageError, VouchError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { databasePath } from '../core/paths.js';
import { VERSION } from '../core/version.js';
import { loadConfig } from '../pipeline/config.js';
import type { RegistryOptions } from '../registry/resolve.js';
import { plain } from '../reporters/escape.js';
import type { AnalysisOptions } from '../simulate/analysis.js';
import { Cassette, CassetteRecorder } from '../simulate/cassette.js';
import {
  DEFAULT_LIMITS,
  loadSimulateConfig,
  type ProviderLimits,
  type SimulateConfig,
} from '../simulate/config.js';
import { computeRunMetrics } from '../simulate/metrics.js';
import { createProvider, parseModelSpec, providerDefinition } from '../simulate/providers/index.js';
import type { ProviderType } from '../simulate/providers/types.js';
import { recheckNames } from '../simulate/recheck.js';
import { SIMULATION_FORMATS, SIMULATION_REPORTERS, type SimulationFormat } from '../simulate/report/index.js';
import { buildReport, type ReportRun, sampleViews } from '../simulate/report/model.js';
import { type ProviderSetup, runSimulation } from '../simulate/runner.js';
import { loadScenarios } from '../simulate/scenarios.js';
import { type RunPlan, RunStore, runStoreFailure, runStorePath } from '../simulate/store.js';
import { type CliIO, useColor } from './io.js';
import { cliLogger } from './progress.js';
import {
  addRegistryScanOptions,
  addRegistrySourceOptions,
  type RegistryFlags,
  registryArguments,
  registryScanOptions,
} from './registry-options.js';
import { parseDays } from './scan-options.js';

interface StoreFlags {
  store?: string;
  cacheDir?: string;
}

interface SimulateFlags extends StoreFlags, RegistryFlags {
  model?: string[];
  samples?: number;
  temperature?: (number | null)[];
  maxTokens?: number;
  seed?: number;
  tag?: string[];
  providers?: string;
  concurrency?: number;
  rpm?: number;
  timeout?: number;
  deadline?: number;
  retries?: number;
  stream: boolean;
  resume?: string;
  runId?: string;
  record?: string;
  replay?: string;
  config?: string;
  database?: string | false;
  maxDatabaseAge?: number;
}

interface ReportFlags extends StoreFlags, Omit<RegistryFlags, 'registry'> {
  format: SimulationFormat;
  output?: string;
  recheck?: boolean;
}

const DEFAULT_SAMPLES = 5;

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}

function nonNegativeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError('expected a whole number');
  return value;
}

function positiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('expected a positive number');
  return value;
}

function temperature(text: string, previous: (number | null)[] | undefined): (number | null)[] {
  const list = previous ?? [];
  for (const part of text.split(',')) {
    if (part === 'default') {
      list.push(null);
      continue;
    }
    const value = Number(part);
    if (part.trim() === '' || !Number.isFinite(value) || value < 0 || value > 2)
      throw new InvalidArgumentError('expected temperatures between 0 and 2 (or "default"), e.g. 0,0.7,1');
    list.push(value);
  }
  return list;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').filter((v) => v !== '')];
}

/** `20260102-153000-a1b2`: sorts by time, unique enough for one user's store. */
function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Runs `use` with the run store open, closing it after; a damaged store or a full disk is said plainly. */
async function withStore<T>(
  io: CliIO,
  flags: StoreFlags,
  use: (store: RunStore) => T | Promise<T>,
): Promise<T> {
  const path = flags.store ? resolve(io.cwd, flags.store) : runStorePath(io.env, flags.cacheDir);
  let store: RunStore | undefined;
  try {
    store = RunStore.open(path);
    return await use(store);
  } catch (error) {
    throw runStoreFailure(error, path) ?? error;
  } finally {
    store?.close();
  }
}

function storeOptions(command: Command): Command {
  return command
    .option('--store <file>', 'the run store (default: <cache>/runs.sqlite)')
    .option(
      '--cache-dir <dir>',
      'cache folder (default: $VOUCH_CACHE_DIR, else $XDG_CACHE_HOME/vouch or ~/.cache/vouch)',
    );
}

function reportOptions(command: Command): Command {
  return addRegistrySourceOptions(
    storeOptions(command)
      .addOption(
        new Option('-f, --format <format>', 'output format').choices(SIMULATION_FORMATS).default('table'),
      )
      .option('-o, --output <file>', 'write the report to a file instead of standard output')
      .option('--recheck', 'ask the registries whether each hallucinated name exists now'),
  );
}

/** `vouch simulate`, `vouch report`, `vouch compare`. */
export function registerSimulateCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const simulate = storeOptions(
    program
      .command('simulate')
      .description(
        'ask models the requests developers ask, many times, and check every package they recommend (see vouch report)',
      )
      .argument('[scenarios...]', 'scenario files (YAML or JSON), or builtin for the built-in pack (default)')
      .option(
        '-m, --model <provider:model>',
        'a model to ask, e.g. openai:gpt-4o, anthropic:claude-sonnet-4-5 or ollama:llama3 (repeat it or separate with commas)',
        collect,
      )
      .option(
        '-n, --samples <n>',
        `answers per scenario, model and temperature (default: ${DEFAULT_SAMPLES})`,
        positiveInteger,
      )
      .option(
        '-t, --temperature <t>',
        'temperatures to sample at, comma-separated or repeated; "default" for the provider\'s (default: default)',
        temperature,
      )
      .option(
        '--max-tokens <n>',
        "longest answer, in tokens (default: the provider's; Anthropic: 4096)",
        positiveInteger,
      )
      .option('--seed <n>', 'sampling seed, for the providers that take one', nonNegativeInteger)
      .option(
        '--tag <tag>',
        'only the scenarios with one of these tags (repeat it or separate with commas)',
        collect,
      )
      .option('--providers <file>', 'base URLs, key variables, limits and prices per provider (YAML or JSON)')
      .option(
        '--concurrency <n>',
        `requests in flight per provider (default: ${DEFAULT_LIMITS.concurrency})`,
        positiveInteger,
      )
      .option('--rpm <n>', 'requests started per minute per provider (default: no limit)', positiveNumber)
      .option(
        '--timeout <seconds>',
        `no answer for this long fails the attempt (default: ${DEFAULT_LIMITS.timeoutMs / 1000})`,
        positiveNumber,
      )
      .option(
        '--deadline <seconds>',
        `a whole answer taking longer fails the attempt, however steadily it streams (default: ${DEFAULT_LIMITS.deadlineMs / 1000})`,
        positiveNumber,
      )
      .option(
        '--retries <n>',
        `attempts after the first (default: ${DEFAULT_LIMITS.retries})`,
        nonNegativeInteger,
      )
      .option('--no-stream', 'ask for whole answers instead of streamed ones')
      .option('--resume <run>', 'ask what a stopped run is missing (and analyse what it has not)')
      .option('--run-id <id>', 'name the new run (default: date, time and a random suffix)')
      .option('--record <file>', 'write every exchange to a cassette (JSON lines)')
      .option('--replay <file>', 'answer from a cassette instead of the providers, offline')
      .option('--config <file>', 'configuration file (default: ./vouch.config.json when present)')
      .option(
        '--database <path>',
        'vulnerability database (default: <cache>/osv.sqlite, see vouch db update)',
      )
      .option('--no-database', 'skip the checks that need the vulnerability database')
      .option(
        '--max-database-age <days>',
        'warn when the vulnerability database is older (default: 7)',
        parseDays,
      ),
  );
  addRegistryScanOptions(simulate).action(async (paths: string[], flags: SimulateFlags) => {
    setExit(await runSimulate(io, paths, flags));
  });

  reportOptions(
    program
      .command('report')
      .description('the metrics of a simulation run; without a run, the runs in the store')
      .argument('[run]', 'the run id that vouch simulate printed'),
  ).action(async (run: string | undefined, flags: ReportFlags) => {
    if (run === undefined) await withStore(io, flags, (store) => io.stdout.write(listRuns(store)));
    else await writeReport(io, flags, [run]);
    setExit(EXIT.clean);
  });

  reportOptions(
    program
      .command('compare')
      .description('the metrics of several simulation runs side by side')
      .argument('<runs...>', 'run ids'),
  ).action(async (runs: string[], flags: ReportFlags) => {
    if (new Set(runs).size !== runs.length) throw usageError('compare: a run is named twice');
    await writeReport(io, flags, runs);
    setExit(EXIT.clean);
  });
}

function reportRun(store: RunStore, id: string): ReportRun {
  const run = store.requireRun(id);
  const samples = store.samples(run.id);
  const metrics = computeRunMetrics(run.plan, samples);
  return { label: run.id, metrics, samples: sampleViews(metrics, samples) };
}

async function writeReport(io: CliIO, flags: ReportFlags, ids: string[]): Promise<void> {
  const runs: ReportRun[] = await withStore(io, flags, (store) => ids.map((id) => reportRun(store, id)));
  if (flags.recheck) {
    const logger = cliLogger(io);
    const options = registryScanOptions({ ...flags, registry: true }, io) as RegistryOptions;
    const warnings = new Set<string>();
    for (const run of runs) for (const w of await recheckNames(run.metrics, options, logger)) warnings.add(w);
    logger.finish();
    for (const warning of warnings) logger.warn(warning);
  }
  const text = SIMULATION_REPORTERS[flags.format](buildReport(runs), {
    color: !flags.output && useColor(io.stdout, io.env),
  });
  if (flags.output) writeFileSync(resolve(io.cwd, flags.output), text);
  else io.stdout.write(text);
}

function listRuns(store: RunStore): string {
  const runs = store.listRuns();
  if (runs.length === 0) return `no runs in ${store.path}\n`;
  const rows = [
    ['run', 'created', 'planned', 'answered', 'failed'],
    ...runs.map((r) => [r.id, r.createdAt, String(r.planned), String(r.ok), String(r.failed)]),
  ];
  const widths = rows[0]!.map((_, i) => maxOf(rows.map((row) => row[i]!.length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

async function runSimulate(io: CliIO, paths: string[], flags: SimulateFlags): Promise<number> {
  if (flags.record && flags.replay) throw usageError('--record and --replay cannot be used together');
  const changesPlan =
    paths.length > 0 ||
    flags.model !== undefined ||
    flags.samples !== undefined ||
    flags.temperature !== undefined ||
    flags.tag !== undefined ||
    flags.maxTokens !== undefined ||
    flags.seed !== undefined;
  if (flags.resume && changesPlan)
    throw usageError(
      '--resume asks what the run planned: scenarios, --model, --samples, --temperature, --tag, --max-tokens and --seed cannot change it',
    );
  if (flags.replay && !flags.resume && changesPlan)
    throw usageError('--replay asks what the cassette planned: scenarios and model options cannot change it');
  if (flags.resume && flags.runId) throw usageError('--run-id names a new run; --resume continues one');

  const simulateConfig = loadSimulateConfig(flags.providers ? resolve(io.cwd, flags.providers) : undefined);
  const overrides = limitOverrides(flags);
  const cassette = flags.replay ? Cassette.load(resolve(io.cwd, flags.replay)) : undefined;
  return withStore(io, flags, async (store) => {
    const run = flags.resume
      ? store.requireRun(flags.resume)
      : store.createRun(
          flags.runId ?? newRunId(),
          cassette?.plan ?? newPlan(io, paths, flags, simulateConfig, overrides),
          VERSION,
        );

    const providerFor = (name: string): ProviderSetup =>
      providerSetup(name, run.plan, simulateConfig, overrides, io);

    const config = loadConfig(io.cwd, flags.config);
    const analysis: AnalysisOptions = {
      cwd: io.cwd,
      database: flags.database === false ? false : resolve(io.cwd, flags.database ?? databasePath(io.env)),
      registry: registryScanOptions(flags, io),
    };
    if (flags.maxDatabaseAge !== undefined) analysis.maxDatabaseAge = flags.maxDatabaseAge;
    if (config.pythonImportMap) analysis.pythonImportMap = config.pythonImportMap;

    const logger = cliLogger(io);
    const summary = await runSimulation({
      store,
      run,
      providerFor,
      ...(cassette ? { replay: cassette } : {}),
      ...(flags.record
        ? {
            record: new CassetteRecorder(resolve(io.cwd, flags.record), run.plan, flags.resume !== undefined),
          }
        : {}),
      analysis,
      logger,
    });
    logger.finish();

    const lines = [
      `run ${summary.runId}: ${summary.planned} samples planned; ${summary.answered} answered${summary.alreadyAnswered > 0 ? ` (and ${summary.alreadyAnswered} before)` : ''}, ${summary.failed} failed, ${summary.analysed} analysed`,
      ...summary.failures.map((f) => `  ×${f.count} ${f.reason}`),
      ...notChecked(summary.notes.skipped),
      ...summary.notes.warnings.map((w) => `warning: ${w}`),
      `report: ${shellCommand(['vouch', 'report', summary.runId, ...storeArguments(io, flags)])}`,
    ];
    if (summary.failed > 0)
      lines.push(
        `ask the failed ones again: ${shellCommand(resumeArguments(io, flags, run.plan, summary.runId))}`,
      );
    io.stdout.write(`${plain(lines.join('\n'))}\n`);
    return summary.asked > 0 && summary.answered === 0 ? EXIT.internal : EXIT.clean;
  });
}

/** `not checked: vulnerable, malicious: no vulnerability database…`, one line per reason. */
function notChecked(skipped: readonly { id: string; reason: string }[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const { id, reason } of skipped) byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
  return [...byReason].map(([reason, ids]) => `not checked: ${ids.join(', ')}: ${reason}`);
}

function limitOverrides(flags: SimulateFlags): Partial<ProviderLimits> {
  const overrides: Partial<ProviderLimits> = {};
  if (flags.concurrency !== undefined) overrides.concurrency = flags.concurrency;
  if (flags.rpm !== undefined) overrides.rpm = flags.rpm;
  if (flags.timeout !== undefined) overrides.timeoutMs = flags.timeout * 1000;
  if (flags.deadline !== undefined) overrides.deadlineMs = flags.deadline * 1000;
  if (flags.retries !== undefined) overrides.retries = flags.retries;
  if (!flags.stream) overrides.stream = false;
  return overrides;
}

/**
 * A provider of the run: as the run stored it (endpoint, key variable, limits), with what a providers file
 * given now says over it, and the command line's limits over both.
 */
function providerSetup(
  name: string,
  plan: RunPlan,
  config: SimulateConfig,
  overrides: Partial<ProviderLimits>,
  io: CliIO,
): ProviderSetup {
  const type = plan.providerTypes[name];
  const { limits: storedLimits = {}, keyInFile, ...stored } = plan.providers?.[name] ?? {};
  const { limits: fileLimits = {}, ...file } = config.providers[name] ?? { limits: {} };
  if (keyInFile && file.apiKey === undefined)
    throw new VouchError(
      'CONFIG',
      `provider ${name}: the run took its key from the providers file (apiKey): give --providers FILE again`,
    );
  return {
    provider: createProvider(name, { ...stored, ...file, ...(type ? { type } : {}) }, io.env),
    limits: { ...DEFAULT_LIMITS, ...storedLimits, ...fileLimits, ...overrides },
  };
}

/** `--store FILE` / `--cache-dir DIR` as given, made absolute: the run store the printed commands must open. */
function storeArguments(io: CliIO, flags: StoreFlags): string[] {
  return [
    ...(flags.store ? ['--store', resolve(io.cwd, flags.store)] : []),
    ...(flags.cacheDir ? ['--cache-dir', resolve(io.cwd, flags.cacheDir)] : []),
  ];
}

/**
 * The command that asks a run's failed samples again and analyses them as this run did: the same store, the
 * same database and registry settings, and the providers file when a key was written in it (the run keeps
 * every other provider setting itself).
 */
function resumeArguments(io: CliIO, flags: SimulateFlags, plan: RunPlan, runId: string): string[] {
  const args = ['vouch', 'simulate', '--resume', runId, ...storeArguments(io, flags)];
  const keyInFile = Object.values(plan.providers ?? {}).some((p) => p.keyInFile);
  if (flags.providers && keyInFile) args.push('--providers', resolve(io.cwd, flags.providers));
  if (flags.config) args.push('--config', resolve(io.cwd, flags.config));
  if (flags.database === false) args.push('--no-database');
  else if (flags.database) args.push('--database', resolve(io.cwd, flags.database));
  if (flags.maxDatabaseAge !== undefined) args.push('--max-database-age', String(flags.maxDatabaseAge));
  return [...args, ...registryArguments(flags)];
}

/** Words a POSIX shell reads back as they are: plain ones bare, others in single quotes. */
function shellCommand(words: readonly string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`)).join(' ');
}

function newPlan(
  io: CliIO,
  paths: string[],
  flags: SimulateFlags,
  config: SimulateConfig,
  overrides: Partial<ProviderLimits>,
): RunPlan {
  if (!flags.model || flags.model.length === 0)
    throw usageError('simulate: name at least one --model PROVIDER:MODEL (e.g. openai:gpt-4o)');
  let scenarios = loadScenarios(paths, io.cwd);
  if (flags.tag) {
    const wanted = new Set(flags.tag);
    scenarios = scenarios.filter((s) => s.tags.some((t) => wanted.has(t)));
    if (scenarios.length === 0) throw usageError(`no scenario has the tag ${flags.tag.join(' or ')}`);
  }
  const providerTypes: Record<string, ProviderType> = {};
  const models: string[] = [];
  for (const text of flags.model) {
    const spec = parseModelSpec(text);
    const type = config.providers[spec.provider]?.type ?? spec.provider;
    if (type !== 'openai' && type !== 'anthropic' && type !== 'ollama')
      throw usageError(
        `--model ${text}: unknown provider "${spec.provider}" (openai, anthropic, ollama, or a name defined in --providers)`,
      );
    providerTypes[spec.provider] = type;
    if (!models.includes(text)) models.push(text);
  }
  const plan: RunPlan = {
    scenarios,
    models,
    temperatures: flags.temperature ? [...new Set(flags.temperature)] : [null],
    samples: flags.samples ?? DEFAULT_SAMPLES,
    providerTypes,
  };
  if (flags.maxTokens !== undefined) plan.maxTokens = flags.maxTokens;
  if (flags.seed !== undefined) plan.seed = flags.seed;
  const prices = Object.fromEntries(models.flatMap((m) => (config.prices[m] ? [[m, config.prices[m]]] : [])));
  if (Object.keys(prices).length > 0) plan.prices = prices;
  plan.providers = {};
  for (const name of Object.keys(providerTypes)) {
    const { limits = {}, ...connection } = config.providers[name] ?? { limits: {} };
    const definition = providerDefinition(name, { ...connection, type: providerTypes[name]! }, io.env);
    const kept = { ...limits, ...overrides };
    plan.providers[name] = Object.keys(kept).length > 0 ? { ...definition, limits: kept } : definition;
  }
  return plan;
}
