import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { DEFAULT_LIMITS, type ProviderLimits } from '../../src/simulate/config.js';
import { createProvider } from '../../src/simulate/providers/index.js';
import type { ProviderType } from '../../src/simulate/providers/types.js';
import type { ProviderSetup } from '../../src/simulate/runner.js';
import type { Scenario } from '../../src/simulate/scenarios.js';
import type { RunPlan } from '../../src/simulate/store.js';
import type { FakeProvider } from './fake-provider.js';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed after the test file. */
export function tempDir(prefix = 'vouch-simulate-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

function scenario(id: string, request: string, extra: Partial<Scenario> = {}): Scenario {
  return { id, request, tags: [], source: 'test', ...extra };
}

export const SCENARIOS: Scenario[] = [
  scenario('xml', 'Parse XML in Node.js.', { language: 'javascript', ecosystem: 'npm' }),
  scenario('jwt', 'Verify a JWT in Express.', { language: 'javascript', ecosystem: 'npm' }),
  scenario('yaml', 'Load YAML in Python.', { language: 'python', ecosystem: 'PyPI' }),
];

export function plan(models: string[], extra: Partial<RunPlan> = {}): RunPlan {
  const providerTypes: Record<string, ProviderType> = {};
  for (const model of models) {
    const name = model.slice(0, model.indexOf(':'));
    providerTypes[name] = name as ProviderType;
  }
  return { scenarios: SCENARIOS, models, temperatures: [null], samples: 2, providerTypes, ...extra };
}

/** The providers of a run, by name; asking for another is a test bug. */
export function lanes(...setups: [string, ProviderSetup][]): (name: string) => ProviderSetup {
  const map = new Map(setups);
  return (name) => {
    const setup = map.get(name);
    if (!setup) throw new Error(`the test set up no provider ${name}`);
    return setup;
  };
}

/** Fast limits for tests: short timeouts and backoff. */
const FAST: Partial<ProviderLimits> = { timeoutMs: 2000, backoffMs: 5, retries: 2 };

export function setupFor(
  type: ProviderType,
  fake: FakeProvider,
  limits: Partial<ProviderLimits> = {},
): [string, ProviderSetup] {
  const baseUrl = type === 'openai' ? `${fake.url}/v1` : fake.url;
  const env = { OPENAI_API_KEY: 'sk-test-openai-key', ANTHROPIC_API_KEY: 'test-anthropic-key' };
  return [
    type,
    {
      provider: createProvider(type, { baseUrl }, env),
      limits: { ...DEFAULT_LIMITS, ...FAST, ...limits },
    },
  ];
}
