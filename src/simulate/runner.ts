/**
 * Runs a simulation: asks every provider for what the run's plan still misses, within each provider's
 * concurrency, request rate and retry budget, stores every sample the moment it is settled, then analyses
 * the answers. A sample that fails is stored as failed with the reason and the run goes on; a provider
 * that keeps failing has its remaining samples failed without being asked, and the run completes.
 */

import { afterAttempts, backoffDelay, isRetryableStatus, redactUrl } from '../core/http.js';
import type { Logger } from '../core/log.js';
import { silentLogger } from '../core/log.js';
import { type AnalysisNotes, type AnalysisOptions, analyseAnswers } from './analysis.js';
import type { Cassette, CassetteEntry, CassetteRecorder } from './cassette.js';
import type { ProviderLimits } from './config.js';
import { PARSERS, parseModelSpec } from './providers/index.js';
import { httpTransport, NetworkError, type Transport } from './providers/transport.js';
import {
  type ChatPrompt,
  type Completion,
  type GenerationParams,
  MalformedAnswerError,
  type Provider,
  type ProviderRequest,
  StreamedError,
} from './providers/types.js';
import type { Scenario } from './scenarios.js';
import {
  plannedCount,
  type RunInfo,
  type RunStore,
  type SampleKey,
  type SampleRecord,
  sampleId,
} from './store.js';

export interface ProviderSetup {
  provider: Provider;
  limits: ProviderLimits;
}

export interface SimulationOptions {
  store: RunStore;
  run: RunInfo;
  /**
   * The provider of a name (the part of `--model` before the colon), asked only for providers that have
   * samples to answer (never when replaying), so a resumed run needs no key for a finished provider.
   */
  providerFor: (name: string) => ProviderSetup;
  /** Answers come from this cassette instead of the providers. */
  replay?: Cassette;
  record?: CassetteRecorder;
  /** false: collect only (the answers are analysed by a later resume). */
  analysis: AnalysisOptions | false;
  logger?: Logger;
  /** Tests and benchmarks: the transport of each provider. Default: HTTP with a pool per provider. */
  transportFor?: (setup: ProviderSetup) => Transport;
}

export interface SimulationSummary {
  runId: string;
  planned: number;
  /** Answered before this invocation (a resumed run). */
  alreadyAnswered: number;
  asked: number;
  answered: number;
  failed: number;
  analysed: number;
  /** Failure reasons of this invocation with their counts, most frequent first. */
  failures: { reason: string; count: number }[];
  /** What the analysis could not check, and its warnings. */
  notes: AnalysisNotes;
  collectMs: number;
  analyseMs: number;
}

interface WorkItem extends SampleKey {
  scenarioInfo: Scenario;
}

/** The chat APIs also document 409 (a conflicting request in flight) as worth retrying. */
const isRetryableChatStatus = (status: number) => status === 409 || isRetryableStatus(status);

