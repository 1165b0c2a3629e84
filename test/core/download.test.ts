import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download } from '../../src/core/download.js';
import { VouchError } from '../../src/core/errors.js';
import { tempDir } from '../vulndb/helpers.js';

const BODY = Buffer.from('x'.repeat(5000));
const requests: string[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': BODY.length, etag: '"v1"' }).end(BODY);
      return;
    }
    // No Content-Length: the limit can only be noticed while the body arrives.
    res.writeHead(200);
    for (let i = 0; i < BODY.length; i += 500) res.write(BODY.subarray(i, i + 500));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('download', () => {
  const dir = tempDir();

  it('writes the body to the file with its size, sha256 and ETag', async () => {
    const dest = join(dir, 'whole');
    const result = await download(`${base}/declared`, dest);
    expect(result).toEqual({
      status: 'downloaded',
      bytes: BODY.length,
      sha256: createHash('sha256').update(BODY).digest('hex'),
      etag: '"v1"',
    });
    expect(readFileSync(dest)).toEqual(BODY);
  });

  it('refuses a body over the size limit, announced or streamed, without retrying, and keeps no file', async () => {
    for (const path of ['/declared', '/streamed']) {
      requests.length = 0;
      const dest = join(dir, `limited${path.replace('/', '-')}`);
      const error = await download(`${base}${path}`, dest, {
        maxBytes: 1000,
        retries: 2,
        backoffMs: 1,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VouchError);
      expect((error as VouchError).message).toBe(`${base}${path}: the answer is larger than 1000 bytes`);
      expect(requests).toEqual([path]);
      expect(existsSync(dest)).toBe(false);
    }
  });
});
