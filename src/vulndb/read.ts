/**
 * Reading OSV records out of the forms they come in: single JSON files, folders of them, OSV `all.zip`
 * archives and JSON lines (optionally gzipped). Readers yield raw record text with where it came from, or a
 * problem for a record that was skipped; a problem that makes the whole source unreadable (a zip bomb, a
 * corrupt archive) is thrown as a `SourceError`.
 */
import {
  closeSync,
  createReadStream,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import type { ImportProblem } from './store.js';

export interface ImportLimits {
  /** Bytes one archive or gzip file may expand to in total. Default 8 GiB. */
  maxTotalBytes: number;
  /** Bytes one zip entry may expand to; a larger one is taken for a zip bomb. Default 256 MiB. */
  maxEntryBytes: number;
  /** Expansion ratio of a zip entry or gzip file (checked once it is past 1 MiB). Default 200. */
  maxCompressionRatio: number;
  /** Bytes of one record (a JSON file, a line, a zip entry); larger records are skipped. Default 8 MiB. */
  maxRecordBytes: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxTotalBytes: 8 * 1024 ** 3,
  maxEntryBytes: 256 * 1024 ** 2,
  maxCompressionRatio: 200,
  maxRecordBytes: 8 * 1024 ** 2,
};

/** Large reads: per-chunk overhead, not bandwidth, is what costs when streaming many small records. */
const CHUNK = 1024 * 1024;

/** Below this, a high compression ratio is no threat and is not checked. */
const RATIO_FLOOR = 1024 ** 2;

/**
 * One record's text. `document`: a whole JSON file or zip entry, which may also be a list of records;
 * otherwise one line of JSON lines.
 */
export interface RawRecord {
  text: string;
  where: string;
  document: boolean;
}

export type ReadItem = RawRecord | { problem: ImportProblem };

/** Readers yield items in batches: one await per record would cost more than parsing it. */
export type ReadBatch = ReadItem[];

/** The whole source cannot be read: it is abandoned and its previous records, if any, are kept. */
export class SourceError extends Error {}

type FileKind = 'zip' | 'jsonl' | 'jsonl.gz' | 'json' | 'json.gz';

/** The kind of an OSV file, from its name; the magic bytes of zip and gzip win over a misleading name. */
function fileKind(path: string): FileKind | undefined {
  const name = basename(path).toLowerCase();
  const magic = readMagic(path);
  if (magic === 'zip') return 'zip';
  if (magic === 'gzip') return name.endsWith('.json.gz') ? 'json.gz' : 'jsonl.gz';
  if (name.endsWith('.zip') || name.endsWith('.gz')) return undefined;
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.json')) return 'json';
  return undefined;
}

function readMagic(path: string): 'zip' | 'gzip' | undefined {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const n = readSync(fd, buffer, 0, 4, 0);
    if (n >= 4 && buffer.readUInt32LE(0) === 0x04034b50) return 'zip';
    if (n >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return 'gzip';
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Records of a file or folder. `shown` is how the path appears in problems. */
export async function* readPath(
  path: string,
  shown: string,
  limits: ImportLimits,
): AsyncGenerator<ReadBatch> {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    throw new SourceError(`${shown}: no such file or directory`);
  }
  if (stats.isDirectory()) {
    yield* readFolder(path, shown, limits);
    return;
  }
  const kind = fileKind(path);
  if (!kind) throw new SourceError(`${shown}: not an OSV file (expected .json, .jsonl, .jsonl.gz or .zip)`);
  yield* readFile(path, shown, kind, limits);
}

async function* readFolder(dir: string, shown: string, limits: ImportLimits): AsyncGenerator<ReadBatch> {
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const child = `${shown}/${entry.name}`;
    // Symbolic links to folders are not followed: a link back up would never end.
    if (entry.isDirectory()) yield* readFolder(path, child, limits);
    else if (entry.isFile() || (entry.isSymbolicLink() && safeIsFile(path))) {
      let kind: FileKind | undefined;
      try {
        kind = fileKind(path);
      } catch (error) {
        yield [{ problem: { where: child, reason: `unreadable (${(error as Error).message})` } }];
        continue;
      }
      if (kind) yield* readFile(path, child, kind, limits);
    }
  }
}

function safeIsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

async function* readFile(
  path: string,
  shown: string,
  kind: FileKind,
  limits: ImportLimits,
): AsyncGenerator<ReadBatch> {
  switch (kind) {
    case 'zip':
      yield* readZip(path, shown, limits);
      return;
    case 'json': {
      const size = statSync(path).size;
      if (size > limits.maxRecordBytes) {
        yield [{ problem: { where: shown, reason: tooLarge(size, limits) } }];
        return;
      }
      yield [{ text: readFileSync(path, 'utf8'), where: shown, document: true }];
      return;
    }
    case 'jsonl':
      yield* readLines(createReadStream(path, { highWaterMark: CHUNK }), shown, limits);
      return;
    case 'jsonl.gz':
    case 'json.gz': {
      const compressed = statSync(path).size;
      const stream = createReadStream(path, { highWaterMark: CHUNK }).pipe(
        createGunzip({ chunkSize: CHUNK }),
      );
      const expanded = guardExpansion(stream, shown, compressed, limits);
      if (kind === 'jsonl.gz') yield* readLines(expanded, shown, limits);
      else {
        const text = await collectText(expanded, limits);
        if (text !== undefined) yield [{ text, where: shown, document: true }];
        else
          yield [{ problem: { where: shown, reason: `record larger than ${limits.maxRecordBytes} bytes` } }];
      }
      return;
    }
  }
}

/** Stops a gzip stream that expands past the total or ratio limit. */
async function* guardExpansion(
  stream: AsyncIterable<Buffer>,
  shown: string,
  compressed: number,
  limits: ImportLimits,
): AsyncGenerator<Buffer> {
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += chunk.length;
      if (total > limits.maxTotalBytes)
        throw new SourceError(
          `${shown}: expands past the limit of ${limits.maxTotalBytes} bytes (a gzip bomb?)`,
        );
      if (total > RATIO_FLOOR && total / Math.max(compressed, 1) > limits.maxCompressionRatio)
        throw new SourceError(
          `${shown}: expands more than ${limits.maxCompressionRatio} times its compressed size (a gzip bomb?)`,
        );
      yield chunk;
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(`${shown}: corrupt gzip data (${(error as Error).message})`);
  }
}

