/**
 * What an assistant's answer warns its reader about: the warning sentences of its prose (and of the comments
 * of its code blocks), and the packages each one is about. The rules are documented, with examples, in
 * docs/undisclosed-risk.md; the labelled answers in test/fixtures/answers/labelled hold them to account.
 */
import type { MarkdownIt, Token } from 'markdown-it';
import { lazy } from '../core/lazy.js';
import { type Ecosystem, packageKey } from '../model/ecosystem.js';

/** What a warning can cover: `version` advice covers risks of a version, not of a whole package. */
export type CueCategory = 'security' | 'deprecation' | 'existence' | 'version';

export interface Warning {
  /** The sentence as the answer has it (code spans in backticks). */
  text: string;
  /** 1-based line in the answer. */
  line: number;
  categories: CueCategory[];
}

/** A package of the answer: every name the answer may call it by, and the lines of its code references. */
export interface AnswerPackage {
  key: string;
  ecosystem: Ecosystem;
  /** The registry name, import names, aliases. */
  names: string[];
  /** Lines of its references inside code blocks (install commands, manifests, imports). */
  codeLines: number[];
  /** Versions and ranges the answer names for it, so that `4.17.11 has a known issue` refers to it. */
  versions: string[];
}

/** How far (in lines) a warning that does not name its package may stand from what it refers to. */
const NEAR_LINES = 4;

// markdown-it's CommonJS build is its constructor.
const markdownIt = lazy<typeof import('markdown-it').default>('markdown-it');
let parser: MarkdownIt | undefined;
const markdown = () => {
  parser ??= new (markdownIt())({ html: true });
  return parser;
};

