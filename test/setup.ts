import * as net from 'node:net';
import fc from 'fast-check';

// Property tests run with a fixed seed so that CI is repeatable; FC_SEED=random explores new inputs locally.
const seed = process.env.FC_SEED === 'random' ? Date.now() : Number(process.env.FC_SEED ?? 20261126);
fc.configureGlobal({ seed });

// Tests never reach the internet: a connection to anything but this machine fails at once, before any name
// is looked up, so that a default registry or OSV host a test forgot to replace cannot be asked.
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  const options = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string } | number;
  const host =
    typeof options === 'object' && options !== null
      ? options.host
      : typeof args[1] === 'string'
        ? args[1]
        : undefined;
  const isPath = typeof options === 'object' && options !== null && options.path !== undefined;
  if (!isPath && host !== undefined && !LOOPBACK.test(host)) {
    const error = Object.assign(new Error(`tests never reach the internet (connect to ${host})`), {
      code: 'ECONNREFUSED',
    });
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof connect;
