// The fake upstream of the proxy benchmark, in a process of its own as a real upstream would be: each request
// then wakes another process, on the direct path as on the proxied one. Answers every POST at once with the
// body in BENCH_UPSTREAM_BODY, and prints its URL.
import { createServer } from 'node:http';

const body = process.env.BENCH_UPSTREAM_BODY ?? '{}';
const length = Buffer.byteLength(body);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
