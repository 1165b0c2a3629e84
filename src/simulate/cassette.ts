/**
 * Cassettes: a run's exchanges as JSON lines, so that it can be replayed offline with the same result.
 * The first line is the run's plan; each further line is one sample's final attempt (the request as sent,
 * without headers, and the answer or the reason it failed). A later line for the same sample wins, so a
 * resumed recording appends.
 */

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { VouchError } from '../core/errors.js';
import { isJson, isObject } from '../core/json.js';
import type { RunPlan } from './store.js';

const CASSETTE_VERSION = 1;

interface CassetteAnswer {
  status: number;
  body: string;
  streamed: boolean;
  firstByteMs: number;
  elapsedMs: number;
}

export interface CassetteEntry {
  /** `sampleId` of the sample. */
  key: string;
  request?: { url: string; body: unknown };
  attempts: number;
  /** The answer that was read, for answered samples. */
  answer?: CassetteAnswer;
  /** Why the sample failed, for failed ones. */
  failure?: string;
  httpStatus?: number;
}

interface Header {
  cassette: number;
  plan: RunPlan;
}

export class CassetteRecorder {
  /** `append`: a resumed run adds to its recording; otherwise the file starts afresh with the plan. */
  constructor(
    private readonly path: string,
    plan: RunPlan,
    append: boolean,
  ) {
    const header: Header = { cassette: CASSETTE_VERSION, plan };
    try {
      if (!append) writeFileSync(path, `${JSON.stringify(header)}\n`);
      else appendFileSync(path, '');
    } catch (error) {
      throw new VouchError('INPUT', `${path}: cannot write the cassette (${(error as Error).message})`, {
        cause: error,
      });
    }
  }

  /** Written at once, so that a killed run's cassette has everything that arrived. */
  add(entry: CassetteEntry): void {
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
  }
}

export class Cassette {
  private constructor(
    readonly path: string,
    readonly plan: RunPlan,
    private readonly entries: Map<string, CassetteEntry>,
  ) {}

  static load(path: string): Cassette {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new VouchError('INPUT', `${path}: cannot read the cassette`, { cause: error });
    }
    const lines = text.split('\n');
    const fail = (line: number, message: string): never => {
      throw new VouchError('INPUT', `${path}:${line}: ${message}`);
    };
    const parse = (index: number): unknown => {
      try {
        return JSON.parse(lines[index]!);
      } catch {
        return fail(index + 1, 'not JSON');
      }
    };
    const header = lines[0] ? parse(0) : undefined;
    if (!isObject(header) || header.cassette !== CASSETTE_VERSION || !isObject(header.plan))
      return fail(1, `not a Vouch cassette (version ${CASSETTE_VERSION}): the first line must hold the plan`);
    const entries = new Map<string, CassetteEntry>();
    const last = lines.findLastIndex((line) => line.trim() !== '');
    for (let i = 1; i < lines.length; i++) {
      if (lines[i]!.trim() === '') continue;
      // A recording killed mid-write ends with part of a line: that sample was not recorded.
      if (i === last && !isJson(lines[i]!)) break;
      const entry = parse(i);
      if (
        !isObject(entry) ||
        typeof entry.key !== 'string' ||
        (entry.answer === undefined) === (entry.failure === undefined)
      )
        fail(i + 1, 'an entry has a key and either an answer or a failure');
      entries.set((entry as unknown as CassetteEntry).key, entry as unknown as CassetteEntry);
    }
    return new Cassette(path, header.plan as unknown as RunPlan, entries);
  }

  get(key: string): CassetteEntry | undefined {
    return this.entries.get(key);
  }
}
