import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { OsvRecord } from '../../src/model/osv.js';

/**
 * A loopback stand-in for the OSV API: `POST /v1/querybatch` answers each query with the ids (and modified
 * times) of the records naming the package (whatever the version: a superset of the real answer, which
 * Vouch narrows itself), and `GET /v1/vulns/{id}` with the record. It counts what it was asked.
 */
export class FakeOsvApi {
  readonly requests: { method: string; path: string; queries?: number }[] = [];
  /** Answer every request with this status instead. */
  failWith: number | undefined;
  /**
   * A hostile API: `trickle` sends a status, then a byte every 20 ms for as long as the client listens;
   * `flood` lists 30,000 advisories for every query; `oversize` answers every record with 5 MiB.
   */
  hostile: 'trickle' | 'flood' | 'oversize' | undefined;
  private server: Server | undefined;
  private readonly records = new Map<string, OsvRecord>();

  constructor(records: readonly OsvRecord[]) {
    for (const record of records) this.records.set(record.id, record);
  }

  /** Every record of a fixture folder (`*.json`, `*.jsonl`), recursively; what is not JSON is left out. */
  static fromFolder(folder: string): FakeOsvApi {
    const records: OsvRecord[] = [];
    const add = (text: string) => {
      try {
        const value = JSON.parse(text) as OsvRecord;
        if (typeof value?.id === 'string') records.push(value);
      } catch {
        // The fixtures hold broken records on purpose.
      }
    };
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(path);
        } else if (entry.name.endsWith('.jsonl')) {
          for (const line of readFileSync(path, 'utf8').split('\n')) if (line.trim()) add(line);
        } else if (entry.name.endsWith('.json')) {
          add(readFileSync(path, 'utf8'));
        }
      }
    };
    walk(folder);
    return new FakeOsvApi(records);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => this.answer(req.method ?? 'GET', req.url ?? '', body, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private answer(method: string, path: string, body: string, res: import('node:http').ServerResponse): void {
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    if (this.failWith !== undefined) {
      this.requests.push({ method, path });
      json(this.failWith, { message: 'unavailable' });
      return;
    }
    if (this.hostile === 'trickle') {
      this.requests.push({ method, path });
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(drip));
      return;
    }
    if (this.hostile === 'flood' && method === 'POST') {
      const { queries } = JSON.parse(body) as { queries: unknown[] };
      this.requests.push({ method, path, queries: queries.length });
      const vulns = Array.from({ length: 30_000 }, (_, i) => ({
        id: `FLOOD-${i}`,
        modified: '2024-01-01T00:00:00Z',
      }));
      json(200, { results: queries.map(() => ({ vulns })) });
      return;
    }
    if (this.hostile === 'oversize' && method === 'GET') {
      this.requests.push({ method, path });
      json(200, { id: 'HUGE', modified: '2024-01-01T00:00:00Z', details: 'x'.repeat(5 * 1024 ** 2) });
      return;
    }
    if (method === 'POST' && path === '/v1/querybatch') {
      const { queries } = JSON.parse(body) as { queries: { package: { ecosystem: string; name: string } }[] };
      this.requests.push({ method, path, queries: queries.length });
      json(200, {
        results: queries.map((q) => {
          const vulns = [...this.records.values()]
            .filter((r) =>
              (r.affected ?? []).some(
                (a) =>
                  a.package?.ecosystem === q.package.ecosystem &&
                  a.package.name.toLowerCase() === q.package.name.toLowerCase(),
              ),
            )
            .map((r) => ({ id: r.id, modified: r.modified }));
          return vulns.length > 0 ? { vulns } : {};
        }),
      });
      return;
    }
    const id = /^\/v1\/vulns\/(.+)$/.exec(path)?.[1];
    this.requests.push({ method, path });
    const record = id === undefined ? undefined : this.records.get(decodeURIComponent(id));
    if (record) json(200, record);
    else json(404, { code: 5, message: 'Bug not found.' });
  }
}
