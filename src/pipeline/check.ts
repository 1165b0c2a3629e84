import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { type Answer, type ConversationFormat, readConversation } from '../inputs/conversation.js';
import { DEFAULT_MAX_FILE_SIZE, displayPath, readTextFile } from '../inputs/walk.js';
import { type FileError, type ScanResult, SKIP_REASONS } from '../model/result.js';
import { type ScanOptions, STDIN, scan } from './scan.js';

/** Scan options that make sense for conversations (no folders are walked). */
export type CheckOptions = Omit<
  ScanOptions,
  'documents' | 'includeDocuments' | 'gitignore' | 'exclude' | 'stdinFilename'
>;

/** One answer that was checked; its findings and packages carry `id` as their `location.file`. */
export interface CheckedAnswer {
  id: string;
  /** The conversation file it came from (`<stdin>` for standard input) and how that file was read. */
  file: string;
  format: ConversationFormat;
  /** The user's message it answers, when the conversation has one. */
  request?: string;
  system?: string;
  model?: string;
}

export interface CheckResult extends ScanResult {
  answers: CheckedAnswer[];
}

/**
 * Checks every assistant answer of the conversations given (files, or `-` for `options.stdin`): each answer
 * is scanned as a document by `scan`, so the result has `scan`'s shape, one answer per `location.file`.
 */
export async function check(inputs: readonly string[], options: CheckOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const cwd = resolve(options.cwd ?? process.cwd());
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const errors: FileError[] = [];
  const answers: (Answer & { file: string; format: ConversationFormat })[] = [];
  const read = new Set<string>();
  let bytesRead = 0;
  for (const input of inputs) {
    let file: { path: string; text: string };
    if (input === STDIN) {
      if (options.stdin === undefined) {
        errors.push({ file: '<stdin>', message: 'standard input was not provided' });
        continue;
      }
      if (Buffer.byteLength(options.stdin) > maxFileSize) {
        errors.push({ file: '<stdin>', message: `not read: ${SKIP_REASONS['too-large']}` });
        continue;
      }
      file = { path: '<stdin>', text: options.stdin };
    } else {
      const abs = isAbsolute(input) ? input : resolve(cwd, input);
      const path = displayPath(abs, cwd);
      let isDirectory: boolean;
      try {
        isDirectory = statSync(abs).isDirectory();
      } catch {
        errors.push({ file: path, message: 'no such file' });
        continue;
      }
      if (isDirectory) {
        errors.push({
          file: path,
          message: 'a folder: vouch check reads conversation files (vouch scan walks folders)',
        });
        continue;
      }
      const outcome = readTextFile(abs, maxFileSize);
      if ('skip' in outcome) {
        errors.push({ file: path, message: `not read: ${SKIP_REASONS[outcome.skip]}` });
        continue;
      }
      file = { path, text: outcome.text };
    }
    // A file given twice is checked once, as `scan` does.
    if (read.has(file.path)) continue;
    read.add(file.path);
    bytesRead += file.text.length;
    const conversation = readConversation(file);
    for (const error of conversation.errors) errors.push({ file: file.path, ...error });
    for (const answer of conversation.answers)
      answers.push({ ...answer, file: file.path, format: conversation.format });
  }

  const result = await scan([], {
    ...options,
    documents: answers.map((a) => ({ path: a.id, text: a.text })),
  });
  return {
    ...result,
    inputs: [...inputs],
    answers: answers.map(({ text: _text, ...answer }) => answer),
    errors: [...errors, ...result.errors],
    stats: { ...result.stats, bytesScanned: bytesRead, durationMs: Math.round(performance.now() - started) },
  };
}
