/**
 * The providers file (`--providers FILE`, YAML or JSON): how to reach each provider, its limits, and the
 * prices that turn token counts into cost.
 *
 *   providers:
 *     openai: { apiKeyEnv: OPENAI_API_KEY, concurrency: 8, rpm: 500 }
 *     local:  { type: openai, baseUrl: http://127.0.0.1:8000/v1 }
 *   prices:                       # USD per million tokens
 *     openai:gpt-4o: { input: 2.5, output: 10 }
 */

import { readFileSync } from 'node:fs';
import { VouchError } from '../core/errors.js';
import { isObject } from '../core/json.js';
import { lazy } from '../core/lazy.js';
import type { ProviderConnection } from './providers/index.js';
import { isProviderType } from './providers/index.js';

const yaml = lazy<typeof import('yaml')>('yaml');

export interface ProviderLimits {
  /** Requests in flight at once. */
  concurrency: number;
  /** Requests started per minute, spread evenly; unset: no limit. */
  rpm?: number;
  /** No answer headers, or no body data, for this long fails the attempt. */
  timeoutMs: number;
  /**
   * A whole answer taking longer than this fails the attempt, however steadily it trickles (a stream of
   * keep-alive comments never ends an answer).
   */
  deadlineMs: number;
  /** Attempts after the first, on network errors, timeouts, 408, 429, 5xx and malformed answers. */
  retries: number;
  /** Wait before the first retry, doubled for each later one, with jitter. */
  backoffMs: number;
  /** A longer Retry-After fails the sample instead of stalling the run. */
  maxRetryAfterMs: number;
  /** After this many samples failed in a row, the provider's remaining samples fail without being asked. */
  maxConsecutiveFailures: number;
  /** Ask for a streamed answer (server-sent events, or JSON lines for Ollama). */
  stream: boolean;
}

export const DEFAULT_LIMITS: ProviderLimits = {
  concurrency: 4,
  timeoutMs: 120_000,
  deadlineMs: 600_000,
  retries: 3,
  backoffMs: 1000,
  maxRetryAfterMs: 120_000,
  maxConsecutiveFailures: 5,
  stream: true,
};

/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
}

interface ProviderSettings extends ProviderConnection {
  limits: Partial<ProviderLimits>;
}

export interface SimulateConfig {
  providers: Record<string, ProviderSettings>;
  /** By `PROVIDER:MODEL`. */
  prices: Record<string, Price>;
}

const CONNECTION_KEYS = ['type', 'baseUrl', 'apiKey', 'apiKeyEnv', 'authHeader'] as const;
const LIMIT_KEYS = [
  'concurrency',
  'rpm',
  'timeoutSeconds',
  'deadlineSeconds',
  'retries',
  'backoffMs',
  'maxRetryAfterSeconds',
  'maxConsecutiveFailures',
  'stream',
] as const;

export function loadSimulateConfig(path: string | undefined): SimulateConfig {
  if (!path) return { providers: {}, prices: {} };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new VouchError('CONFIG', `${path}: cannot read the providers file`, { cause: error });
  }
  const doc = yaml().parseDocument(text, { prettyErrors: false });
  if (doc.errors[0])
    throw new VouchError('CONFIG', `${path}: not valid YAML or JSON (${doc.errors[0].message})`);
  return parseSimulateConfig(doc.toJS(), path);
}