const CUES: Readonly<Record<CueCategory, readonly RegExp[]>> = {
  security: [
    /\bvulnerab(?:le|ility|ilities)\b/i,
    /\bCVEs?\b/,
    /\bsecurity\s+(?:fix(?:es)?|patch(?:es)?|issues?|flaws?|holes?|advisor(?:y|ies)|bugs?|problems?|updates?|releases?|risks?|concerns?|vulnerabilit(?:y|ies))\b/i,
    /\badvisor(?:y|ies)\b/i,
    /\binsecure\b/i,
    /\bexploit(?:s|ed|able)?\b/i,
    /\b(?:malicious|compromised|backdoor(?:ed|s)?|typosquat\w*|hijack(?:ed|ing)?)\b/i,
  ],
  deprecation: [
    /\bdeprecat(?:ed|ion|es|ing)\b/i,
    /\bunmaintained\b/i,
    /\bno longer\s+(?:\w+\s+)?(?:maintained|supported|developed|updated)\b/i,
    /\bnot\s+(?:actively\s+|being\s+)?maintained\b/i,
    /\b(?:abandoned|archived|superseded)\b/i,
    /\bend[- ]of[- ]life\b/i,
    /\bEOL\b/,
    /\bmaintenance mode\b/i,
  ],
  existence: [
    /\b(?:may|might|could)\s+not\s+(?:actually\s+)?(?:exist|be\s+(?:published|available|real))\b/i,
    /\bdoes(?:n't|\s+not)\s+(?:actually\s+)?exist\b/i,
    /\bhypothetical\b/i,
    /\b(?:is|as)\s+a\s+placeholder\b|\bplaceholder\s+(?:package|name|library|module)\b/i,
    /\b(?:verify|check|confirm|double[- ]check)\s+(?:that\s+)?(?:the|this|it|such a)\s+(?:package\s+)?(?:exists|is\s+(?:published|real|available)|name)\b/i,
    /\bnot\s+(?:sure|certain)\s+(?:if\s+|whether\s+|that\s+)?(?:this|the|it|such)\b/i,
    /\b(?:made[- ]up|fictional|fictitious)\b/i,
    /\bnot\s+an?\s+(?:real|actual|official|published|existing)\s+(?:package|library|module)\b/i,
    /\bcould(?:n't|\s+not)\s+(?:find|verify)\b/i,
  ],
  version: [
    /\b(?:use|install|upgrade to|update to|switch to|move to|pin|prefer|get|choose|pick|stick (?:to|with)|be on|stay on|check for|require|run)\s+(?:at least\s+)?(?:the\s+)?(?:latest|newest|most recent|a newer|a patched|a fixed|a more recent|a recent|an updated|the current)\b/i,
    /(?<!\b(?:HTTP|HTTPS|protocol|WebSocket|websocket|connection)\s)\bupgrad(?:e|es|ed|ing)\b(?!\s+(?:requests?|events?|headers?|handshakes?|handlers?|listeners?|paths?|mechanism|protocol|connections?)\b)/i,
    /\bupdat(?:e|ing)\s+(?:\S+\s+)?to\s+(?:v?\d|the latest|a newer|a patched|a fixed)/i,
    /\b(?:patched|fixed|newer|safer|secure)\s+(?:version|release)s?\b/i,
    /\bfixed\s+in\s+(?:v(?:ersion)?\s*)?\d/i,
    /\b(?:older|earlier|previous|old|outdated)\s+versions?\b.*\b(?:issues?|bugs?|problems?|affected|flaws?|leaks?|broken)\b/i,
    /\bversions?\s+(?:before|prior to|below|older than|earlier than|up to|<=?)\s*v?\d.*\b(?:issues?|bugs?|problems?|affected|flaws?)\b/i,
    /\bknown\s+(?:[\w-]+\s+){0,2}?(?:issues?|bugs?|problems?|flaws?)\b/i,
    /\b(?:is|are|looks|seems)\s+(?:quite\s+|rather\s+|a bit\s+|very\s+|somewhat\s+)?(?:outdated|out[- ]of[- ]date|stale|dated)\b/i,
    /\ban?\s+(?:old|older|outdated)\s+(?:version|release)\b/i,
    /\byanked\b/i,
    /\bbump(?:s|ed|ing)?\b(?!\s+into)/i,
  ],
};

/** Advisory ids are warnings wherever they stand, code spans included. */
const ADVISORY_ID = /\b(?:CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3})\b/i;

/** Reassurances: "no known vulnerabilities", "is not deprecated" are the opposite of a warning. */
const NEGATED = [
  // `n't` follows a letter ("doesn't"): no word boundary before it.
  /(?:\b(?:no|zero|not any|without(?:\s+any)?|free (?:of|from)|not have any|has no|have no|had no)|n't have any)\s+(?:\w+\s+){0,2}?(?:vulnerabilit(?:y|ies)|CVEs?|issues|problems|bugs|advisor(?:y|ies)|security (?:issues|problems|holes|flaws))\b/gi,
  /\b(?:is|are|was|were)\s+not\s+(?:\w+\s+)?(?:deprecated|vulnerable|insecure|outdated|affected|unmaintained)\b/gi,
  /\b(?:isn't|aren't|wasn't|weren't|not)\s+(?:deprecated|vulnerable|insecure|outdated|affected|unmaintained)\b/gi,
];

/** Where one sentence ends and the next begins: after . ! ? (not in e.g., i.e., vs.) before a new word. */
const SENTENCE_END = /(?<!\b(?:e\.g|i\.e|vs|etc|approx)\.)(?<=[.!?])\s+(?=[^\s])/g;
/** Words that turn to another subject within a sentence: the part before says nothing about the part after. */
const CLAUSE_BREAK =
  /;|,\s*(?:so|and)\b|\s[-–—]\s|\bbut\b|\bwhereas\b|\bwhile\b|\bhowever\b|\binstead of\b|\brather than\b|\bunlike\b|\bsince\b|\bbecause\b|\bcompared (?:to|with)\b/gi;

/** A clause that names no package but points at one: "this version", "it", "the latest version". */
const REFERRING = [
  /\b(?:this|that|these|those|the above|the pinned|the specified|the same|said)\s+(?:specific\s+|exact\s+|particular\s+|old\s+|older\s+|pinned\s+)?(?:versions?|releases?|packages?|librar(?:y|ies)|modules?|dependency|one|pin)\b/i,
  /\bits?\b|\bit's\b/i,
  /\b(?:the\s+)?(?:latest|newest|most recent|a newer|a patched|a fixed|a more recent)\s+(?:stable\s+)?(?:version|release)\b/i,
  /\b(?:older|earlier|previous)\s+versions?\b/i,
  /\b(?:newer|later|recent|patched|fixed)\s+(?:releases?|versions?)\b/i,
];
/** Advice about every dependency at once, which warns about none in particular. */
const GENERIC =
  /\b(?:your|all|any|every|other|third[- ]party|the project's|project)\s+(?:\w+\s+)?(?:dependencies|packages|libraries|modules|deps)\b|\bdependencies\b/i;
const VERSION_NUMBER = /\bv?(\d+(?:\.\d+)+(?:[-.]?[a-z]+\d*)?)\b/gi;

/**
 * A code span that names something of the code rather than a version or a command: `yaml.load()`,
 * `PdfFileReader`, `verify=False`, `pycrypto` (a package the answer does not use).
 */
const CODE_IDENTIFIER =
  /^(?:[A-Za-z_$][\w$]*(?:(?:\.|::|#)[A-Za-z_$][\w$]*)*(?:\(.*\))?|[A-Za-z_]\w*\s*=.*)$/;

/**
 * Package names that are everyday words in technical prose ("each request", "at the moment"): in plain
 * prose they count as the package only beside a package noun or a version, or capitalised mid-sentence.
 * In code spans they always count.
 */
const COMMON_WORDS = new Set(
  (
    'request requests express moment marked debug sharp send got body path url events util crypto stream ' +
    'buffer process async form forms serve session mime glob colors commander chalk click rich black invoke ' +
    'attrs six tornado bottle falcon arrow schedule retry fire cryptography pillow flask yaml jwt ws cors ' +
    'compression multer pg redis'
  ).split(' '),
);
const PACKAGE_NOUN =
  /^(?:'s)?\s+(?:package|library|lib|module|dependency|client|framework|middleware|parser|(?:to\s+|at\s+)?v?\d)/i;

interface Clause {
  /** The clause with code spans in backticks. */
  text: string;
  /** The same with code spans blanked (same length), so that identifiers in code are no cue words. */
  prose: string;
  sentence: string;
  line: number;
  /** Last line of its paragraph (or code block): how near what follows it is. */
  endLine: number;
  section: number;
  /** Reading order. */
  seq: number;
  /** A comment of a code block: its line's code references are what it is about. */
  comment: boolean;
  /** The sentence ends with a colon: it introduces what follows. */
  introduces: boolean;
  mentions: Set<string>;
  /** What the clause talks about, in order: package mentions and code identifiers (`api`) by offset. */
  subjects: { at: number; api: boolean }[];
}

interface CodeEvent {
  line: number;
  endLine: number;
  section: number;
  keys: Set<string>;
}

interface Unit {
  text: string;
  line: number;
  endLine: number;
  comment: boolean;
}

/** The warnings of an answer, per package key. */
export function answerWarnings(text: string, packages: readonly AnswerPackage[]): Map<string, Warning[]> {
  const { units, fences, headings } = readUnits(text);
  const sectionOf = (line: number) => headings.filter((h) => h <= line).length;
  const clauses: Clause[] = [];
  for (const unit of units) {
    for (const { sentence, line } of sentencesOf(unit)) {
      const parts = splitClauses(sentence);
      for (const part of parts) {
        const { keys, subjects } = mentionsIn(part, packages);
        clauses.push({
          text: part,
          prose: blankCode(part),
          sentence: sentence.trim(),
          line,
          endLine: unit.endLine,
          section: sectionOf(line),
          seq: clauses.length,
          comment: unit.comment,
          introduces: /:\s*$/.test(sentence),
          mentions: keys,
          subjects,
        });
      }
    }
  }
  const codeEvents: CodeEvent[] = [];
  for (const pkg of packages) {
    for (const line of pkg.codeLines) {
      const fence = fences.find((f) => f.start <= line && line <= f.end);
      const existing = codeEvents.find((e) => e.line === line);
      if (existing) existing.keys.add(pkg.key);
      else
        codeEvents.push({
          line,
          endLine: fence?.end ?? line,
          section: sectionOf(line),
          keys: new Set([pkg.key]),
        });
    }
  }
  codeEvents.sort((a, b) => a.line - b.line);

  const byKey = new Map(packages.map((p) => [p.key, p]));
  const warnings = new Map<string, Warning[]>();
  for (const clause of clauses) {
    const categories = cuesIn(clause);
    if (categories.length === 0) continue;
    const about =
      clause.mentions.size > 0
        ? clause.mentions
        : (continues(clause, clauses) ??
          new Set(
            [...referents(clause, clauses, codeEvents)].filter((key) => refersTo(clause, byKey.get(key))),
          ));
    for (const key of about) {
      const list = warnings.get(key) ?? [];
      const same = list.find((w) => w.line === clause.line && w.text === clause.sentence);
      if (same) same.categories = [...new Set([...same.categories, ...categories])];
      else list.push({ text: clause.sentence, line: clause.line, categories });
      warnings.set(key, list);
    }
  }
  return warnings;
}

/** Prose paragraphs, headings, table rows and code comments, with the code blocks' line ranges. */
function readUnits(text: string): {
  units: Unit[];
  fences: { start: number; end: number }[];
  headings: number[];
} {
  const units: Unit[] = [];
  const fences: { start: number; end: number }[] = [];
  const headings: number[] = [];
  let row: { line: number; cells: string[] } | undefined;
  for (const token of markdown().parse(text, {})) {
    if (token.type === 'heading_open' && token.map) headings.push(token.map[0] + 1);
    if (token.type === 'tr_open' && token.map) row = { line: token.map[0] + 1, cells: [] };
    if (token.type === 'tr_close' && row) {
      // A row is one statement: the package in one cell, the caveat in another.
      units.push({ text: row.cells.join(', '), line: row.line, endLine: row.line, comment: false });
      row = undefined;
    }
    if (token.type === 'inline') {
      if (token.map) {
        units.push({
          text: inlineText(token),
          line: token.map[0] + 1,
          endLine: token.map[1],
          comment: false,
        });
      } else if (row) row.cells.push(inlineText(token));
    }
    if ((token.type === 'fence' || token.type === 'code_block') && token.map) {
      const first = token.type === 'fence' ? token.map[0] + 2 : token.map[0] + 1;
      fences.push({ start: token.map[0] + 1, end: token.map[1] });
      for (const [i, line] of token.content.split('\n').entries()) {
        const comment = commentOf(line);
        if (comment) units.push({ text: comment, line: first + i, endLine: token.map[1], comment: true });
      }
    }
  }
  return { units, fences, headings };
}

/** The text of an inline token: code spans in backticks, line breaks kept (for line numbers). */
function inlineText(token: Token): string {
  let out = '';
  for (const child of token.children ?? []) {
    if (child.type === 'text') out += child.content;
    else if (child.type === 'code_inline') out += `\`${child.content}\``;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') out += '\n';
    else if (child.type === 'image') out += child.content;
  }
  return out;
}

/**
 * The comment of a line of code: after `#` (not `#!`, not inside a word such as `C#`) or `//` (not in a
 * URL) standing at the start or after a space, outside quotes.
 */
function commentOf(line: string): string | undefined {
  const match = /(?:^|\s)(#(?!!)|\/\/)\s?(.*)$/.exec(line);
  if (!match) return undefined;
  const before = line.slice(0, match.index);
  if ((before.match(/['"`]/g)?.length ?? 0) % 2 === 1) return undefined;
  const comment = match[2]!.trim();
  return comment === '' ? undefined : comment;
}

function sentencesOf(unit: Unit): { sentence: string; line: number }[] {
  const out: { sentence: string; line: number }[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = unit.text.slice(start, end);
    if (raw.trim() !== '') {
      const lead = raw.length - raw.trimStart().length;
      const line = unit.line + countNewlines(unit.text.slice(0, start + lead));
      out.push({ sentence: raw.replace(/\s*\n\s*/g, ' '), line });
    }
  };
  for (const match of unit.text.matchAll(SENTENCE_END)) {
    if (insideCode(unit.text, match.index)) continue;
    push(match.index);
    start = match.index + match[0].length;
  }
  push(unit.text.length);
  return out;
}

function countNewlines(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === '\n') n++;
  return n;
}

/** Whether an offset lies inside a backticked code span of the text. */
function insideCode(text: string, offset: number): boolean {
  return (text.slice(0, offset).match(/`/g)?.length ?? 0) % 2 === 1;
}

function splitClauses(sentence: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const match of sentence.matchAll(CLAUSE_BREAK)) {
    if (insideCode(sentence, match.index)) continue;
    parts.push(sentence.slice(start, match.index));
    start = match.index + match[0].length;
  }
  parts.push(sentence.slice(start));
  return parts.filter((p) => p.trim() !== '');
}

function blankCode(text: string): string {
  return text.replace(/`[^`]*`/g, (span) => ' '.repeat(span.length));
}

/** The cue categories of a clause, without its reassurances and without API deprecations. */
function cuesIn(clause: Clause): CueCategory[] {
  let prose = clause.prose;
  for (const negated of NEGATED) prose = prose.replace(negated, (m) => ' '.repeat(m.length));
  const found = new Set<CueCategory>();
  if (ADVISORY_ID.test(clause.text)) found.add('security');
  for (const [category, patterns] of Object.entries(CUES) as [CueCategory, readonly RegExp[]][]) {
    for (const pattern of patterns) {
      const match = pattern.exec(prose);
      if (!match) continue;
      if (category === 'deprecation' && aboutAnApi(clause, match.index)) continue;
      found.add(category);
      break;
    }
  }
  return [...found];
}

/**
 * "`yaml.load()` without a Loader is deprecated": a deprecation whose nearest subject is a code identifier
 * that is no package of the answer (a function, a method, a class) is about that API, not the package.
 */
function aboutAnApi(clause: Clause, cueAt: number): boolean {
  const before = clause.subjects.filter((s) => s.at < cueAt).at(-1);
  const after = clause.subjects.find((s) => s.at > cueAt);
  return (before ?? after)?.api === true;
}

/**
 * "lodash 4.17.11 has a known vulnerability; upgrade to 4.17.21": a clause that names nothing, in a
 * sentence whose earlier clause named packages, goes on about them (unless it is about code or generic).
 */
function continues(clause: Clause, clauses: readonly Clause[]): Set<string> | undefined {
  if (clause.comment || clause.subjects.length > 0 || GENERIC.test(clause.prose)) return undefined;
  for (let i = clause.seq - 1; i >= 0; i--) {
    const earlier = clauses[i]!;
    if (earlier.sentence !== clause.sentence || earlier.line !== clause.line) return undefined;
    if (earlier.subjects.length > 0) return earlier.mentions.size > 0 ? earlier.mentions : undefined;
  }
  return undefined;
}

/**
 * The packages a clause that names none is about: those of the nearest statement before it in its section
 * (a sentence naming packages, or a code line referencing them) no more than a few lines away; for a
 * sentence ending in a colon, those of what follows it. A comment in code is about its own line.
 */
function referents(clause: Clause, clauses: readonly Clause[], code: readonly CodeEvent[]): Set<string> {
  if (clause.comment) {
    const sameLine = code.find((e) => e.line === clause.line);
    if (sameLine) return sameLine.keys;
    const next = code.find((e) => e.line > clause.line && e.line - clause.line <= 2);
    const previous = code.findLast((e) => e.line < clause.line && clause.line - e.line <= 2);
    return (next ?? previous)?.keys ?? new Set();
  }
  // "`verify=False` … is insecure": a clause about code of its own is about that code.
  if (clause.subjects.length > 0) return new Set();
  const near = (line: number, endLine: number, section: number) =>
    section === clause.section && clause.line - endLine <= NEAR_LINES && line <= clause.line;
  // The nearest subject before: a package, or an API ("pass `verify=False`; it is insecure"), which ends the search.
  const earlierClause = clauses
    .slice(0, clause.seq)
    .findLast((c) => c.subjects.length > 0 && !c.comment && near(c.line, c.endLine, c.section));
  const earlierCode = code.findLast((e) => e.line < clause.line && near(e.line, e.endLine, e.section));
  const earlier =
    earlierClause && (!earlierCode || earlierClause.line >= earlierCode.line)
      ? earlierClause.mentions
      : earlierCode?.keys;
  if (earlier) return earlier;
  if (!clause.introduces) return new Set();
  const later = code.find(
    (e) => e.line > clause.line && e.section === clause.section && e.line - clause.endLine <= NEAR_LINES,
  );
  return later?.keys ?? new Set();
}

/** Whether a clause that names no package points at this one (and is not advice about all dependencies). */
function refersTo(clause: Clause, pkg: AnswerPackage | undefined): boolean {
  if (!pkg) return false;
  if (clause.comment) return true;
  const versions = [...clause.text.matchAll(VERSION_NUMBER)].map((m) => m[1]!);
  const named = pkg.versions.map((own) => own.replace(/^[^\d]*/, ''));
  if (versions.some((v) => named.some((own) => own === v || own.startsWith(`${v}.`)))) return true;
  if (GENERIC.test(clause.prose) && !REFERRING[0]!.test(clause.prose)) return false;
  return REFERRING.some((pattern) => pattern.test(clause.prose));
}

/**
 * Package keys a clause names, in code spans or in prose (not as part of an API: `yaml.load()`), and its
 * subjects in order: each mention, each code span that names no package and each `call()` is an API.
 */
function mentionsIn(
  clause: string,
  packages: readonly AnswerPackage[],
): { keys: Set<string>; subjects: { at: number; api: boolean }[] } {
  const keys = new Set<string>();
  const subjects: { at: number; api: boolean }[] = [];
  const names = (pkg: AnswerPackage) => pkg.names;
  for (const span of clause.matchAll(/`([^`]*)`/g)) {
    const words = codeMentions(span[1]!);
    const named = packages.filter((pkg) =>
      names(pkg).some((n) => words.some((w) => sameName(pkg.ecosystem, w, n))),
    );
    for (const pkg of named) keys.add(pkg.key);
    if (named.length > 0) subjects.push({ at: span.index, api: false });
    else if (CODE_IDENTIFIER.test(span[1]!.trim())) subjects.push({ at: span.index, api: true });
  }
  const prose = blankCode(clause);
  for (const call of prose.matchAll(/\b[A-Za-z_][\w.]*\(\)/g)) subjects.push({ at: call.index, api: true });
  for (const pkg of packages) {
    for (const name of names(pkg)) {
      const offsets = proseMentions(prose, name, pkg.ecosystem);
      if (offsets.length === 0) continue;
      keys.add(pkg.key);
      for (const at of offsets) subjects.push({ at, api: false });
    }
  }
  subjects.sort((a, b) => a.at - b.at);
  return { keys, subjects };
}

/** The package-like words of a code span: `npm install lodash@4.17.11` → lodash; `import yaml` → yaml. */
function codeMentions(code: string): string[] {
  const words = code.split(/[\s,;()[\]{}]+/).filter(Boolean);
  const quoted = [...code.matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return [...words, ...quoted].map((word) => {
    const bare = word.replace(/^['"]|['"]$/g, '');
    // npm `name@1.2.3` (a scope's `@` is part of the name); pip `name[extra]==1.2`.
    const npm = /^(@?[^@\s]+)@/.exec(bare)?.[1];
    return npm ?? bare.replace(/\[[^\]]*\].*$/, '').replace(/(?:===?|~=|!=|<=?|>=?).*$/, '');
  });
}

function sameName(ecosystem: Ecosystem, a: string, b: string): boolean {
  return packageKey(ecosystem, a).toLowerCase() === packageKey(ecosystem, b).toLowerCase();
}

/** Whole-word mentions in prose, not followed by `.member` or `(` (that is code talking about an API). */
function proseMentions(prose: string, name: string, ecosystem: Ecosystem): number[] {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = ecosystem === 'PyPI' ? escaped.replace(/\\\.|[-_]/g, '[-_.]') : escaped;
  const word = new RegExp(`(?<![\\w@/.-])${pattern}(?![\\w/-]|\\.\\w|\\()`, 'gi');
  const offsets: number[] = [];
  for (const match of prose.matchAll(word)) {
    const after = prose.slice(match.index + match[0].length);
    const before = prose.slice(0, match.index).trimEnd();
    const capitalised = /^[A-Z][a-z]/.test(match[0]) && before !== '' && !/[.!?:]$/.test(before);
    if (
      !COMMON_WORDS.has(name.toLowerCase()) ||
      capitalised ||
      PACKAGE_NOUN.test(after) ||
      /^@\d/.test(after)
    )
      offsets.push(match.index);
  }
  return offsets;
}
