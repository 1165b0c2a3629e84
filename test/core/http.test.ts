import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ByteBudget,
  backoffDelay,
  HttpClient,
  parseRetryAfter,
  RegistryHttpError,
  redactUrl,
} from '../../src/core/http.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  close = () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('HttpClient', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    const now = Date.parse('2026-06-01T00:00:00Z');
    expect(parseRetryAfter('Mon, 01 Jun 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('sends credentials written in the URL as a header and never shows them', async () => {
    let authorization: string | undefined;
    const base = await serve((req, res) => {
      authorization = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const secretUrl = base.replace('http://', 'http://alice:s3cret@');
    const client = new HttpClient();
    await client.get(`${secretUrl}simple/x/`);
    await client.close();
    expect(authorization).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    expect(redactUrl(`${secretUrl}simple/`)).toBe(`${base}simple/`);
  });

  it('retries 5xx with backoff, then gives up as unavailable with the attempts counted', async () => {
    let calls = 0;
    const base = await serve((_req, res) => {
      calls++;
      res.writeHead(502);
      res.end();
    });
    const client = new HttpClient({ retries: 2, backoffMs: 5 });
    const error = await client.get(`${base}x`).catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(RegistryHttpError);
    expect((error as RegistryHttpError).kind).toBe('unavailable');
    expect((error as RegistryHttpError).message).toBe('HTTP 502 (after 3 attempts)');
    expect(calls).toBe(3);
  });

  it('honours an HTTP-date Retry-After', async () => {
    let calls = 0;
    const base = await serve((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { 'retry-after': new Date(Date.now() + 1500).toUTCString() });
        res.end();
        return;
      }
      res.writeHead(200);
      res.end('ok');
    });
    const client = new HttpClient({ backoffMs: 1 });
    const started = Date.now();
    const answer = await client.get(`${base}x`);
    await client.close();
    expect(answer).toMatchObject({ status: 200, body: 'ok' });
    // HTTP dates have whole seconds: the wait is between 0.5 and 1.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it('does not retry what retrying cannot fix: 401 and 403 are access problems', async () => {
    let calls = 0;
    const base = await serve((_req, res) => {
      calls++;
      res.writeHead(403);
      res.end();
    });
    const client = new HttpClient({ retries: 3, backoffMs: 1 });
    await expect(client.get(`${base}x`)).rejects.toThrow(
      'access denied (HTTP 403): check the registry credentials',
    );
    await client.close();
    expect(calls).toBe(1);
  });

  it('passes 304 and 404 through as answers, not errors', async () => {
    const base = await serve((req, res) => {
      res.writeHead(req.url === '/gone' ? 404 : 304);
      res.end();
    });
    const client = new HttpClient();
    expect(await client.get(`${base}gone`)).toEqual({ status: 404 });
    expect(await client.get(`${base}same`, { 'if-none-match': '"x"' })).toEqual({ status: 304 });
    await client.close();
  });

  it('refuses a body over the size limit as an invalid answer', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200);
      res.end('x'.repeat(5000));
    });
    const client = new HttpClient({ maxBytes: 1000 });
    const error = (await client.get(`${base}big`).catch((e: unknown) => e)) as RegistryHttpError;
    await client.close();
    expect(error.kind).toBe('invalid');
  });

  it('keeps to the connection limit per host', async () => {
    let open = 0;
    let most = 0;
    const base = await serve((_req, res) => {
      open++;
      most = Math.max(most, open);
      setTimeout(() => {
        open--;
        res.writeHead(200);
        res.end('{}');
      }, 30);
    });
    const client = new HttpClient({ connectionsPerHost: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.get(`${base}p${i}`)));
    await client.close();
    expect(most).toBe(3);
  });

  it('stops asking a host that answers nothing at all, for the rest of the scan', async () => {
    const client = new HttpClient({ retries: 2, backoffMs: 1 });
    const dead = 'http://127.0.0.1:9/';
    await expect(client.get(`${dead}a`)).rejects.toThrow('connection refused (after 3 attempts)');
    await expect(client.get(`${dead}b`)).rejects.toThrow('connection refused (after 3 attempts)');
    const started = Date.now();
    await expect(client.get(`${dead}c`)).rejects.toThrow(
      'connection refused (the registry stopped answering; not asked again)',
    );
    expect(Date.now() - started).toBeLessThan(50);
    await client.close();
  });

  it('cuts off an answer that trickles a byte within every idle timeout, at the total deadline', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(drip));
    });
    const client = new HttpClient({ timeoutMs: 5000, deadlineMs: 300, retries: 0 });
    const started = performance.now();
    const failure = await client.get(`${base}slow`).catch((error: unknown) => error);
    await client.close();
    expect(failure).toBeInstanceOf(RegistryHttpError);
    expect((failure as RegistryHttpError).message).toBe(
      'timed out: no complete answer within 300 ms (after 1 attempt)',
    );
    // Bounded by the deadline, not by the idle timeout (5 s) nor by the server (never).
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it('stops every request, in flight or not yet sent, when its signal fires, with the reason', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(drip));
    });
    const stop = new AbortController();
    const client = new HttpClient({ timeoutMs: 5000, retries: 3, backoffMs: 1, signal: stop.signal });
    const inFlight = client.get(`${base}a`).catch((error: unknown) => error);
    setTimeout(() => stop.abort(new Error('out of time for the scan')), 100);
    const failure = await inFlight;
    const later = await client.get(`${base}b`).catch((error: unknown) => error);
    await client.close();
    expect((failure as Error).message).toBe('out of time for the scan');
    expect((later as Error).message).toBe('out of time for the scan');
  });

  it('holds at most the in-flight byte budget for readers after the oldest, which always proceeds', async () => {
    const budget = new ByteBudget(100);
    const oldest = budget.lease();
    const next = budget.lease();
    expect(oldest.take(80)).toBeUndefined();
    let nextGot = false;
    const waiting = next.take(40)?.then(() => {
      nextGot = true;
    });
    expect(waiting).toBeDefined();
    // The oldest reader is never kept waiting, even past the budget: the readers cannot deadlock.
    expect(oldest.take(50)).toBeUndefined();
    expect(budget.inUse).toBe(130);
    await Promise.resolve();
    expect(nextGot).toBe(false);
    oldest.release();
    await waiting;
    expect(nextGot).toBe(true);
    expect(budget.inUse).toBe(40);
    next.release();
    expect(budget.inUse).toBe(0);
  });

  it('completes concurrent answers larger together than the byte budget', async () => {
    const body = JSON.stringify({ data: 'x'.repeat(4000) });
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // In pieces, so that the readers hold part of their body while the others read.
      const half = body.length / 2;
      res.write(body.slice(0, half));
      setTimeout(() => res.end(body.slice(half)), 20);
    });
    const client = new HttpClient({ maxBytesInFlight: 5000, retries: 0 });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => client.get(`${base}${n}`)));
    await client.close();
    expect(answers.map((a) => a.status === 200 && a.body.length)).toEqual([
      body.length,
      body.length,
      body.length,
      body.length,
    ]);
  });

  it('backs off exponentially from the base wait, with jitter between half and one and a half times', () => {
    const random = vi.spyOn(Math, 'random');
    try {
      random.mockReturnValue(0);
      expect([0, 1, 2].map((retry) => backoffDelay(100, retry))).toEqual([50, 100, 200]);
      random.mockReturnValue(0.999);
      expect(backoffDelay(100, 2)).toBeCloseTo(599.6);
    } finally {
      random.mockRestore();
    }
  });

  it('follows a redirect to the document', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/old') res.writeHead(301, { location: '/new' }).end();
      else res.writeHead(200).end(`at ${req.url}`);
    });
    const client = new HttpClient();
    expect(await client.get(`${base}old`)).toMatchObject({ status: 200, body: 'at /new' });
    await client.close();
  });

  it('goes through the proxy the environment names, except for the hosts NO_PROXY lists', async () => {
    const base = await serve((_req, res) => res.writeHead(200).end('direct or tunnelled'));
    const tunnels: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req: IncomingMessage, client, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const viaProxy = new HttpClient({ env: { HTTP_PROXY: proxyUrl } });
      expect(await viaProxy.get(`${base}a`)).toMatchObject({ status: 200 });
      await viaProxy.close();
      expect(tunnels).toEqual([new URL(base).host]);

      const bypass = new HttpClient({ env: { http_proxy: proxyUrl, no_proxy: '127.0.0.1' } });
      expect(await bypass.get(`${base}b`)).toMatchObject({ status: 200 });
      await bypass.close();
      expect(tunnels).toHaveLength(1);
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((done) => proxy.close(() => done()));
    }
  });
});