export function parseSimulateConfig(data: unknown, shown: string): SimulateConfig {
  const fail = (field: string, message: string): never => {
    throw new VouchError('CONFIG', `${shown}: ${field}: ${message}`);
  };
  if (!isObject(data)) return fail('(file)', 'must be a mapping with "providers" and/or "prices"');
  for (const key of Object.keys(data))
    if (key !== 'providers' && key !== 'prices') fail(key, 'unknown setting (expected providers, prices)');
  const config: SimulateConfig = { providers: {}, prices: {} };
  if (data.providers !== undefined) {
    if (!isObject(data.providers)) fail('providers', 'must map provider names to settings');
    for (const [name, raw] of Object.entries(data.providers as Record<string, unknown>)) {
      const at = `providers.${name}`;
      if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) fail(at, 'a provider name is letters, digits, "_" and "-"');
      if (!isObject(raw)) fail(at, 'must be a mapping');
      config.providers[name] = providerSettings(raw as Record<string, unknown>, at, fail);
      if (!isProviderType(name) && config.providers[name]!.type === undefined)
        fail(`${at}.type`, 'is required for a name that is not openai, anthropic or ollama');
    }
  }
  if (data.prices !== undefined) {
    if (!isObject(data.prices)) fail('prices', 'must map PROVIDER:MODEL to { input, output }');
    for (const [model, raw] of Object.entries(data.prices as Record<string, unknown>)) {
      const at = `prices.${model}`;
      if (!model.includes(':')) fail(at, 'the key is PROVIDER:MODEL');
      if (!isObject(raw) || !isPrice(raw.input) || !isPrice(raw.output) || Object.keys(raw).length !== 2)
        fail(at, 'must be { input: USD per million tokens, output: USD per million tokens }');
      const price = raw as { input: number; output: number };
      config.prices[model] = { input: price.input, output: price.output };
    }
  }
  return config;
}

function providerSettings(
  raw: Record<string, unknown>,
  at: string,
  fail: (field: string, message: string) => never,
): ProviderSettings {
  const settings: ProviderSettings = { limits: {} };
  for (const key of Object.keys(raw))
    if (
      !(CONNECTION_KEYS as readonly string[]).includes(key) &&
      !(LIMIT_KEYS as readonly string[]).includes(key)
    )
      fail(`${at}.${key}`, `unknown setting (expected ${[...CONNECTION_KEYS, ...LIMIT_KEYS].join(', ')})`);
  const text = (key: string): string | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') return fail(`${at}.${key}`, 'must be a non-empty string');
    return value;
  };
  const type = text('type');
  if (type !== undefined) {
    if (!isProviderType(type)) fail(`${at}.type`, 'must be openai, anthropic or ollama');
    settings.type = type as ProviderSettings['type'];
  }
  const baseUrl = text('baseUrl');
  if (baseUrl) settings.baseUrl = baseUrl;
  const apiKey = text('apiKey');
  if (apiKey) settings.apiKey = apiKey;
  const apiKeyEnv = text('apiKeyEnv');
  if (apiKeyEnv) settings.apiKeyEnv = apiKeyEnv;
  const authHeader = text('authHeader');
  if (authHeader !== undefined) {
    if (authHeader !== 'authorization' && authHeader !== 'api-key')
      fail(`${at}.authHeader`, 'must be authorization or api-key');
    settings.authHeader = authHeader as 'authorization' | 'api-key';
  }
  const count = (key: string, min: number): number | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
      return fail(`${at}.${key}`, `must be a number of at least ${min}`);
    return value;
  };
  const concurrency = count('concurrency', 1);
  if (concurrency !== undefined) settings.limits.concurrency = Math.floor(concurrency);
  const rpm = count('rpm', 0.001);
  if (rpm !== undefined) settings.limits.rpm = rpm;
  const timeout = count('timeoutSeconds', 0.001);
  if (timeout !== undefined) settings.limits.timeoutMs = timeout * 1000;
  const deadline = count('deadlineSeconds', 0.001);
  if (deadline !== undefined) settings.limits.deadlineMs = deadline * 1000;
  const retries = count('retries', 0);
  if (retries !== undefined) settings.limits.retries = Math.floor(retries);
  const backoff = count('backoffMs', 0);
  if (backoff !== undefined) settings.limits.backoffMs = backoff;
  const maxRetryAfter = count('maxRetryAfterSeconds', 0);
  if (maxRetryAfter !== undefined) settings.limits.maxRetryAfterMs = maxRetryAfter * 1000;
  const consecutive = count('maxConsecutiveFailures', 1);
  if (consecutive !== undefined) settings.limits.maxConsecutiveFailures = Math.floor(consecutive);
  if (raw.stream !== undefined) {
    if (typeof raw.stream !== 'boolean') fail(`${at}.stream`, 'must be true or false');
    settings.limits.stream = raw.stream as boolean;
  }
  return settings;
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
