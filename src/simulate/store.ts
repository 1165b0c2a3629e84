/**
 * The run store: one SQLite file (`<cache>/runs.sqlite`, WAL) with every run's plan and every sample as it
 * arrived, so that a killed run resumes with what is missing and reports are computed from it alone.
 */
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { VouchError } from '../core/errors.js';
import { cacheDir, type Env, makeFolders } from '../core/paths.js';
import { describeStorageTrouble, openDatabase, storageTrouble } from '../core/sqlite.js';
import type { SampleAnalysis } from './analysis.js';
import type { Price, ProviderLimits } from './config.js';
import type { ProviderDefinition } from './providers/index.js';
import type { ChatPrompt, GenerationParams, ProviderType } from './providers/types.js';
import type { Scenario } from './scenarios.js';

const RUNS_FILE = 'runs.sqlite';
/** Bumped whenever the tables change; an older file is refused with advice to move it away. */
const STORE_SCHEMA_VERSION = 1;

export function runStorePath(env: Env = process.env, explicitCacheDir?: string): string {
  return join(cacheDir(env, explicitCacheDir), RUNS_FILE);
}

/** What a run asks: fixed when it starts, so that a resumed run asks the same questions. */
export interface RunPlan {
  scenarios: Scenario[];
  /** `PROVIDER:MODEL`. */
  models: string[];
  /** null: the provider's default temperature. */
  temperatures: (number | null)[];
  samples: number;
  /** The type of each provider name the models use (`local` → `openai`), to read answers on replay. */
  providerTypes: Record<string, ProviderType>;
  maxTokens?: number;
  seed?: number;
  /** USD per million tokens of the run's models, as configured when it started. */
  prices?: Record<string, Price>;
  /**
   * How each provider of the run was reached and limited when it started (no key: the name of its
   * variable), so that `--resume` needs no providers file. Absent in runs made before Vouch kept it.
   */
  providers?: Record<string, ProviderDefinition & { limits?: Partial<ProviderLimits> }>;
}

export interface RunInfo {
  id: string;
  createdAt: string;
  toolVersion: string;
  plan: RunPlan;
}

export interface SampleKey {
  scenario: string;
  model: string;
  temperature: number | null;
  /** 0-based. */
  sample: number;
}

export interface SampleRecord extends SampleKey {
  status: 'ok' | 'failed';
  /** Why the sample failed. */
  error?: string;
  prompt: ChatPrompt;
  params: GenerationParams;
  /** The JSON body sent (no credentials: those travel in headers, which are not kept). */
  request?: string;
  httpStatus?: number;
  /** The answer's body as received: a JSON document or the whole event stream. */
  raw?: string;
  text?: string;
  startedAt: string;
  latencyMs?: number;
  firstByteMs?: number;
  attempts: number;
  inputTokens?: number;
  outputTokens?: number;
  /** USD, when the model's prices are configured. */
  cost?: number;
  analysis?: SampleAnalysis;
}