export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const { store, run } = options;
  const logger = options.logger ?? silentLogger;
  const answered = store.answered(run.id);
  const work = plannedWork(run).filter((item) => !answered.has(sampleId(item)));
  const planned = plannedCount(run.plan);
  const failures = new Map<string, number>();
  const counts = { answered: 0, failed: 0 };

  const started = performance.now();
  const progress = () => {
    const done = counts.answered + counts.failed;
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (work.length - done) / rate : undefined;
    logger.progress({
      task: 'simulate',
      done,
      total: work.length,
      detail: `${counts.failed} failed, ${rate.toFixed(1)}/s${eta !== undefined && done < work.length ? `, ETA ${formatDuration(eta)}` : ''}`,
    });
  };
  const settle = (record: SampleRecord) => {
    store.queueSample(run.id, record);
    if (record.status === 'ok') counts.answered++;
    else {
      counts.failed++;
      failures.set(record.error!, (failures.get(record.error!) ?? 0) + 1);
    }
    progress();
  };

  if (work.length > 0) {
    if (options.replay) {
      const cassette = options.replay;
      for (const item of work) settle(replaySample(item, run, cassette));
    } else {
      const lanes = new Map<string, Lane>();
      const queues = new Map<string, WorkItem[]>();
      for (const item of work) {
        const name = parseModelSpec(item.model).provider;
        if (!lanes.has(name)) {
          const setup = options.providerFor(name);
          lanes.set(
            name,
            new Lane(setup, options.transportFor?.(setup) ?? httpTransport(setup.limits.concurrency)),
          );
        }
        const queue = queues.get(name) ?? [];
        queue.push(item);
        queues.set(name, queue);
      }
      try {
        await Promise.all(
          [...lanes.entries()].map(([name, lane]) =>
            lane.drain(queues.get(name)!, run, options.record, settle),
          ),
        );
      } finally {
        await Promise.all([...lanes.values()].map((lane) => lane.close()));
      }
    }
  }
  store.flush();
  const collectMs = performance.now() - started;

  const analyseStarted = performance.now();
  let analysed = 0;
  let notes: AnalysisNotes = { skipped: [], warnings: [] };
  if (options.analysis !== false) {
    const pending = store
      .samples(run.id, 'unanalysed')
      .filter((s) => s.text !== undefined) as (SampleRecord & {
      text: string;
    })[];
    notes = await analyseAnswers(pending, options.analysis, (batch) => {
      store.putAnalyses(
        run.id,
        batch.map(({ answer, analysis }) => ({ key: answer, analysis })),
      );
      analysed += batch.length;
      logger.progress({ task: 'analyse', done: analysed, total: pending.length });
    });
  }

  return {
    runId: run.id,
    planned,
    alreadyAnswered: answered.size,
    asked: work.length,
    answered: counts.answered,
    failed: counts.failed,
    analysed,
    failures: [...failures.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)),
    notes,
    collectMs,
    analyseMs: performance.now() - analyseStarted,
  };
}

/**
 * Every sample of the plan, sample index outermost: a run stopped part-way has asked every scenario and
 * model about equally often.
 */
function plannedWork(run: RunInfo): WorkItem[] {
  const { plan } = run;
  const items: WorkItem[] = [];
  for (let sample = 0; sample < plan.samples; sample++)
    for (const temperature of plan.temperatures)
      for (const model of plan.models)
        for (const scenario of plan.scenarios)
          items.push({ scenario: scenario.id, model, temperature, sample, scenarioInfo: scenario });
  return items;
}

function promptOf(scenario: Scenario): ChatPrompt {
  return scenario.system ? { system: scenario.system, user: scenario.request } : { user: scenario.request };
}

function paramsOf(item: WorkItem, run: RunInfo, stream: boolean): GenerationParams {
  const params: GenerationParams = { stream };
  if (item.temperature !== null) params.temperature = item.temperature;
  if (run.plan.maxTokens !== undefined) params.maxTokens = run.plan.maxTokens;
  if (run.plan.seed !== undefined) params.seed = run.plan.seed;
  return params;
}

function costOf(model: string, completion: Completion, run: RunInfo): number | undefined {
  const price = run.plan.prices?.[model];
  if (!price || completion.inputTokens === undefined || completion.outputTokens === undefined)
    return undefined;
  return (completion.inputTokens * price.input + completion.outputTokens * price.output) / 1e6;
}

/** The answer's usable parts, added to a record. */
function withCompletion(record: SampleRecord, completion: Completion, run: RunInfo): SampleRecord {
  record.text = completion.text;
  if (completion.inputTokens !== undefined) record.inputTokens = completion.inputTokens;
  if (completion.outputTokens !== undefined) record.outputTokens = completion.outputTokens;
  const cost = costOf(record.model, completion, run);
  if (cost !== undefined) record.cost = cost;
  return record;
}

