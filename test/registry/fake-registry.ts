/**
 * A registry on 127.0.0.1 (port 0) for the registry tests: npm packuments under `/npm/`, the PyPI JSON API
 * under `/pypi/<name>/json` and the PEP 691 Simple API under `/simple/<name>/`, in the documented public
 * formats, with ETags, and with misbehaviour on demand (statuses, Retry-After, delays, truncated and
 * invalid bodies, going down).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Misbehaviour =
  | { status: number; retryAfter?: string; times?: number }
  | { delayMs: number; times?: number }
  | { truncate: true; times?: number }
  | { invalidJson: true; times?: number }
  /** A status and headers, then one byte every 20 ms for as long as the client listens. */
  | { trickle: true; times?: number }
  | { body: string; contentType?: string; times?: number };

export interface FakeRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  npmUrl: string;
  /** The Simple index URL as pip.conf would name it. */
  pypiIndex: string;
  npm: Map<string, Record<string, unknown>>;
  /** npm search answers (`/npm/-/v1/search?text=…`) by the text asked: the names found, best first. */
  npmSearch: Map<string, string[]>;
  pypi: Map<string, Record<string, unknown>>;
  /** Projects served by the Simple API only (the JSON API answers 404 for them, as on mirrors without it). */
  simpleOnly: Map<string, Record<string, unknown>>;
  /** Misbehaviour by path (`/npm/express`), used `times` times (default: always). */
  misbehave: Map<string, Misbehaviour>;
  /** Every request after this many fails with a 503 (the registry going down mid-scan). */
  downAfter?: number;
  requests: { path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

/**
 * Answers a request the way the test asked the server to misbehave for its path (or with a 503 once the
 * registry is down); false when the request is to be served normally. Shared by the fake registries.
 */
export function misbehaved(
  state: { misbehave: Map<string, Misbehaviour>; downAfter?: number; requests: unknown[] },
  used: WeakMap<Misbehaviour, number>,
  path: string,
  res: ServerResponse,
  serve: () => void,
): boolean {
  if (state.downAfter !== undefined && state.requests.length > state.downAfter) {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('down');
    return true;
  }
  const trouble = state.misbehave.get(path);
  if (!trouble) return false;
  const count = (used.get(trouble) ?? 0) + 1;
  used.set(trouble, count);
  if (trouble.times !== undefined && count > trouble.times) return false;
  if ('status' in trouble) {
    res.writeHead(trouble.status, trouble.retryAfter ? { 'retry-after': trouble.retryAfter } : {});
    res.end();
  } else if ('delayMs' in trouble) setTimeout(serve, trouble.delayMs).unref();
  else if ('trickle' in trouble) {
    res.writeHead(200, { 'content-type': 'application/json' });
    const drip = setInterval(() => res.write(' '), 20);
    res.on('close', () => clearInterval(drip));
  } else if ('truncate' in trouble) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
    res.write('{"name": "trunc');
    setTimeout(() => res.destroy(), 20).unref();
  } else if ('invalidJson' in trouble) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"name": "broken", "versions": {');
  } else {
    res.writeHead(200, { 'content-type': trouble.contentType ?? 'application/json' });
    res.end(trouble.body);
  }
  return true;
}

function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
}