async function collectText(stream: AsyncIterable<Buffer>, limits: ImportLimits): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limits.maxRecordBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One record per non-blank line; a line longer than the record limit is dropped without being kept whole. */
async function* readLines(
  stream: AsyncIterable<Buffer>,
  shown: string,
  limits: ImportLimits,
): AsyncGenerator<ReadBatch> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let oversized = false;
  let line = 0;
  const finishLine = (text: string, batch: ReadBatch) => {
    line++;
    if (oversized) {
      oversized = false;
      batch.push({
        problem: { where: `${shown}:${line}`, reason: `record larger than ${limits.maxRecordBytes} bytes` },
      });
    } else if (text.trim() !== '') batch.push({ text, where: `${shown}:${line}`, document: false });
  };
  for await (const chunk of stream) {
    const batch: ReadBatch = [];
    const text = decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl);
      const whole = oversized ? '' : pending + piece;
      pending = '';
      if (whole.length > limits.maxRecordBytes) oversized = true;
      finishLine(whole, batch);
      start = nl + 1;
    }
    if (!oversized) {
      pending += text.slice(start);
      if (pending.length > limits.maxRecordBytes) {
        oversized = true;
        pending = '';
      }
    }
    if (batch.length > 0) yield batch;
  }
  const rest = pending + decoder.end();
  const batch: ReadBatch = [];
  if (rest.length > 0 || oversized) finishLine(oversized ? '' : rest, batch);
  if (batch.length > 0) yield batch;
}

async function* readZip(path: string, shown: string, limits: ImportLimits): AsyncGenerator<ReadBatch> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw new SourceError(
      `${shown}: not a readable zip archive, truncated or corrupt (${(error as Error).message})`,
    );
  }
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        false,
      );
      const where = `${shown}!${name}`;
      if (name.endsWith('/')) continue;
      const unsafe = yauzl.validateFileName(name);
      if (unsafe !== null) {
        yield [{ problem: { where, reason: `unsafe entry name, skipped (${unsafe})` } }];
        continue;
      }
      if (!name.toLowerCase().endsWith('.json')) continue;
      const size = entry.uncompressedSize;
      if (size > limits.maxEntryBytes)
        throw new SourceError(
          `${where}: entry expands to ${size} bytes, past the limit of ${limits.maxEntryBytes} (a zip bomb?)`,
        );
      if (size > RATIO_FLOOR && size / Math.max(entry.compressedSize, 1) > limits.maxCompressionRatio)
        throw new SourceError(
          `${where}: entry expands ${Math.round(size / Math.max(entry.compressedSize, 1))} times, past the limit of ${limits.maxCompressionRatio} (a zip bomb?)`,
        );
      total += size;
      if (total > limits.maxTotalBytes)
        throw new SourceError(
          `${shown}: expands past the limit of ${limits.maxTotalBytes} bytes (a zip bomb?)`,
        );
      if (size > limits.maxRecordBytes) {
        yield [{ problem: { where, reason: tooLarge(size, limits) } }];
        continue;
      }
      yield [{ text: await readEntry(zip, entry, where), where, document: true }];
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    // A central directory that breaks off part-way.
    throw new SourceError(`${shown}: corrupt archive (${(error as Error).message})`);
  } finally {
    if (zip.isOpen) zip.close();
  }
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, where: string): Promise<string> {
  try {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    // validateEntrySizes makes the stream fail if it yields more (or fewer) bytes than the entry declares.
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    throw new SourceError(`${where}: corrupt archive (${(error as Error).message})`);
  }
}

function tooLarge(size: number, limits: ImportLimits): string {
  return `record of ${size} bytes is larger than the limit of ${limits.maxRecordBytes}`;
}