function replaySample(item: WorkItem, run: RunInfo, cassette: Cassette): SampleRecord {
  const entry = cassette.get(sampleId(item));
  const answer = entry?.answer;
  const record: SampleRecord = {
    scenario: item.scenario,
    model: item.model,
    temperature: item.temperature,
    sample: item.sample,
    status: 'failed',
    prompt: promptOf(item.scenarioInfo),
    params: paramsOf(item, run, answer?.streamed ?? false),
    startedAt: new Date().toISOString(),
    attempts: entry?.attempts ?? 0,
  };
  if (entry?.request) record.request = JSON.stringify(entry.request.body);
  if (entry?.httpStatus !== undefined) record.httpStatus = entry.httpStatus;
  if (!entry) return { ...record, error: `not in the cassette ${cassette.path}` };
  if (!answer) return { ...record, error: entry.failure! };
  record.raw = answer.body;
  record.latencyMs = answer.elapsedMs;
  record.firstByteMs = answer.firstByteMs;
  const type = run.plan.providerTypes[parseModelSpec(item.model).provider];
  if (!type) return { ...record, error: `the plan does not say what kind of provider ${item.model} is` };
  // The recorded answer was read once already; reading it again gives the same text, or the same failure.
  try {
    return withCompletion({ ...record, status: 'ok' }, PARSERS[type](answer.body, answer.streamed), run);
  } catch (error) {
    return { ...record, error: `invalid answer: ${(error as Error).message}` };
  }
}

type AttemptOutcome =
  | { ok: true; completion: Completion; status: number; body: string; firstByteMs: number; elapsedMs: number }
  | {
      ok: false;
      message: string;
      retryable: boolean;
      /** The provider cannot be used at all (bad key): its remaining samples fail. */
      fatal?: boolean;
      retryAfterMs?: number;
      status?: number;
    };

/** One provider's queue, connection pool, request rate and health. */
class Lane {
  private nextStart = 0;
  private pausedUntil = 0;
  private consecutiveFailures = 0;
  private dead: string | undefined;

  constructor(
    private readonly setup: ProviderSetup,
    private readonly transport: Transport,
  ) {}