/** npm's abbreviated install document: no times, descriptions, repositories or maintainers. */
function abbreviate(doc: Record<string, unknown>): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  for (const [version, raw] of Object.entries(
    (doc.versions ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    const kept: Record<string, unknown> = {};
    for (const key of [
      'name',
      'version',
      'dependencies',
      'optionalDependencies',
      'peerDependencies',
      'bin',
      'engines',
      'dist',
      'deprecated',
    ])
      if (raw[key] !== undefined) kept[key] = raw[key];
    versions[version] = kept;
  }
  const time = doc.time as Record<string, string> | undefined;
  return {
    name: doc.name,
    'dist-tags': doc['dist-tags'],
    versions,
    modified: time?.modified ?? '2026-01-01T00:00:00.000Z',
  };
}

/** npm's search endpoint under the fake npm registry. */
const NPM_SEARCH = '/npm/-/v1/search';

export async function startFakeRegistry(): Promise<FakeRegistry> {
  const used = new WeakMap<Misbehaviour, number>();
  const state: Omit<FakeRegistry, 'url' | 'npmUrl' | 'pypiIndex' | 'close'> = {
    npm: new Map(),
    npmSearch: new Map(),
    pypi: new Map(),
    simpleOnly: new Map(),
    misbehave: new Map(),
    requests: [],
  };
  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    doc: unknown,
    contentType = 'application/json',
  ) => {
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: status === 404 ? 'Not found' : 'error' }));
      return;
    }
    const body = JSON.stringify(doc);
    const etag = etagOf(body);
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': contentType, etag, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    // A search is told apart by what it searches for.
    const text = path === NPM_SEARCH ? url.searchParams.get('text') : null;
    state.requests.push({ path: text === null ? path : `${path}?text=${text}`, headers: req.headers });
    if (misbehaved(state, used, path, res, () => route(req, res, path, text))) return;
    route(req, res, path, text);
  });

  const route = (req: IncomingMessage, res: ServerResponse, path: string, text: string | null) => {
    if (path === NPM_SEARCH) {
      const names = state.npmSearch.get(text ?? '') ?? [];
      return send(req, res, 200, {
        objects: names.map((name) => ({ package: { name } })),
        total: names.length,
      });
    }
    if (path.startsWith('/npm/')) {
      const doc = state.npm.get(path.slice('/npm/'.length));
      if (!doc) return send(req, res, 404, undefined);
      const abbreviated = req.headers.accept?.startsWith('application/vnd.npm.install-v1+json');
      return send(req, res, 200, abbreviated ? abbreviate(doc) : doc);
    }
    const json = /^\/pypi\/([^/]+)\/json$/.exec(path);
    if (json) {
      const doc = state.pypi.get(json[1]!);
      return doc ? send(req, res, 200, doc) : send(req, res, 404, undefined);
    }
    const release = /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(path);
    if (release) {
      const doc = state.pypi.get(release[1]!) as
        | { info: Record<string, unknown>; releases: Record<string, unknown> }
        | undefined;
      const version = release[2]!;
      if (!doc?.releases[version]) return send(req, res, 404, undefined);
      const perRelease = (doc as { perRelease?: Record<string, string[]> }).perRelease?.[version] ?? [];
      return send(req, res, 200, {
        info: { ...doc.info, version, requires_dist: perRelease },
        urls: doc.releases[version],
      });
    }
    const simple = /^\/simple\/([^/]+)\/$/.exec(path);
    if (simple) {
      const doc = state.simpleOnly.get(simple[1]!) ?? simpleFromJson(state.pypi.get(simple[1]!));
      return doc
        ? send(req, res, 200, doc, 'application/vnd.pypi.simple.v1+json')
        : send(req, res, 404, undefined);
    }
    send(req, res, 404, undefined);
  };

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  return Object.assign(state, {
    url,
    npmUrl: `${url}npm/`,
    pypiIndex: `${url}simple/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  });
}

/** The PEP 691 page of a project served by the JSON API too. */
function simpleFromJson(doc: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!doc) return undefined;
  const info = doc.info as { name: string };
  const releases = doc.releases as Record<
    string,
    { filename: string; upload_time_iso_8601: string; yanked: boolean; yanked_reason: string | null }[]
  >;
  const files = Object.values(releases).flatMap((list) =>
    list.map((f) => ({
      filename: f.filename,
      url: `https://files.example.org/${f.filename}`,
      hashes: {},
      'upload-time': f.upload_time_iso_8601,
      yanked: f.yanked ? (f.yanked_reason ?? true) : false,
    })),
  );
  return { meta: { 'api-version': '1.1' }, name: info.name, files, versions: Object.keys(releases) };
}
