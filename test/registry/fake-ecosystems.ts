/**
 * Registries of the other ecosystems on 127.0.0.1 (port 0), serving files written in their documented
 * formats (see ecosystem-documents.ts) under one prefix each: a Maven repository under `/maven/`, a Go
 * module proxy under `/go/`, a sparse crates.io index under `/crates/`, a RubyGems source under `/gems/`, a
 * Composer repository under `/composer/` and a NuGet v3 source under `/nuget/`. Paths are matched as sent
 * (the Go proxy's `!` case-encoding included). Misbehaviour on demand, as in fake-registry.ts.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { type Misbehaviour, misbehaved } from './fake-registry.js';

export interface ServedFile {
  body: string;
  contentType?: string;
  /** Sent as Last-Modified (an HTTP date). */
  lastModified?: string;
  /** Sent gzip-encoded, as NuGet's registrations are. */
  gzip?: boolean;
}

export interface FakeEcosystems {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  maven: string;
  goProxy: string;
  cratesIndex: string;
  rubygems: string;
  composer: string;
  /** The NuGet service index. */
  nuget: string;
  files: Map<string, ServedFile>;
  /** A status other than 404 for a path that has no file (the Go proxy's 410, the sparse index's 451). */
  missingStatus: Map<string, number>;
  misbehave: Map<string, Misbehaviour>;
  /** Every request after this many fails with a 503 (the registry going down mid-scan). */
  downAfter?: number;
  requests: { path: string; headers: IncomingMessage['headers'] }[];
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeEcosystems(): Promise<FakeEcosystems> {
  const used = new WeakMap<Misbehaviour, number>();
  const state = {
    files: new Map<string, ServedFile>(),
    missingStatus: new Map<string, number>(),
    misbehave: new Map<string, Misbehaviour>(),
    requests: [] as FakeEcosystems['requests'],
    downAfter: undefined as number | undefined,
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    state.requests.push({ path, headers: req.headers });
    const serve = () => {
      const file = state.files.get(path);
      if (!file) {
        res.writeHead(state.missingStatus.get(path) ?? 404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      const body = file.gzip ? gzipSync(file.body) : Buffer.from(file.body);
      const headers: Record<string, string | number> = {
        'content-type': file.contentType ?? 'application/json',
        'content-length': body.length,
      };
      if (file.lastModified) headers['last-modified'] = file.lastModified;
      if (file.gzip) headers['content-encoding'] = 'gzip';
      res.writeHead(200, headers);
      res.end(body);
    };
    if (!misbehaved(state, used, path, res, serve)) serve();
  });

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  return Object.assign(state, {
    url,
    maven: `${url}maven/`,
    goProxy: `${url}go/`,
    cratesIndex: `${url}crates/`,
    rubygems: `${url}gems/`,
    composer: `${url}composer/`,
    nuget: `${url}nuget/v3/index.json`,
    reset() {
      state.files.clear();
      state.missingStatus.clear();
      state.misbehave.clear();
      state.requests.length = 0;
      state.downAfter = undefined;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  });
}
