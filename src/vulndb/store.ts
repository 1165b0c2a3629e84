/**
 * The vulnerability database: one SQLite file (`<cache>/osv.sqlite`) holding OSV advisories, their affected
 * packages (indexed by ecosystem and normalised name), aliases, and where each batch of records came from.
 *
 * Readers open it read-only (`VulnDatabase`); writers never touch it in place: `import.ts` builds a new file
 * beside it with `DatabaseWriter` and renames it over the old one.
 */
import { existsSync, statSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { VouchError } from '../core/errors.js';
import { describeStorageTrouble, openDatabase, storageTrouble } from '../core/sqlite.js';
import type { AdvisoryGroup, AdvisoryRecord, AffectedEntry, Informational } from '../model/advisory-facts.js';
import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { OsvRecord } from '../model/osv.js';
import { type Severity, severityRank } from '../model/severity.js';
import { compareVersions } from '../versions/index.js';
import { equalSpellings, fixedVersions, isAffected, prepareAffected } from '../versions/osv-match.js';
import { isMaliciousId, vouchEcosystem } from './osv.js';
import { advisorySeverity, severityLabel, UNKNOWN_SEVERITY_GATE } from './severity.js';

/** Bumped whenever the tables change; an older file is refused with advice to rebuild it. */
export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  location TEXT NOT NULL,
  ecosystem TEXT,
  url TEXT,
  etag TEXT,
  sha256 TEXT,
  fetched_at TEXT NOT NULL,
  records INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  git_ranges INTEGER NOT NULL DEFAULT 0,
  other_ecosystems INTEGER NOT NULL DEFAULT 0,
  problems TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS advisories (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL,
  osv_id TEXT NOT NULL,
  modified TEXT NOT NULL,
  published TEXT,
  withdrawn TEXT,
  -- Space-separated: the ids of the same flaw in other databases (CVE, GHSA, PYSEC, GO, ...).
  aliases TEXT NOT NULL,
  summary TEXT,
  severity_label TEXT,
  -- The record as imported: details, severity vectors, references and ranges are read from it when needed.
  record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS affected (
  source_id INTEGER NOT NULL,
  advisory INTEGER NOT NULL,
  ecosystem TEXT NOT NULL,
  -- The name as the ecosystem compares names (packageKey: PEP 503 for PyPI, lower case for NuGet, ...).
  name_key TEXT NOT NULL,
  -- Index into the record's affected list.
  entry INTEGER NOT NULL
);
`;

/** Created after a bulk load rather than maintained row by row during it. */
const INDEXES = `
CREATE INDEX IF NOT EXISTS affected_by_package ON affected (ecosystem, name_key);
CREATE INDEX IF NOT EXISTS advisories_by_osv_id ON advisories (osv_id);
`;

/** A problem with one record or entry of a source: it was skipped (or, for a whole source, it failed). */
export interface ImportProblem {
  /** `file`, `file:line`, or `archive.zip!entry.json`. */
  where: string;
  reason: string;
}

export interface SourceMeta {
  /** What identifies the same source on a later import: its absolute path or URL. */
  key: string;
  /** As the user gave it. */
  location: string;
  /** For an OSV per-ecosystem archive. */
  ecosystem?: string;
  url?: string;
  etag?: string;
  sha256?: string;
  fetchedAt: string;
}

export interface SourceCounts {
  records: number;
  skipped: number;
  gitRanges: number;
  otherEcosystems: number;
  problems: ImportProblem[];
}

export interface SourceStatus extends SourceMeta, SourceCounts {}

export interface EcosystemStatus {
  ecosystem: string;
  /** Distinct advisory ids (withdrawn ones excluded) with an affected package in the ecosystem. */
  advisories: number;
  malicious: number;
  packages: number;
}

export interface DatabaseStatus {
  path: string;
  sizeBytes: number;
  schemaVersion: number;
  /** When the file was last built (ISO 8601). */
  updatedAt?: string;
  advisories: number;
  withdrawn: number;
  ecosystems: EcosystemStatus[];
  sources: SourceStatus[];
}

interface AffectedRow {
  rowid: number;
  osv_id: string;
  modified: string;
  withdrawn: string | null;
  record: string;
  entry: number;
}

/** What is kept in memory per package once looked up. */
interface PackageAdvisories {
  entries: AffectedEntry[];
  /** Every version any entry lists, ascending: one search finds how the entries spell a version. */
  listed: string[];
  /** Answers already given, by version: scans ask about the same few versions again and again. */
  answers: Map<string, AdvisoryGroup[]>;
}

interface PackageSlot {
  key: string;
  /** Parsed when first looked up; dropped again when the cache is full and it was not used lately. */
  advisories?: PackageAdvisories;
  recent: boolean;
}

/** Packages kept parsed in memory: more than any scan meets, so none is read and parsed twice. */
const DEFAULT_CACHE_SIZE = 65_536;
/** Alias records remembered; each is one indexed read. */
const ALIAS_CACHE_SIZE = 16_384;
/** Versions remembered per package; a scan rarely meets more versions of one package than this. */
const ANSWERS_PER_PACKAGE = 32;

/** A read-only view of the database, with the caches that make repeated lookups cheap. */
export class VulnDatabase {
  /** Every package any advisory names, by ecosystem and name key: most lookups stop here. */
  private readonly packages = new Map<string, Map<string, PackageSlot>>();
  /** Slots holding parsed advisories, swept by a clock hand when there are more than `cacheSize`. */
  private readonly loaded: PackageSlot[] = [];
  private hand = 0;
  private readonly selectAffected: BetterSqlite3.Statement<[string, string], AffectedRow>;
  private readonly selectById: BetterSqlite3.Statement<[string], { record: string }>;
  private readonly selectUpdatedAt: BetterSqlite3.Statement<[], { value: string }>;
  /** Alias records read for their rating, by id (undefined: not in the database). */
  private readonly aliasRecords = new Map<string, AdvisoryRecord | undefined>();
  private readonly aliasLookup: AliasLookup = (id) => this.aliasRecord(id);

  private constructor(
    readonly path: string,
    private readonly db: BetterSqlite3.Database,
    private readonly cacheSize: number,
  ) {
    // all(), not iterate(): an iterator is a native object that must never become garbage (core/sqlite.ts).
    for (const row of db.prepare('SELECT DISTINCT ecosystem, name_key FROM affected').all() as {
      ecosystem: string;
      name_key: string;
    }[]) {
      let byName = this.packages.get(row.ecosystem);
      if (!byName) {
        byName = new Map();
        this.packages.set(row.ecosystem, byName);
      }
      byName.set(row.name_key, { key: row.name_key, recent: false });
    }
    this.selectAffected = db.prepare(
      `SELECT a.id AS rowid, a.osv_id, a.modified, a.withdrawn, a.record, af.entry
         FROM affected af JOIN advisories a ON a.id = af.advisory
        WHERE af.ecosystem = ? AND af.name_key = ?`,
    );
    this.selectById = db.prepare(
      'SELECT record FROM advisories WHERE osv_id = ? AND withdrawn IS NULL ORDER BY modified DESC LIMIT 1',
    );
    // Asked on every scan of a long-running session (the proxy's, the MCP server's): prepared once.
    this.selectUpdatedAt = db.prepare("SELECT value FROM meta WHERE key = 'updated_at'");
  }

  /**
   * Groups entries into one group per flaw; a group none of whose records is rated takes the rating of an
   * alias record elsewhere in the database (a PYSEC record without a score, its GHSA alias with one).
   */
  group(entries: readonly AffectedEntry[]): AdvisoryGroup[] {
    return groupAdvisories(entries, this.aliasLookup);
  }

  private aliasRecord(id: string): AdvisoryRecord | undefined {
    if (this.aliasRecords.has(id)) return this.aliasRecords.get(id);
    const row = this.selectById.get(id);
    const record = row ? advisoryOf(JSON.parse(row.record) as OsvRecord) : undefined;
    if (this.aliasRecords.size < ALIAS_CACHE_SIZE) this.aliasRecords.set(id, record);
    return record;
  }

  /**
   * Opens the database at `path` read-only. Undefined when there is no file (no database yet: the caller
   * decides what that means); a VouchError (`UNAVAILABLE`) when the file is not a Vouch database or was
   * written by an incompatible version.
   */
  static open(path: string, options: { cacheSize?: number } = {}): VulnDatabase | undefined {
    if (!existsSync(path)) return undefined;
    let db: BetterSqlite3.Database | undefined;
    try {
      db = openDatabase(path, { readonly: true, fileMustExist: true });
      const row = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as
        | { value: string }
        | undefined;
      if (Number(row?.value) !== SCHEMA_VERSION) {
        throw new VouchError(
          'UNAVAILABLE',
          `${path} was written by an incompatible version of Vouch; run vouch db update (or vouch db import) to rebuild it`,
        );
      }
      return new VulnDatabase(path, db, options.cacheSize ?? DEFAULT_CACHE_SIZE);
    } catch (error) {
      db?.close();
      if (error instanceof VouchError) throw error;
      const trouble = storageTrouble(error);
      throw new VouchError(
        'UNAVAILABLE',
        trouble
          ? `${path}: ${describeStorageTrouble(trouble, error)}; run vouch db update (or vouch db import) to rebuild it`
          : `${path} is not a readable vulnerability database (${(error as Error).message}); run vouch db update (or vouch db import) to rebuild it`,
        { cause: error },
      );
    }
  }

  close(): void {
    this.db.close();
  }

  /** Whether any advisory names the package: the cheap test before a lookup. */
  hasPackage(ecosystem: Ecosystem, name: string): boolean {
    return this.packages.get(ecosystem)?.has(packageKey(ecosystem, name)) ?? false;
  }

  /**
   * Every affected entry of every current advisory for the package. Of records sharing one id (the same
   * advisory from two sources), the most recently modified wins; a withdrawn winner removes the id.
   */
  affectedFor(ecosystem: Ecosystem, name: string): readonly AffectedEntry[] {
    return this.packageAdvisories(ecosystem, name)?.entries ?? NO_ENTRIES;
  }

  /** The advisory groups that affect this exact version of the package. */
  advisoriesFor(ecosystem: Ecosystem, name: string, version: string): AdvisoryGroup[] {
    const pkg = this.packageAdvisories(ecosystem, name);
    if (!pkg) return [];
    let answer = pkg.answers.get(version);
    if (answer === undefined) {
      const spellings = equalSpellings(ecosystem, pkg.listed, version);
      const matched = pkg.entries.filter((entry) => isAffected(entry.prepared, version, spellings));
      answer = matched.length === 0 ? [] : this.group(matched);
      if (pkg.answers.size >= ANSWERS_PER_PACKAGE)
        pkg.answers.delete(pkg.answers.keys().next().value as string);
      pkg.answers.set(version, answer);
    }
    return answer;
  }

  private packageAdvisories(ecosystem: Ecosystem, name: string): PackageAdvisories | undefined {
    const slot = this.packages.get(ecosystem)?.get(packageKey(ecosystem, name));
    if (!slot) return undefined;
    slot.recent = true;
    if (slot.advisories) return slot.advisories;
    const entries = this.loadEntries(ecosystem, slot.key);
    const listed = new Set<string>();
    for (const entry of entries) for (const version of entry.prepared.versions) listed.add(version);
    slot.advisories = { entries, listed: sortVersions(ecosystem, [...listed]), answers: new Map() };
    this.admit(slot);
    return slot.advisories;
  }

  /** CLOCK: a slot used since the hand last passed gets a second chance; the first one not used is dropped. */
  private admit(slot: PackageSlot): void {
    if (this.loaded.length < this.cacheSize) {
      this.loaded.push(slot);
      return;
    }
    for (;;) {
      const victim = this.loaded[this.hand]!;
      if (victim.recent) {
        victim.recent = false;
        this.hand = (this.hand + 1) % this.loaded.length;
        continue;
      }
      victim.advisories = undefined;
      this.loaded[this.hand] = slot;
      this.hand = (this.hand + 1) % this.loaded.length;
      return;
    }
  }

  /** When the file was last built (ISO 8601), read without the cost of `status()`. */
  updatedAt(): string | undefined {
    return this.selectUpdatedAt.get()?.value;
  }

  status(): DatabaseStatus {
    const meta = new Map(
      (this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [
        r.key,
        r.value,
      ]),
    );
    const totals = this.db
      .prepare(
        `SELECT COUNT(DISTINCT CASE WHEN withdrawn IS NULL THEN osv_id END) AS current,
                COUNT(DISTINCT CASE WHEN withdrawn IS NOT NULL THEN osv_id END) AS withdrawn
           FROM advisories`,
      )
      .get() as { current: number; withdrawn: number };
    const ecosystems = this.db
      .prepare(
        `SELECT af.ecosystem AS ecosystem,
                COUNT(DISTINCT a.osv_id) AS advisories,
                COUNT(DISTINCT CASE WHEN a.osv_id LIKE 'MAL-%' THEN a.osv_id END) AS malicious,
                COUNT(DISTINCT af.name_key) AS packages
           FROM affected af
           JOIN advisories a ON a.id = af.advisory
          WHERE a.withdrawn IS NULL
          GROUP BY af.ecosystem
          ORDER BY af.ecosystem`,
      )
      .all() as EcosystemStatus[];
    const sources = (
      this.db.prepare('SELECT * FROM sources ORDER BY id').all() as {
        key: string;
        location: string;
        ecosystem: string | null;
        url: string | null;
        etag: string | null;
        sha256: string | null;
        fetched_at: string;
        records: number;
        skipped: number;
        git_ranges: number;
        other_ecosystems: number;
        problems: string;
      }[]
    ).map((row) => {
      const source: SourceStatus = {
        key: row.key,
        location: row.location,
        fetchedAt: row.fetched_at,
        records: row.records,
        skipped: row.skipped,
        gitRanges: row.git_ranges,
        otherEcosystems: row.other_ecosystems,
        problems: JSON.parse(row.problems) as ImportProblem[],
      };
      if (row.ecosystem) source.ecosystem = row.ecosystem;
      if (row.url) source.url = row.url;
      if (row.etag) source.etag = row.etag;
      if (row.sha256) source.sha256 = row.sha256;
      return source;
    });
    const status: DatabaseStatus = {
      path: this.path,
      sizeBytes: statSync(this.path).size,
      schemaVersion: Number(meta.get('schema')),
      advisories: totals.current,
      withdrawn: totals.withdrawn,
      ecosystems,
      sources,
    };
    const updatedAt = meta.get('updated_at');
    if (updatedAt) status.updatedAt = updatedAt;
    return status;
  }

  private loadEntries(ecosystem: Ecosystem, key: string): AffectedEntry[] {
    const rows = this.selectAffected.all(ecosystem, key);
    const latest = new Map<string, AffectedRow>();
    for (const row of rows) {
      const seen = latest.get(row.osv_id);
      if (!seen || row.modified > seen.modified || (row.modified === seen.modified && row.rowid > seen.rowid))
        latest.set(row.osv_id, row);
    }
    const records = new Map<number, { osv: OsvRecord; advisory: AdvisoryRecord }>();
    const entries: AffectedEntry[] = [];
    for (const row of rows) {
      const winner = latest.get(row.osv_id)!;
      if (winner.rowid !== row.rowid || row.withdrawn !== null) continue;
      let parsed = records.get(row.rowid);
      if (!parsed) {
        const osv = JSON.parse(row.record) as OsvRecord;
        parsed = { osv, advisory: advisoryOf(osv) };
        records.set(row.rowid, parsed);
      }
      const affected = parsed.osv.affected?.[row.entry];
      if (!affected?.package) continue;
      entries.push({
        advisory: parsed.advisory,
        name: affected.package.name,
        prepared: prepareAffected(ecosystem, affected, { emptyMeansAll: parsed.advisory.malicious }),
      });
    }
    return entries;
  }
}

const NO_ENTRIES: readonly AffectedEntry[] = Object.freeze([]);

/** What lookups need of one record: ids, severity, informational kind, references. */
export function advisoryOf(osv: OsvRecord): AdvisoryRecord {
  const rating = advisorySeverity(osv);
  const advisory: AdvisoryRecord = {
    id: osv.id,
    aliases: [...new Set(osv.aliases ?? [])].filter((alias) => alias !== osv.id),
    modified: osv.modified,
    severity: rating.severity,
    malicious: isMaliciousId(osv.id),
    references: (osv.references ?? []).map((r) => r.url),
  };
  const summary = osv.summary?.trim() || firstSentence(osv.details);
  if (summary) advisory.summary = summary;
  if (osv.published) advisory.published = osv.published;
  if (rating.score !== undefined) advisory.score = rating.score;
  if (rating.vector !== undefined) advisory.vector = rating.vector;
  if (rating.label !== undefined) advisory.label = rating.label;
  if (rating.unknown) advisory.severityUnknown = true;
  const informational = informationalOf(osv);
  if (informational) advisory.informational = informational;
  return advisory;
}

/** RUSTSEC writes `informational` per affected entry (`unmaintained`, `unsound`, `notice`); any one counts. */
function informationalOf(osv: OsvRecord): Informational | undefined {
  for (const place of [osv.database_specific, ...(osv.affected ?? []).map((a) => a.database_specific)]) {
    const value = place?.informational;
    if (value === 'unmaintained' || value === 'unsound' || value === 'notice') return value;
    // Other kinds RUSTSEC may add later are notices too: informational, never a vulnerability.
    if (typeof value === 'string' && value !== '') return 'notice';
  }
  return undefined;
}

/** Records without a summary (PYSEC) still deserve a line: the first sentence of their details. */
function firstSentence(details: string | undefined): string | undefined {
  if (!details) return undefined;
  const line = details.trim().split('\n')[0]!.trim();
  const end = line.search(/\.\s/);
  const sentence = end === -1 ? line : line.slice(0, end + 1);
  return sentence.length > 200 ? `${sentence.slice(0, 199)}…` : sentence || undefined;
}

/** Another record of the database by id (an alias of a group), for a rating the group's own records lack. */
export type AliasLookup = (id: string) => AdvisoryRecord | undefined;

/** Groups matched entries by shared ids and aliases (transitively) into one group per flaw. */
export function groupAdvisories(entries: readonly AffectedEntry[], aliases?: AliasLookup): AdvisoryGroup[] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  const add = (id: string) => {
    if (!parent.has(id)) parent.set(id, id);
  };
  for (const { advisory } of entries) {
    add(advisory.id);
    for (const alias of advisory.aliases) {
      add(alias);
      const a = find(advisory.id);
      const b = find(alias);
      if (a !== b) parent.set(b, a);
    }
  }
  const byRoot = new Map<string, AffectedEntry[]>();
  for (const entry of entries) {
    const root = find(entry.advisory.id);
    const list = byRoot.get(root);
    if (list) list.push(entry);
    else byRoot.set(root, [entry]);
  }
  return [...byRoot.values()].map((group) => buildGroup(group, aliases)).sort(compareGroups);
}

function buildGroup(entries: AffectedEntry[], aliases: AliasLookup | undefined): AdvisoryGroup {
  const records = [...new Set(entries.map((e) => e.advisory))];
  const ids = new Set<string>();
  let malicious = false;
  let described: AdvisoryRecord | undefined;
  let modified = '';
  let published: string | undefined;
  for (const record of records) {
    ids.add(record.id);
    for (const alias of record.aliases) ids.add(alias);
    if (record.malicious) malicious = true;
    // GitHub's summaries are the most readable; PYSEC and NVD records often have none.
    if (
      record.summary &&
      (!described || (record.id.startsWith('GHSA-') && !described.id.startsWith('GHSA-')))
    )
      described = record;
    if (record.modified > modified) modified = record.modified;
    if (record.published && (!published || record.published < published)) published = record.published;
  }
  // Informational only when every record is: a GHSA record of the same flaw makes it a vulnerability.
  const informational = records.every((r) => r.informational) ? records[0]!.informational : undefined;
  let rating = rateRecords(records);
  if (!rating && !malicious && aliases) {
    const own = new Set(records.map((r) => r.id));
    const others = [...ids]
      .filter((id) => !own.has(id))
      .map(aliases)
      .filter((r): r is AdvisoryRecord => r !== undefined);
    rating = rateRecords(others);
  }
  // A notice is looked up where it was written (rustsec.org), so its own id leads, not a CVE alias.
  const id = informational && !malicious ? records.map((r) => r.id).sort()[0]! : displayId(ids, malicious);
  const fixed = new Set<string>();
  for (const entry of entries) for (const version of fixedVersions(entry.prepared)) fixed.add(version);
  const group: AdvisoryGroup = {
    id,
    ids: [id, ...[...ids].filter((other) => other !== id).sort()],
    severity: malicious ? 'critical' : (rating?.severity ?? UNKNOWN_SEVERITY_GATE),
    malicious,
    fixed: fixed.size <= 1 ? [...fixed] : sortVersions(entries[0]!.prepared.ecosystem, [...fixed]),
    references:
      records.length === 1 ? records[0]!.references : [...new Set(records.flatMap((r) => r.references))],
    modified,
    entries,
  };
  if (!malicious && !rating && !informational) group.severityUnknown = true;
  if (informational && !malicious) group.informational = informational;
  if (described?.summary) group.summary = described.summary;
  if (!malicious && rating?.score !== undefined) group.score = rating.score;
  if (!malicious && rating?.vector !== undefined) group.vector = rating.vector;
  if (published) group.published = published;
  return group;
}

/**
 * One rating for records of one flaw: GitHub's reviewed label first (a person weighed it; a score is often
 * converted from another database's vector), then the highest computed score, then any other label.
 * Undefined when no record rates it.
 */
function rateRecords(
  records: readonly AdvisoryRecord[],
): { severity: Severity; score?: number; vector?: string } | undefined {
  const worst = (list: AdvisoryRecord[]) =>
    list.reduce<AdvisoryRecord | undefined>(
      (w, r) => (!w || severityRank(r.label!) > severityRank(w.label!) ? r : w),
      undefined,
    );
  const reviewed = worst(records.filter((r) => r.label !== undefined && r.id.startsWith('GHSA-')));
  if (reviewed) return ratingOf(reviewed, reviewed.label!);
  let scored: AdvisoryRecord | undefined;
  for (const r of records) if (r.score !== undefined && (!scored || r.score > scored.score!)) scored = r;
  if (scored) return ratingOf(scored, scored.severity);
  const labelled = worst(records.filter((r) => r.label !== undefined));
  return labelled ? { severity: labelled.label! } : undefined;
}

function ratingOf(
  record: AdvisoryRecord,
  severity: Severity,
): { severity: Severity; score?: number; vector?: string } {
  const rating: { severity: Severity; score?: number; vector?: string } = { severity };
  if (record.score !== undefined) rating.score = record.score;
  if (record.vector !== undefined) rating.vector = record.vector;
  return rating;
}

function sortVersions(ecosystem: Ecosystem, versions: string[]): string[] {
  return versions.sort((a, b) => compareVersions(ecosystem, a, b));
}

/** The MAL id of a malicious release, else the CVE, else the GHSA, else the first id. */
function displayId(ids: Iterable<string>, malicious: boolean): string {
  let best: string | undefined;
  let bestRank = 4;
  for (const id of ids) {
    const rank =
      malicious && id.startsWith('MAL-') ? 0 : id.startsWith('CVE-') ? 1 : id.startsWith('GHSA-') ? 2 : 3;
    if (rank < bestRank || (rank === bestRank && id < best!)) {
      best = id;
      bestRank = rank;
    }
  }
  return best!;
}

function compareGroups(a: AdvisoryGroup, b: AdvisoryGroup): number {
  return severityRank(b.severity) - severityRank(a.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Writes a database file that no reader has open yet (a fresh temp file, or a copy of the current
 * database). Durability is traded for speed: a crash loses only this file, which is then thrown away.
 */
export class DatabaseWriter {
  private readonly insertAdvisory: BetterSqlite3.Statement;
  private readonly insertAffected: BetterSqlite3.Statement;

  constructor(readonly db: BetterSqlite3.Database) {
    // In memory: a failed source is rolled back, but nothing is written twice.
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    // A bulk load touches index pages all over the file; keeping them in memory avoids rereading them.
    db.pragma('cache_size = -262144');
    db.pragma('temp_store = MEMORY');
    // Most records fit one page of this size rather than spilling into overflow pages (no effect on a copy).
    db.pragma('page_size = 16384');
    db.exec(SCHEMA);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
    this.insertAdvisory = db.prepare(
      `INSERT INTO advisories (source_id, osv_id, modified, published, withdrawn, aliases, summary, severity_label, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertAffected = db.prepare(
      'INSERT INTO affected (source_id, advisory, ecosystem, name_key, entry) VALUES (?, ?, ?, ?, ?)',
    );
  }

  /** The schema version of an existing file, before this writer changes anything. */
  static schemaOf(db: BetterSqlite3.Database): number | undefined {
    try {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as
        | { value: string }
        | undefined;
      return row ? Number(row.value) : undefined;
    } catch {
      return undefined;
    }
  }

  begin(): void {
    this.db.exec('BEGIN');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  /** Undoes the open transaction, if SQLite has not already (it rolls back by itself on a full disk). */
  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  addSource(meta: SourceMeta): number {
    const info = this.db
      .prepare(
        'INSERT INTO sources (key, location, ecosystem, url, etag, sha256, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        meta.key,
        meta.location,
        meta.ecosystem ?? null,
        meta.url ?? null,
        meta.etag ?? null,
        meta.sha256 ?? null,
        meta.fetchedAt,
      );
    return Number(info.lastInsertRowid);
  }

  /**
   * Stores one record, `text` being its JSON. Returns how many GIT ranges it had (never evaluated) and
   * whether it named any package of an ecosystem Vouch supports (records that do not are not stored).
   */
  addRecord(sourceId: number, record: OsvRecord, text: string): { stored: boolean; gitRanges: number } {
    let gitRanges = 0;
    const packages: { ecosystem: Ecosystem; key: string; entry: number }[] = [];
    const affectedList = record.affected ?? [];
    for (let entry = 0; entry < affectedList.length; entry++) {
      const affected = affectedList[entry]!;
      for (const range of affected.ranges ?? []) if (range.type === 'GIT') gitRanges++;
      if (!affected.package) continue;
      const ecosystem = vouchEcosystem(affected.package.ecosystem);
      if (ecosystem) packages.push({ ecosystem, key: packageKey(ecosystem, affected.package.name), entry });
    }
    if (packages.length === 0) return { stored: false, gitRanges };

    const info = this.insertAdvisory.run(
      sourceId,
      record.id,
      record.modified,
      record.published ?? null,
      record.withdrawn ?? null,
      (record.aliases ?? []).join(' '),
      record.summary ?? null,
      severityLabel(record) ?? null,
      text,
    );
    const advisoryId = info.lastInsertRowid;
    for (const { ecosystem, key, entry } of packages)
      this.insertAffected.run(sourceId, advisoryId, ecosystem, key, entry);
    return { stored: true, gitRanges };
  }

  finishSource(sourceId: number, counts: SourceCounts): void {
    this.db
      .prepare(
        'UPDATE sources SET records = ?, skipped = ?, git_ranges = ?, other_ecosystems = ?, problems = ? WHERE id = ?',
      )
      .run(
        counts.records,
        counts.skipped,
        counts.gitRanges,
        counts.otherEcosystems,
        JSON.stringify(counts.problems),
        sourceId,
      );
  }

  /** Drops every source with this key except `keep`: a re-imported source replaces its previous records. */
  replaceSource(key: string, keep: number): void {
    for (const { id } of this.db
      .prepare('SELECT id FROM sources WHERE key = ? AND id <> ?')
      .all(key, keep) as {
      id: number;
    }[]) {
      this.db.prepare('DELETE FROM affected WHERE source_id = ?').run(id);
      this.db.prepare('DELETE FROM advisories WHERE source_id = ?').run(id);
      this.db.prepare('DELETE FROM sources WHERE id = ?').run(id);
    }
  }

  /** Records that a source was checked and found unchanged. */
  touchSource(key: string, fetchedAt: string): void {
    this.db.prepare('UPDATE sources SET fetched_at = ? WHERE key = ?').run(fetchedAt, key);
  }

  hasSource(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM sources WHERE key = ?').get(key) !== undefined;
  }

  /** Indexes, the build time, and a journal mode that read-only connections can use; closes the file. */
  finish(updatedAt: string): void {
    this.db.exec(INDEXES);
    // A re-imported source replaced its previous records, which leaves their pages free: without this the
    // file would grow by a whole database on every update.
    const free = Number(this.db.pragma('freelist_count', { simple: true }));
    const pages = Number(this.db.pragma('page_count', { simple: true }));
    if (free > pages / 8) this.db.exec('VACUUM');
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('updated_at', ?)").run(updatedAt);
    this.db.pragma('journal_mode = DELETE');
    this.db.close();
  }
}
