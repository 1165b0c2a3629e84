import type BetterSqlite3 from 'better-sqlite3';
import { lazy } from './lazy.js';

const sqlite = lazy<typeof import('better-sqlite3')>('better-sqlite3');

/**
 * Every connection this process opened, with its statements, kept reachable until the process exits.
 *
 * better-sqlite3 12 (the version that runs on Node 20) wraps connections and statements in node::ObjectWrap.
 * Since Node 24.19 the ObjectWrap destructor checks that a JavaScript context is entered, and a garbage
 * collection that runs outside one (an idle-time GC) aborts the whole process when it finalises a statement.
 * So no connection or statement may ever become garbage: statements are prepared once per SQL text and
 * cached on their connection, pragmas go through that cache, and connections stay listed here after
 * close(). At exit Node's own cleanup hooks release them while the environment is still alive. The cost is
 * a few kilobytes per distinct SQL text. For the same reason no code calls `iterate()` (its iterator is such a
 * native object) or `backup()`.
 */
const retained: BetterSqlite3.Database[] = [];

export type Database = BetterSqlite3.Database;
export type Statement = BetterSqlite3.Statement;

/**
 * Opens a SQLite database whose `prepare` returns one cached statement per SQL text (so do not change a
 * statement's mode with pluck/raw/expand: every caller shares it) and whose `pragma` goes through that cache.
 */
export function openDatabase(path: string, options?: BetterSqlite3.Options): Database {
  const db = new (sqlite())(path, options);
  const statements = new Map<string, Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (!statement) {
      statement = prepare(source);
      statements.set(source, statement);
    }
    return statement;
  }) as Database['prepare'];
  db.pragma = ((source: string, options?: { simple?: boolean }) => {
    const statement = db.prepare(`PRAGMA ${source}`);
    if (!statement.reader) {
      statement.run();
      return [];
    }
    return options?.simple ? Object.values(statement.get() as object)[0] : statement.all();
  }) as Database['pragma'];
  retained.push(db);
  return db;
}

/**
 * What kind of storage failure an error from SQLite (or the file system under it) is: `full` (the disk or
 * the user's quota or file size limit is exhausted), `corrupt` (the file is not a database, or its pages
 * are damaged), `io` (reading or writing failed otherwise); undefined for anything else.
 */
export type StorageTrouble = 'full' | 'corrupt' | 'io';

export function storageTrouble(error: unknown): StorageTrouble | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') return 'full';
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB')
    return 'corrupt';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  return undefined;
}

/** What a storage failure means for the user, in words: the first half of a message. */
export function describeStorageTrouble(trouble: StorageTrouble, error: unknown): string {
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  switch (trouble) {
    case 'full':
      return `the disk is full (${detail})`;
    case 'corrupt':
      return `the database file is corrupt (${detail})`;
    case 'io':
      return `reading or writing the disk failed: it may be full or failing (${detail})`;
  }
}
