/**
 * Calls that must end by a deadline although they run native code, which JavaScript cannot interrupt: a
 * worker thread with a time limit does not help (terminate() waits for the native call, and so does the
 * process at exit). The call runs in a helper process instead, and a call that passes its deadline has the
 * helper killed (SIGKILL) and is answered `late`; the next call starts a new helper.
 *
 * The caller stays synchronous (extractors are): a worker thread owns the helper's pipes and wakes the
 * caller through shared memory, which the caller waits on with Atomics.wait and the deadline. The helper
 * is started once and serves every later call: starting a Node process costs 50 to 300 ms, a call costs a
 * copy of its arguments.
 *
 * The helper loads one module by its absolute path (never by a name resolved from the working directory,
 * which may be a scanned repository) and calls one of its exports with the arguments; what comes back is
 * the time the call took and what the caller's `reply` function (its source text, run in the helper) makes
 * of the result: the few fields it needs, not the whole result. A call that throws, or kills the helper,
 * is `failed`.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

export type DeadlineOutcome =
  | { kind: 'done'; ms: number; value: unknown }
  | { kind: 'late' }
  | { kind: 'failed'; reason: string };

/** Slots of the shared state. */
const STATUS = 0;
const PID = 1;
const MICROS = 2;
/** Which helper the status is about: each start (the first, or after a kill) has the next number. */
const GENERATION = 3;
/** Values of STATUS. */
const STARTING = 0;
const READY = 1;
const BUSY = 2;
const DONE = 3;
const FAILED = 4;

/** A helper that has not said it is ready by then will not: the machine is out of processes or memory. */
const START_TIMEOUT_MS = 30_000;

/** Source of `onLines(stream, each)`: calls `each` with every line of JSON read from `stream`, parsed. */
const ON_LINES = `
const onLines = (stream, each) => {
  let chunks = [];
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    for (let nl = chunk.indexOf('\\n'); nl !== -1; nl = chunk.indexOf('\\n')) {
      chunks.push(chunk.slice(0, nl));
      chunk = chunk.slice(nl + 1);
      const line = chunks.join('');
      chunks = [];
      each(JSON.parse(line));
    }
    if (chunk) chunks.push(chunk);
  });
};
`;

/**
 * The helper: loads argv[1]'s export argv[2], says "ready", then runs one JSON line of arguments at a time
 * and answers each with the microseconds it took and argv[3]'s reply of the result (or the error thrown).
 */
const HELPER = `
const { pathToFileURL } = require('node:url');
const [file, name, replySource] = process.argv.slice(1);
const reply = new Function('return ' + replySource)();
const answer = (value) => process.stdout.write(JSON.stringify(value) + '\\n');
${ON_LINES}
import(pathToFileURL(file).href).then((mod) => {
  const fn = mod[name];
  onLines(process.stdin, (args) => {
    const started = process.hrtime.bigint();
    try {
      const result = fn(...args);
      const micros = Number((process.hrtime.bigint() - started) / 1000n);
      answer({ micros, value: reply(result) });
    } catch (error) {
      answer({ error: String(error) });
    }
  });
  process.stdin.on('end', () => process.exit(0));
  answer('ready');
}, (error) => {
  answer({ error: String(error) });
  process.exit(1);
});
`;

/**
 * The worker thread between the caller and the helper: it starts the helper, forwards lines, posts answers
 * to the state, and on `{restart}` kills the helper (SIGKILL) and starts the next one. It keeps running, so
 * it reaps every helper it killed. What an earlier helper says after its restart is ignored.
 */