export interface RunListing {
  id: string;
  createdAt: string;
  planned: number;
  ok: number;
  failed: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  plan TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS samples (
  run_id TEXT NOT NULL,
  scenario TEXT NOT NULL,
  model TEXT NOT NULL,
  -- '' for the provider's default, else the number as written by JSON.stringify.
  temperature TEXT NOT NULL,
  sample INTEGER NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  prompt TEXT NOT NULL,
  params TEXT NOT NULL,
  request TEXT,
  http_status INTEGER,
  raw TEXT,
  text TEXT,
  started_at TEXT NOT NULL,
  latency_ms REAL,
  first_byte_ms REAL,
  attempts INTEGER NOT NULL,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cost REAL,
  analysis TEXT,
  -- A rowid table: rows are kilobytes (answers), which WITHOUT ROWID tables store slowly.
  UNIQUE (run_id, scenario, model, temperature, sample)
);
`;

interface SampleRow {
  scenario: string;
  model: string;
  temperature: string;
  sample: number;
  status: string;
  error: string | null;
  prompt: string;
  params: string;
  request: string | null;
  http_status: number | null;
  raw: string | null;
  text: string | null;
  started_at: string;
  latency_ms: number | null;
  first_byte_ms: number | null;
  attempts: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cost: number | null;
  analysis: string | null;
}

/** One string per sample, for sets and cassettes. */
export function sampleId(key: SampleKey): string {
  return [key.scenario, key.model, temperatureKey(key.temperature), key.sample].join('\t');
}

function temperatureKey(temperature: number | null): string {
  return temperature === null ? '' : JSON.stringify(temperature);
}

/**
 * A run store that is damaged, or a disk that filled up under it, as the user's error (exit 2) saying
 * what to do; undefined for any other error.
 */
export function runStoreFailure(error: unknown, path: string): VouchError | undefined {
  const trouble = storageTrouble(error);
  if (!trouble) return undefined;
  const remedy =
    trouble === 'corrupt'
      ? 'move it aside (its runs cannot be read any more) or pass --store FILE to use another run store'
      : trouble === 'full'
        ? 'free some space and run the command again (--resume continues the run)'
        : 'check the disk and run the command again';
  return new VouchError('INPUT', `${path}: ${describeStorageTrouble(trouble, error)}; ${remedy}`, {
    cause: error,
  });
}

export class RunStore {
  private readonly insertSample: BetterSqlite3.Statement;
  private readonly updateAnalysis: BetterSqlite3.Statement;
  private readonly queue: [string, SampleRecord][] = [];

  private constructor(
    private readonly db: BetterSqlite3.Database,
    readonly path: string,
  ) {
    this.insertSample = db.prepare(`INSERT OR REPLACE INTO samples (run_id, scenario, model, temperature,
      sample, status, error, prompt, params, request, http_status, raw, text, started_at, latency_ms,
      first_byte_ms, attempts, input_tokens, output_tokens, cost, analysis) VALUES (
      @run_id, @scenario, @model, @temperature, @sample, @status, @error, @prompt, @params, @request,
      @http_status, @raw, @text, @started_at, @latency_ms, @first_byte_ms, @attempts, @input_tokens,
      @output_tokens, @cost, @analysis)`);
    this.updateAnalysis = db.prepare(
      'UPDATE samples SET analysis = ? WHERE run_id = ? AND scenario = ? AND model = ? AND temperature = ? AND sample = ?',
    );
  }

  static open(path: string): RunStore {
    makeFolders(dirname(path));
    let db: BetterSqlite3.Database;
    try {
      db = openDatabase(path);
      db.pragma('journal_mode = WAL');
      // WAL with NORMAL loses nothing a killed process wrote; only a power cut may cost the last samples.
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
    } catch (error) {
      throw (
        runStoreFailure(error, path) ??
        new VouchError('INPUT', `${path}: cannot open the run store (${(error as Error).message})`, {
          cause: error,
        })
      );
    }
    const version = (
      db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined
    )?.value;
    if (version === undefined)
      db.prepare("INSERT INTO meta VALUES ('schema', ?)").run(String(STORE_SCHEMA_VERSION));
    else if (Number(version) !== STORE_SCHEMA_VERSION) {
      db.close();
      throw new VouchError(
        'INPUT',
        `${path}: the run store has schema ${version}, this Vouch reads ${STORE_SCHEMA_VERSION}; move the file away to start a new one`,
      );
    }
    return new RunStore(db, path);
  }

  createRun(id: string, plan: RunPlan, toolVersion: string, now = new Date()): RunInfo {
    if (this.getRun(id))
      throw new VouchError('USAGE', `a run named ${id} exists already: use --resume ${id}`);
    const run: RunInfo = { id, createdAt: now.toISOString(), toolVersion, plan };
    this.db
      .prepare('INSERT INTO runs VALUES (?, ?, ?, ?)')
      .run(id, run.createdAt, toolVersion, JSON.stringify(plan));
    return run;
  }

  getRun(id: string): RunInfo | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as
      | { id: string; created_at: string; tool_version: string; plan: string }
      | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      createdAt: row.created_at,
      toolVersion: row.tool_version,
      plan: JSON.parse(row.plan),
    };
  }

  /** The run, or an INPUT error that lists the runs there are. */
  requireRun(id: string): RunInfo {
    const run = this.getRun(id);
    if (run) return run;
    const known = this.listRuns().map((r) => r.id);
    throw new VouchError(
      'INPUT',
      `no run ${id} in ${this.path}${known.length > 0 ? ` (runs: ${known.slice(-5).join(', ')})` : ' (it has no runs)'}`,
    );
  }

  listRuns(): RunListing[] {
    const rows = this.db
      .prepare(
        `SELECT r.id, r.created_at, r.plan,
           (SELECT count(*) FROM samples s WHERE s.run_id = r.id AND s.status = 'ok') AS ok,
           (SELECT count(*) FROM samples s WHERE s.run_id = r.id AND s.status = 'failed') AS failed
         FROM runs r ORDER BY r.created_at, r.id`,
      )
      .all() as { id: string; created_at: string; plan: string; ok: number; failed: number }[];
    return rows.map((row) => {
      const plan = JSON.parse(row.plan) as RunPlan;
      return {
        id: row.id,
        createdAt: row.created_at,
        planned: plannedCount(plan),
        ok: row.ok,
        failed: row.failed,
      };
    });
  }

  /**
   * Queued and written in one transaction with the others settled in the same turn of the event loop,
   * before any further I/O: a sample that arrived survives the process being killed, and a busy run pays
   * one commit per turn rather than one per sample. `flush()` writes the queue now.
   */
  queueSample(runId: string, record: SampleRecord): void {
    this.queue.push([runId, record]);
    if (this.queue.length === 1) setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.queue.length === 0) return;
    const queued = this.queue.splice(0);
    this.db.transaction(() => {
      for (const [runId, record] of queued) this.putSample(runId, record);
    })();
  }

  putSample(runId: string, record: SampleRecord): void {
    this.insertSample.run({
      run_id: runId,
      scenario: record.scenario,
      model: record.model,
      temperature: temperatureKey(record.temperature),
      sample: record.sample,
      status: record.status,
      error: record.error ?? null,
      prompt: JSON.stringify(record.prompt),
      params: JSON.stringify(record.params),
      request: record.request ?? null,
      http_status: record.httpStatus ?? null,
      raw: record.raw ?? null,
      text: record.text ?? null,
      started_at: record.startedAt,
      latency_ms: record.latencyMs ?? null,
      first_byte_ms: record.firstByteMs ?? null,
      attempts: record.attempts,
      input_tokens: record.inputTokens ?? null,
      output_tokens: record.outputTokens ?? null,
      cost: record.cost ?? null,
      analysis: record.analysis ? JSON.stringify(record.analysis) : null,
    });
  }

  putAnalyses(runId: string, analyses: readonly { key: SampleKey; analysis: SampleAnalysis }[]): void {
    this.db.transaction(() => {
      for (const { key, analysis } of analyses)
        this.updateAnalysis.run(
          JSON.stringify(analysis),
          runId,
          key.scenario,
          key.model,
          temperatureKey(key.temperature),
          key.sample,
        );
    })();
  }

  /** Ids (`sampleId`) of the samples answered; failed ones are asked again when a run resumes. */
  answered(runId: string): Set<string> {
    const rows = this.db
      .prepare("SELECT scenario, model, temperature, sample FROM samples WHERE run_id = ? AND status = 'ok'")
      .all(runId) as Pick<SampleRow, 'scenario' | 'model' | 'temperature' | 'sample'>[];
    return new Set(rows.map((row) => [row.scenario, row.model, row.temperature, row.sample].join('\t')));
  }

  samples(runId: string, which: 'all' | 'unanalysed' = 'all'): SampleRecord[] {
    const filter = which === 'unanalysed' ? " AND status = 'ok' AND analysis IS NULL" : '';
    const rows = this.db
      .prepare(
        `SELECT * FROM samples WHERE run_id = ?${filter} ORDER BY scenario, model, temperature, sample`,
      )
      .all(runId) as SampleRow[];
    return rows.map(fromRow);
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}

export function plannedCount(plan: RunPlan): number {
  return plan.scenarios.length * plan.models.length * plan.temperatures.length * plan.samples;
}

function fromRow(row: SampleRow): SampleRecord {
  const record: SampleRecord = {
    scenario: row.scenario,
    model: row.model,
    temperature: row.temperature === '' ? null : Number(row.temperature),
    sample: row.sample,
    status: row.status === 'ok' ? 'ok' : 'failed',
    prompt: JSON.parse(row.prompt),
    params: JSON.parse(row.params),
    startedAt: row.started_at,
    attempts: row.attempts,
  };
  if (row.error !== null) record.error = row.error;
  if (row.request !== null) record.request = row.request;
  if (row.http_status !== null) record.httpStatus = row.http_status;
  if (row.raw !== null) record.raw = row.raw;
  if (row.text !== null) record.text = row.text;
  if (row.latency_ms !== null) record.latencyMs = row.latency_ms;
  if (row.first_byte_ms !== null) record.firstByteMs = row.first_byte_ms;
  if (row.input_tokens !== null) record.inputTokens = row.input_tokens;
  if (row.output_tokens !== null) record.outputTokens = row.output_tokens;
  if (row.cost !== null) record.cost = row.cost;
  if (row.analysis !== null) record.analysis = JSON.parse(row.analysis);
  return record;
}
