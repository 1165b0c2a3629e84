import type { Logger } from '../core/log.js';
import { oneLine } from '../reporters/escape.js';
import type { CliIO } from './io.js';

/** Renders library progress on stderr, on a TTY only; warnings always, debug with VOUCH_DEBUG. */
export function cliLogger(io: CliIO): Logger & { finish(): void } {
  const tty = io.stderr.isTTY === true;
  let last = 0;
  let drawn = false;
  return {
    progress(event) {
      if (!tty) return;
      const now = Date.now();
      const final = event.total !== undefined && event.done >= event.total;
      if (!final && now - last < 100) return;
      last = now;
      const total = event.total === undefined ? '' : `/${event.total}`;
      io.stderr.write(
        `\r\x1b[2K${event.task}: ${event.done}${total}${event.detail ? ` ${oneLine(event.detail)}` : ''}`,
      );
      drawn = true;
    },
    warn(message) {
      if (drawn) io.stderr.write('\r\x1b[2K');
      drawn = false;
      io.stderr.write(`vouch: warning: ${oneLine(message)}\n`);
    },
    debug(message) {
      if (io.env.VOUCH_DEBUG) io.stderr.write(`vouch: debug: ${oneLine(message)}\n`);
    },
    finish() {
      if (drawn) io.stderr.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
