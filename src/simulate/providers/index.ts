/**
 * `--model NAME:MODEL` → a provider. NAME is a provider type (`openai`, `anthropic`, `ollama`) or a name
 * the providers file defines with a `type`. Base URLs and keys come from the providers file, else from the
 * providers' usual environment variables; keys are never taken from the command line.
 */
import { usageError, VouchError } from '../../core/errors.js';
import { redactUrl } from '../../core/http.js';
import type { Env } from '../../core/paths.js';
import { ANTHROPIC_DEFAULT_BASE_URL, anthropicProvider, parseAnthropic } from './anthropic.js';
import { OLLAMA_DEFAULT_HOST, ollamaBaseUrl, ollamaProvider, parseOllama } from './ollama.js';
import { OPENAI_DEFAULT_BASE_URL, openAiProvider, parseOpenAi } from './openai.js';
import { PROVIDER_TYPES, type Provider, type ProviderType } from './types.js';

/** Each type's answer reader, for replaying a cassette without connecting anywhere. */
export const PARSERS: Record<ProviderType, Provider['parse']> = {
  openai: parseOpenAi,
  anthropic: parseAnthropic,
  ollama: parseOllama,
};

export interface ModelSpec {
  provider: string;
  model: string;
}

/** `openai:gpt-4o`, `ollama:llama3:8b` (the model keeps any later colon). */
export function parseModelSpec(text: string): ModelSpec {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1)
    throw usageError(`--model ${text}: expected PROVIDER:MODEL, e.g. openai:gpt-4o or ollama:llama3`);
  return { provider: text.slice(0, colon), model: text.slice(colon + 1) };
}

/** How to reach one provider; limits are in `ProviderLimits`. */
export interface ProviderConnection {
  /** Required for a name that is not itself a provider type. */
  type?: ProviderType;
  baseUrl?: string;
  /** Discouraged: prefer `apiKeyEnv`. Never printed. */
  apiKey?: string;
  /** The environment variable that holds the key. */
  apiKeyEnv?: string;
  /** OpenAI-compatible endpoints only: Azure OpenAI takes the key in `api-key`. */
  authHeader?: 'authorization' | 'api-key';
}

const DEFAULTS: Record<ProviderType, { baseUrlEnv: string; keyEnv?: string }> = {
  openai: { baseUrlEnv: 'OPENAI_BASE_URL', keyEnv: 'OPENAI_API_KEY' },
  anthropic: { baseUrlEnv: 'ANTHROPIC_BASE_URL', keyEnv: 'ANTHROPIC_API_KEY' },
  ollama: { baseUrlEnv: 'OLLAMA_HOST' },
};

export function isProviderType(name: string): name is ProviderType {
  return (PROVIDER_TYPES as readonly string[]).includes(name);
}

/**
 * What a run keeps of a provider so that `--resume` reaches the same endpoint the same way: its type, the
 * base URL it used (from the providers file or the type's environment variable), the NAME of the variable
 * that holds its key — never a key.
 */
export interface ProviderDefinition {
  type: ProviderType;
  baseUrl?: string;
  apiKeyEnv?: string;
  authHeader?: 'authorization' | 'api-key';
  /** The key was written in the providers file (`apiKey`): a resume needs the file again. */
  keyInFile?: true;
}

/** Where a provider's connection comes from: the providers file, else the type's own variables. */
function resolveConnection(
  name: string,
  connection: ProviderConnection,
  env: Env,
): { type: ProviderType; baseUrl?: string; keyEnv?: string } {
  const type = connection.type ?? (isProviderType(name) ? name : undefined);
  if (!type)
    throw usageError(
      `unknown provider "${name}": use ${PROVIDER_TYPES.join(', ')}, or define it with a type in the providers file`,
    );
  const defaults = DEFAULTS[type];
  // A named provider reads only what the file says: the type's variables belong to the type's own name.
  const ownEnv = connection.type === undefined || name === type;
  const baseUrl = connection.baseUrl ?? (ownEnv ? env[defaults.baseUrlEnv] : undefined);
  const keyEnv = connection.apiKeyEnv ?? (ownEnv ? defaults.keyEnv : undefined);
  return { type, ...(baseUrl ? { baseUrl } : {}), ...(keyEnv ? { keyEnv } : {}) };
}

export function providerDefinition(
  name: string,
  connection: ProviderConnection,
  env: Env,
): ProviderDefinition {
  const { type, baseUrl, keyEnv } = resolveConnection(name, connection, env);
  const definition: ProviderDefinition = { type };
  if (baseUrl) definition.baseUrl = type === 'ollama' ? ollamaUrl(name, baseUrl) : checkedUrl(name, baseUrl);
  if (keyEnv) definition.apiKeyEnv = keyEnv;
  if (connection.authHeader) definition.authHeader = connection.authHeader;
  if (connection.apiKey !== undefined) definition.keyInFile = true;
  return definition;
}

export function createProvider(name: string, connection: ProviderConnection, env: Env): Provider {
  const { type, baseUrl, keyEnv } = resolveConnection(name, connection, env);
  const apiKey = connection.apiKey ?? (keyEnv ? env[keyEnv] : undefined) ?? undefined;
  if (connection.apiKeyEnv && !env[connection.apiKeyEnv])
    throw new VouchError(
      'CONFIG',
      `provider ${name}: the environment variable ${connection.apiKeyEnv} is not set`,
    );
  switch (type) {
    case 'openai': {
      const base = checkedUrl(name, baseUrl ?? OPENAI_DEFAULT_BASE_URL);
      if (!apiKey && base === OPENAI_DEFAULT_BASE_URL)
        throw new VouchError('CONFIG', `provider ${name}: no API key: set ${keyEnv ?? 'OPENAI_API_KEY'}`);
      return openAiProvider({
        name,
        baseUrl: base,
        ...(apiKey ? { apiKey } : {}),
        ...(connection.authHeader ? { authHeader: connection.authHeader } : {}),
      });
    }
    case 'anthropic':
      if (!apiKey)
        throw new VouchError('CONFIG', `provider ${name}: no API key: set ${keyEnv ?? 'ANTHROPIC_API_KEY'}`);
      return anthropicProvider({
        name,
        baseUrl: checkedUrl(name, baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL),
        apiKey,
      });
    case 'ollama':
      return ollamaProvider({
        name,
        baseUrl: ollamaUrl(name, baseUrl ?? OLLAMA_DEFAULT_HOST),
      });
  }
}

/** OLLAMA_HOST's forms (`host`, `host:port`, a URL) as a checked base URL. */
function ollamaUrl(name: string, host: string): string {
  let url: string;
  try {
    url = ollamaBaseUrl(host);
  } catch {
    throw new VouchError('CONFIG', `provider ${name}: the host ${redactUrl(host)} is not a host or URL`);
  }
  return checkedUrl(name, url);
}

function checkedUrl(name: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new VouchError('CONFIG', `provider ${name}: the base URL ${redactUrl(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new VouchError('CONFIG', `provider ${name}: the base URL must be http or https`);
  if (parsed.username || parsed.password)
    throw new VouchError('CONFIG', `provider ${name}: put the key in apiKeyEnv, not in the base URL`);
  return url.replace(/\/+$/, '');
}