  async drain(
    queue: WorkItem[],
    run: RunInfo,
    recorder: CassetteRecorder | undefined,
    settle: (record: SampleRecord) => void,
  ): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const item = queue[next++]!;
        settle(await this.ask(item, run, recorder));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.setup.limits.concurrency, queue.length) }, worker));
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private async ask(
    item: WorkItem,
    run: RunInfo,
    recorder: CassetteRecorder | undefined,
  ): Promise<SampleRecord> {
    const { provider, limits } = this.setup;
    const model = parseModelSpec(item.model).model;
    const prompt = promptOf(item.scenarioInfo);
    const params = paramsOf(item, run, limits.stream);
    const request = provider.request(model, prompt, params);
    const record: SampleRecord = {
      scenario: item.scenario,
      model: item.model,
      temperature: item.temperature,
      sample: item.sample,
      status: 'failed',
      prompt,
      params,
      request: request.body,
      startedAt: new Date().toISOString(),
      attempts: 0,
    };
    if (this.dead) return { ...record, error: `not asked: ${this.dead}` };

    let outcome: AttemptOutcome;
    for (;;) {
      await this.gate();
      record.attempts++;
      outcome = await this.attempt(request, params.stream);
      if (outcome.ok || !outcome.retryable || outcome.fatal) break;
      if (record.attempts > limits.retries) {
        outcome = { ...outcome, message: `${outcome.message} ${afterAttempts(record.attempts)}` };
        break;
      }
      if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > limits.maxRetryAfterMs) {
        outcome = {
          ...outcome,
          message: `${outcome.message}: the provider asks to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s`,
        };
        break;
      }
      const wait = outcome.retryAfterMs ?? backoffDelay(limits.backoffMs, record.attempts - 1);
      // A rate limit is the provider's, not the request's: every worker of the lane waits.
      if (outcome.status === 429) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
      await sleep(wait);
      if (this.dead) break;
    }

    const secrets = provider.secrets;
    let settled: SampleRecord;
    if (outcome.ok) {
      this.consecutiveFailures = 0;
      settled = withCompletion(
        {
          ...record,
          status: 'ok',
          httpStatus: outcome.status,
          raw: redact(outcome.body, secrets),
          latencyMs: outcome.elapsedMs,
          firstByteMs: outcome.firstByteMs,
        },
        outcome.completion,
        run,
      );
    } else {
      const message = redact(outcome.message, secrets);
      settled = { ...record, error: message };
      if (outcome.status !== undefined) settled.httpStatus = outcome.status;
      this.consecutiveFailures++;
      if (outcome.fatal) this.dead ??= `${provider.name} refused: ${message}`;
      else if (this.consecutiveFailures >= limits.maxConsecutiveFailures)
        this.dead ??= `${provider.name} failed ${this.consecutiveFailures} samples in a row (last: ${message})`;
    }
    recorder?.add(cassetteEntry(settled, request, outcome, params.stream, secrets));
    return settled;
  }

  /** Waits for the next start the request rate allows (and for any pause a 429 asked for). */
  private async gate(): Promise<void> {
    const interval = this.setup.limits.rpm ? 60_000 / this.setup.limits.rpm : 0;
    for (;;) {
      const now = Date.now();
      const start = Math.max(now, this.nextStart, this.pausedUntil);
      if (start <= now) {
        this.nextStart = now + interval;
        return;
      }
      await sleep(start - now);
    }
  }

  private async attempt(request: ProviderRequest, streamed: boolean): Promise<AttemptOutcome> {
    const { provider, limits } = this.setup;
    let exchange: Awaited<ReturnType<Transport['send']>>;
    try {
      exchange = await this.transport.send(request, limits.timeoutMs, limits.deadlineMs);
    } catch (error) {
      if (error instanceof NetworkError)
        return { ok: false, message: `${error.message} (${redactUrl(request.url)})`, retryable: true };
      throw error;
    }
    const { status, body } = exchange;
    if (status === 200) {
      try {
        const completion = provider.parse(body, streamed);
        return {
          ok: true,
          completion,
          status,
          body,
          firstByteMs: exchange.firstByteMs,
          elapsedMs: exchange.elapsedMs,
        };
      } catch (error) {
        if (error instanceof MalformedAnswerError)
          return { ok: false, message: `invalid answer: ${error.message}`, retryable: true, status };
        if (error instanceof StreamedError)
          return {
            ok: false,
            message: `the provider reported: ${error.message}`,
            retryable: error.retryable,
            status,
          };
        throw error;
      }
    }
    const detail = provider.errorDetail(body);
    const shown = detail ? `: ${detail.length > 200 ? `${detail.slice(0, 200)}…` : detail}` : '';
    const outcome: AttemptOutcome = {
      ok: false,
      message: `${status === 429 ? 'rate limited (HTTP 429)' : `HTTP ${status}`}${shown}`,
      retryable: isRetryableChatStatus(status),
      status,
      ...(exchange.retryAfterMs !== undefined ? { retryAfterMs: exchange.retryAfterMs } : {}),
    };
    if (status === 401 || status === 403) outcome.fatal = true;
    return outcome;
  }
}

function cassetteEntry(
  record: SampleRecord,
  request: ProviderRequest,
  outcome: AttemptOutcome,
  streamed: boolean,
  secrets: readonly string[],
): CassetteEntry {
  const entry: CassetteEntry = {
    key: sampleId(record),
    request: { url: redactUrl(request.url), body: JSON.parse(request.body) },
    attempts: record.attempts,
  };
  if (record.httpStatus !== undefined) entry.httpStatus = record.httpStatus;
  if (outcome.ok)
    entry.answer = {
      status: outcome.status,
      body: redact(outcome.body, secrets),
      streamed,
      firstByteMs: outcome.firstByteMs,
      elapsedMs: outcome.elapsedMs,
    };
  else entry.failure = record.error!;
  return entry;
}

/** Keys never leave the process: a provider that echoes one back has it replaced. */
function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets)
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, Math.max(0, ms)));
}

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
