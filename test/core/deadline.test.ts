import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeadlineCaller } from '../../src/core/deadline.js';
import { fixturePath } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'vouch-deadline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const callerOf = (name: string) => new DeadlineCaller(fixturePath('core', 'deadline', 'helper.mjs'), name);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('DeadlineCaller', () => {
  it('answers a call that returns, again and again from the same helper', () => {
    const caller = callerOf('echo');
    for (let i = 0; i < 3; i++) expect(caller.call([i, 'text'], 20_000).kind).toBe('done');
    caller.stop();
  });

  it('answers `late` for a call that never returns, and kills the helper running it', async () => {
    const caller = callerOf('spin');
    const pidFile = join(dir, 'spin.pid');
    expect(caller.call([pidFile], 200)).toEqual({ kind: 'late' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    // SIGKILL was sent; the process is gone once its parent has reaped it.
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(pid)).toBe(false);
    // The next call gets a new helper.
    expect(caller.call([join(dir, 'again.pid')], 200)).toEqual({ kind: 'late' });
    expect(Number(readFileSync(join(dir, 'again.pid'), 'utf8'))).not.toBe(pid);
  });

  it('answers `failed` for a call that throws, or a module the helper cannot load', () => {
    expect(callerOf('fail').call([], 20_000)).toEqual({
      kind: 'failed',
      reason: 'the helper process failed on it',
    });
    const missing = new DeadlineCaller(join(dir, 'missing.mjs'), 'x').call([], 20_000);
    expect(missing).toEqual({ kind: 'failed', reason: 'the helper process did not start' });
  });
});
