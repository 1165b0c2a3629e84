// The floor of the proxy benchmark: the least a Node proxy does (node:http in, undici to the upstream, the
// body passed on as it comes), with no check and nothing else in its process. The upstream is BENCH_UPSTREAM;
// prints its URL.
import { createServer } from 'node:http';
import { request } from 'undici';

const upstream = process.env.BENCH_UPSTREAM ?? 'http://127.0.0.1:1';
const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const answer = await request(`${upstream}${req.url}`, {
    method: req.method,
    headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
    body: Buffer.concat(chunks),
  });
  const length = answer.headers['content-length'];
  res.writeHead(answer.statusCode, {
    'content-type': String(answer.headers['content-type'] ?? ''),
    ...(length === undefined ? {} : { 'content-length': String(length) }),
  });
  for await (const chunk of answer.body) res.write(chunk);
  res.end();
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