const BRIDGE = `
const { parentPort, workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const state = new Int32Array(workerData.shared);
${ON_LINES}
const settle = (status, micros) => {
  Atomics.store(state, ${MICROS}, micros);
  Atomics.store(state, ${STATUS}, status);
  Atomics.notify(state, ${STATUS});
};
let helper;
const start = (generation) => {
  const child = spawn(process.execPath, ['-e', workerData.helper, workerData.file, workerData.name, workerData.reply], {
    stdio: ['pipe', 'pipe', 'ignore'],
    // Not the working directory, which may be a scanned repository.
    cwd: require('node:path').dirname(workerData.file),
  });
  helper = child;
  const current = () => helper === child;
  Atomics.store(state, ${PID}, child.pid ?? 0);
  Atomics.store(state, ${GENERATION}, generation);
  settle(${STARTING}, 0);
  child.on('error', () => current() && settle(${FAILED}, 0));
  child.on('exit', () => current() && settle(${FAILED}, 0));
  child.stdin.on('error', () => {});
  onLines(child.stdout, (value) => {
    if (!current()) return;
    if (value === 'ready') settle(${READY}, 0);
    else if (typeof value.micros === 'number') {
      workerData.replies.postMessage(value.value);
      settle(${DONE}, Math.min(value.micros, 2 ** 31 - 1));
    } else settle(${FAILED}, 0);
  });
};
start(0);
parentPort.on('message', (message) => {
  if (typeof message === 'string') return helper.stdin.write(message + '\\n');
  helper.kill('SIGKILL');
  start(message.restart);
});
`;

/** One export of one module, called in a helper process under a deadline. */
export class DeadlineCaller {
  private bridge: { worker: Worker; state: Int32Array; replies: MessagePort } | undefined;
  private generation = 0;
  /** The helper could not be started: every call fails at once rather than trying again per call. */
  private broken = false;

  /** `reply`: the source of a function from the call's result to the JSON value the caller gets back. */
  constructor(
    private readonly file: string,
    private readonly name: string,
    private readonly reply = '() => null',
  ) {}

  /** Calls the export with `args` (JSON values); `late` when it has not returned within `deadlineMs`. */
  call(args: unknown[], deadlineMs: number): DeadlineOutcome {
    if (this.broken || !this.ready()) {
      this.broken = true;
      return { kind: 'failed', reason: 'the helper process did not start' };
    }
    const { worker, state, replies } = this.bridge as NonNullable<typeof this.bridge>;
    while (receiveMessageOnPort(replies));
    Atomics.store(state, STATUS, BUSY);
    worker.postMessage(JSON.stringify(args));
    const waited = Atomics.wait(state, STATUS, BUSY, Math.max(0, deadlineMs));
    const status = Atomics.load(state, STATUS);
    if (status === DONE) {
      Atomics.store(state, STATUS, READY);
      // Posted before DONE was: there to be taken without waiting.
      const value = receiveMessageOnPort(replies)?.message;
      return { kind: 'done', ms: Atomics.load(state, MICROS) / 1000, value };
    }
    // Late, or the helper died on it. Killed from here at once (this process may be about to exit, before
    // the bridge gets to it); the bridge reaps it and starts the next one now, ready by the next call.
    const late = waited === 'timed-out' && status === BUSY;
    if (late) killQuietly(Atomics.load(state, PID));
    this.generation++;
    worker.postMessage({ restart: this.generation });
    if (late) return { kind: 'late' };
    return { kind: 'failed', reason: 'the helper process failed on it' };
  }

  /** Waits for the current helper to say it is ready; false if it did not start. */
  private ready(): boolean {
    if (!this.bridge) {
      const shared = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
      // Replies come on a port of their own, which this thread reads without an event loop turn.
      const { port1, port2 } = new MessageChannel();
      port1.unref();
      const worker = new Worker(BRIDGE, {
        eval: true,
        workerData: {
          shared,
          helper: HELPER,
          file: this.file,
          name: this.name,
          reply: this.reply,
          replies: port2,
        },
        transferList: [port2],
        // The bridge needs none of the caller's flags (a test runner's loaders, an inspector).
        execArgv: [],
        stdout: true,
        stderr: true,
      });
      // Neither it nor its helper keeps this process alive: the helper ends when its input closes.
      worker.unref();
      worker.on('error', () => {});
      this.bridge = { worker, state: new Int32Array(shared), replies: port1 };
    }
    const { state } = this.bridge;
    const until = performance.now() + START_TIMEOUT_MS;
    for (;;) {
      const status = Atomics.load(state, STATUS);
      if (Atomics.load(state, GENERATION) === this.generation) {
        if (status === READY) return true;
        if (status === FAILED) return false;
      }
      const left = until - performance.now();
      if (left <= 0) return false;
      Atomics.wait(state, STATUS, status, left);
    }
  }

  /** Ends the helper and its bridge (both also end with this process). */
  stop(): void {
    void this.bridge?.worker.terminate();
    this.bridge = undefined;
  }
}

function killQuietly(pid: number): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
