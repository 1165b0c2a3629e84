import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { pushAll } from '../core/arrays.js';
import { inputError, VouchError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { DEFAULT_MAX_DATABASE_AGE_MS, databasePath } from '../core/paths.js';
import { describeStorageTrouble, storageTrouble } from '../core/sqlite.js';
import { ECOSYSTEMS, type Ecosystem } from '../model/ecosystem.js';
import { popularFailure, updatePopularPypi } from '../registry/popular.js';
import { plain } from '../reporters/escape.js';
import { importOsv, type SourceReport } from '../vulndb/import.js';
import { type DatabaseStatus, VulnDatabase } from '../vulndb/store.js';
import { updateDatabase } from '../vulndb/update.js';
import type { CliIO } from './io.js';
import { cliLogger } from './progress.js';
import { parseDays } from './scan-options.js';

const DAY_MS = 86_400_000;
/** Problems printed per source; `--format json` has every one that was kept. */
const PROBLEMS_SHOWN = 10;

interface DbFlags {
  cacheDir?: string;
  database?: string;
  format: 'table' | 'json';
}

/** An http(s) URL as given; a `file://` URL or a path as an absolute path. */
function localOrUrl(text: string, cwd: string): string {
  if (/^https?:\/\//i.test(text)) return text;
  return text.startsWith('file:') ? fileURLToPath(text) : resolve(cwd, text);
}

/** `vouch db update|import|status`: the vulnerability database. */
export function registerDbCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const db = program.command('db').description('the vulnerability database (OSV advisories) that scans read');
  const common = (command: Command) =>
    command
      .option(
        '--cache-dir <dir>',
        'cache folder (default: $VOUCH_CACHE_DIR, else $XDG_CACHE_HOME/vouch or ~/.cache/vouch)',
      )
      .option('--database <path>', 'database file (default: <cache>/osv.sqlite)')
      .addOption(
        new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'),
      );
  const pathOf = (flags: DbFlags) => flags.database ?? databasePath(io.env, flags.cacheDir);

  common(
    db
      .command('update')
      .description(
        "download OSV's advisory archives for every supported ecosystem (only the ones that changed)",
      )
      .option(
        '--url <base>',
        'where <base>/<Ecosystem>/all.zip are, http(s) or file:// (default: $VOUCH_OSV_URL, else the OSV bucket)',
      )
      .addOption(new Option('--ecosystem <name...>', 'only these ecosystems').choices([...ECOSYSTEMS]))
      .option(
        '--top-pypi-url <url>',
        "the popular PyPI names for typosquat checks, a URL or a file (default: $VOUCH_TOP_PYPI_URL, else hugovk's monthly top-PyPI-packages list)",
      ),
  ).action(async (flags: DbFlags & { url?: string; ecosystem?: Ecosystem[]; topPypiUrl?: string }) => {
    const logger = cliLogger(io);
    const report = await updateDatabase({
      env: io.env,
      database: pathOf(flags),
      ...(flags.cacheDir ? { cacheDir: flags.cacheDir } : {}),
      ...(flags.url ? { baseUrl: flags.url } : {}),
      ...(flags.ecosystem ? { ecosystems: flags.ecosystem } : {}),
      logger,
    });
    const popular =
      !flags.ecosystem || flags.ecosystem.includes('PyPI')
        ? await updatePopularPypi({
            env: io.env,
            ...(flags.cacheDir ? { cacheDir: flags.cacheDir } : {}),
            ...(flags.topPypiUrl ? { url: localOrUrl(flags.topPypiUrl, io.cwd) } : {}),
            logger,
          })
        : undefined;
    logger.finish();
    if (flags.format === 'json')
      io.stdout.write(`${JSON.stringify(popular ? { ...report, popularPypi: popular } : report, null, 2)}\n`);
    else {
      const rows = report.ecosystems.map((e) => [
        e.ecosystem,
        e.status,
        e.status === 'failed'
          ? `${e.error}; ${e.kept ? 'its previous data was kept' : report.existed ? 'the database has none of it yet' : 'no database yet'}`
          : e.status === 'updated'
            ? `${count(e.records ?? 0)} records${e.skipped ? `, ${count(e.skipped)} skipped` : ''} (${megabytes(e.downloaded)} downloaded)`
            : e.downloaded > 0
              ? `same archive as before (${megabytes(e.downloaded)} downloaded)`
              : 'not modified',
      ]);
      io.stdout.write(
        `${columns(rows)}\nDatabase: ${report.database}${report.written ? '' : report.existed ? ' (not changed)' : ' (none yet)'}\n`,
      );
      if (report.ecosystems.some((e) => e.status === 'failed'))
        io.stdout.write(
          'Without access to the OSV bucket, fetch its <Ecosystem>/all.zip archives on another machine and run\n' +
            '  vouch db import all.zip …   (or vouch db update --url file:///folder/with/the/archives)\n',
        );
      if (popular)
        io.stdout.write(
          popular.status === 'updated'
            ? `Popular PyPI names: ${count(popular.projects ?? 0)} projects (${popular.path})\n`
            : `Popular PyPI names: failed: ${popular.error}; ${popularFailure(popular.kept === true)}\n`,
        );
    }
    const failed = report.ecosystems.some((e) => e.status === 'failed') || popular?.status === 'failed';
    setExit(failed ? EXIT.internal : EXIT.clean);
  });

  common(
    db
      .command('import')
      .description(
        'import OSV records: JSON files, folders of them, all.zip archives, .jsonl(.gz) files, or URLs',
      )
      .argument('<sources...>', 'files, folders or http(s) URLs')
      .option('--replace', 'build the database from these sources only, dropping everything else'),
  ).action(async (sources: string[], flags: DbFlags & { replace?: boolean }) => {
    const logger = cliLogger(io);
    const resolved = sources.map((s) => localOrUrl(s, io.cwd));
    const report = await importOsv(resolved, pathOf(flags), { logger, replace: flags.replace === true });
    logger.finish();
    if (flags.format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const out: string[] = [];
      for (const source of report.sources) pushAll(out, describeSource(source));
      out.push(
        `Database: ${report.database} (${megabytes(report.sizeBytes)})${report.written ? '' : ' (not changed)'} in ${(report.durationMs / 1000).toFixed(1)}s`,
      );
      io.stdout.write(`${plain(out.join('\n'))}\n`);
    }
    setExit(report.sources.some((s) => s.error) ? EXIT.input : EXIT.clean);
  });

  common(
    db
      .command('status')
      .description('records per ecosystem, where they came from, and how old the database is')
      .option('--max-age <days>', 'call the database old past this many days (default: 7)', parseDays),
  ).action((flags: DbFlags & { maxAge?: number }) => {
    const path = pathOf(flags);
    let opened: VulnDatabase | undefined;
    try {
      opened = VulnDatabase.open(path);
    } catch (error) {
      if (error instanceof VouchError) throw inputError(error.message, error);
      throw error;
    }
    if (!opened)
      throw inputError(`no vulnerability database at ${path}: run vouch db update (or vouch db import FILE)`);
    let status: DatabaseStatus;
    try {
      status = opened.status();
    } catch (error) {
      const trouble = storageTrouble(error);
      if (!trouble) throw error;
      throw inputError(
        `${path}: ${describeStorageTrouble(trouble, error)}; run vouch db update (or vouch db import) to rebuild it`,
        error,
      );
    } finally {
      opened.close();
    }
    const ageMs = status.updatedAt ? Date.now() - Date.parse(status.updatedAt) : undefined;
    const stale = ageMs !== undefined && ageMs > (flags.maxAge ?? DEFAULT_MAX_DATABASE_AGE_MS);
    if (flags.format === 'json') {
      io.stdout.write(
        `${JSON.stringify({ ...status, ageDays: ageMs === undefined ? null : ageMs / DAY_MS, stale }, null, 2)}\n`,
      );
      return;
    }
    const out = [
      `Database:   ${status.path} (${megabytes(status.sizeBytes)})`,
      `Updated:    ${status.updatedAt ?? 'unknown'}${ageMs === undefined ? '' : ` (${age(ageMs)} ago${stale ? ', old: run vouch db update' : ''})`}`,
      `Advisories: ${count(status.advisories)} (${count(status.withdrawn)} withdrawn, never matched)`,
      '',
      columns([
        ['ECOSYSTEM', 'ADVISORIES', 'MALICIOUS', 'PACKAGES'],
        ...status.ecosystems.map((e) => [
          e.ecosystem,
          count(e.advisories),
          count(e.malicious),
          count(e.packages),
        ]),
      ]),
      '',
      columns([
        ['SOURCE', 'RECORDS', 'SKIPPED', 'FETCHED'],
        ...status.sources.map((s) => [s.url ?? s.location, count(s.records), count(s.skipped), s.fetchedAt]),
      ]),
    ];
    io.stdout.write(`${plain(out.join('\n'))}\n`);
  });
}

function describeSource(source: SourceReport): string[] {
  if (source.error) return [`failed: ${source.error}`];
  const notes = [`${count(source.records)} records`];
  if (source.skipped) notes.push(`${count(source.skipped)} skipped`);
  if (source.gitRanges) notes.push(`${count(source.gitRanges)} GIT ranges not evaluated`);
  if (source.otherEcosystems) notes.push(`${count(source.otherEcosystems)} for other ecosystems, not stored`);
  const lines = [`${source.location}: ${notes.join(', ')}`];
  for (const problem of source.problems.slice(0, PROBLEMS_SHOWN))
    lines.push(`  skipped ${problem.where}: ${problem.reason}`);
  if (source.skipped > PROBLEMS_SHOWN) lines.push(`  … and ${count(source.skipped - PROBLEMS_SHOWN)} more`);
  return lines;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

function age(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 1) return `${Math.max(0, Math.round(ms / 60_000))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}

function columns(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
