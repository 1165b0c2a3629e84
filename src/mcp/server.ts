/**
 * `vouch mcp`: an MCP server on standard input/output (the official TypeScript SDK), whose four tools are
 * the library's checks. A shell: it validates arguments, calls `checkPackages`, `check`, `scan` and
 * `safeVersion`, and shapes their results; every verdict comes from the library's policy.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  blockPolicy,
  check,
  checkPackages,
  decidePackage,
  type Finding,
  MAX_PACKAGES,
  type PackageCheck,
  type PackageCheckOptions,
  type PackageVerdict,
  type ScanResult,
  safeVersion,
  scan,
  VERSION,
  VouchError,
} from '../index.js';

export interface McpSettings {
  /** How packages are checked: the working directory, database, registries, threshold (`failOn`). */
  check: PackageCheckOptions;
  /** The only folders `scan_path` may read (absolute); default: the working directory. */
  roots: readonly string[];
  maxFileSize?: number;
}

/** The most findings a `scan_path` or `check_answer` result lists; the counts cover them all. */
const MAX_LISTED = 200;
const DEFAULT_LISTED = 50;
/** An answer longer than this is not an answer: refused rather than read. */
const MAX_ANSWER_CHARS = 1_000_000;

const verdictSchema = z.enum(['ok', 'warn', 'block']);
const findingSchema = z.object({
  kind: z.string(),
  severity: z.string(),
  ecosystem: z.string(),
  name: z.string(),
  version: z.string().optional(),
  message: z.string(),
  file: z.string(),
  line: z.number().optional(),
});
const uncheckedSchema = z.object({ check: z.string(), reason: z.string() });
const packageSchema = z.object({
  ecosystem: z.string(),
  name: z.string(),
  version: z.string().optional(),
  spec: z.string().optional(),
  exists: z.enum(['yes', 'no', 'unknown']),
  latest: z.string().optional(),
  installs: z.string().optional().describe('the version a fresh install picks today'),
  malicious: z.boolean(),
  deprecated: z.string().optional(),
  yanked: z.boolean().optional(),
  advisories: z.array(
    z.object({
      id: z.string(),
      summary: z.string().optional(),
      severity: z.string(),
      malicious: z.boolean(),
      fixed: z.array(z.string()),
    }),
  ),
  upgrade: z.string().optional().describe('the smallest higher version no advisory affects'),
  didYouMean: z.array(z.string()),
  findings: z.array(findingSchema),
  unchecked: z.array(uncheckedSchema),
  verdict: verdictSchema,
  reasons: z.array(z.string()),
});
const summarySchema = {
  verdict: verdictSchema,
  counts: z.record(z.string(), z.number()).describe('findings per kind'),
  findings: z.array(findingSchema),
  truncated: z.boolean().describe('more findings than listed'),
  unchecked: z.array(uncheckedSchema.extend({ ecosystem: z.string(), name: z.string() })),
  errors: z.array(z.object({ file: z.string(), line: z.number().optional(), message: z.string() })),
  warnings: z.array(z.string()),
};

export async function createMcpServer(settings: McpSettings): Promise<McpServer> {
  // Loaded here rather than at the top: `vouch scan` never pays for the SDK.
  const { McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
  const server = new McpServer({ name: 'vouch', version: VERSION });
  const { gate, ...scanOptions } = settings.check;
  const policy = blockPolicy(gate);

  server.registerTool(
    'check_packages',
    {
      title: 'Check packages before installing or recommending them',
      description:
        'For each package: whether it exists, its latest version, known advisories with fixed versions, malicious releases, deprecation, look-alike names (did you mean), and a verdict: ok, warn or block.',
      inputSchema: {
        packages: z
          .array(
            z.object({
              ecosystem: z.string().describe('npm, PyPI, Go, crates.io, RubyGems, Maven, NuGet or Packagist'),
              name: z.string(),
              version: z.string().optional().describe('an exact version or a range'),
            }),
          )
          .min(1)
          .max(MAX_PACKAGES),
      },
      outputSchema: { verdict: verdictSchema, packages: z.array(packageSchema) },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    (args) =>
      run(async () => {
        const result = await checkPackages(args.packages, settings.check);
        const packages = result.packages.map(packageOut);
        const structured = { verdict: worst(packages.map((p) => p.verdict)), packages };
        return { structured, text: result.packages.map(packageLine).join('\n') };
      }),
  );

  server.registerTool(
    'check_answer',
    {
      title: "Check an assistant's answer or a code snippet",
      description:
        'The findings `vouch check` gives for a markdown answer (install commands, manifests, imports in its code blocks), or for a code snippet when a filename (package.json, app.py, requirements.txt) says what it is.',
      inputSchema: {
        text: z.string().max(MAX_ANSWER_CHARS),
        filename: z.string().max(255).optional().describe('what the text is; default: a markdown answer'),
        maxFindings: z.number().int().min(1).max(MAX_LISTED).optional(),
      },
      outputSchema: summarySchema,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    (args) =>
      run(async () => {
        const options = { ...scanOptions, stdin: args.text };
        const result =
          args.filename === undefined
            ? await check(['-'], options)
            : await scan(['-'], { ...options, stdinFilename: safeFilename(args.filename) });
        return summarize(result, policy, args.maxFindings ?? DEFAULT_LISTED);
      }),
  );

  server.registerTool(
    'scan_path',
    {
      title: 'Scan a file or folder of the workspace',
      description:
        'Scans a file or folder inside the workspace (manifests, lockfiles, source imports): a summary of the findings, the first ones listed.',
      inputSchema: {
        path: z.string().max(4096).describe('relative to the workspace, or absolute inside it'),
        maxFindings: z.number().int().min(1).max(MAX_LISTED).optional(),
      },
      outputSchema: summarySchema,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    (args) =>
      run(async () => {
        const path = confine(args.path, settings.roots);
        const result = await scan([path], {
          ...scanOptions,
          ...(settings.maxFileSize !== undefined ? { maxFileSize: settings.maxFileSize } : {}),
        });
        return summarize(result, policy, args.maxFindings ?? DEFAULT_LISTED);
      }),
  );

  server.registerTool(
    'safe_version',
    {
      title: 'The newest safe version of a package',
      description:
        'The newest version (within an optional range) that has no known advisory and is neither deprecated nor yanked, with the newer versions passed over and why.',
      inputSchema: {
        ecosystem: z.string(),
        name: z.string(),
        range: z.string().optional().describe('e.g. ^4.0.0 or >=2,<3'),
      },
      outputSchema: {
        ecosystem: z.string(),
        name: z.string(),
        range: z.string().optional(),
        exists: z.enum(['yes', 'no', 'unknown']),
        latest: z.string().optional(),
        version: z.string().optional(),
        reason: z.string().optional(),
        passedOver: z.array(z.object({ version: z.string(), why: z.string() })),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    (args) =>
      run(async () => {
        const found = await safeVersion(args, settings.check);
        const text = found.version
          ? `${found.name}: ${found.version} is the newest version with no known advisory${found.range ? ` in ${found.range}` : ''}${found.passedOver.length > 0 ? ` (passed over ${found.passedOver.length} newer)` : ''}`
          : `${found.name}: no safe version: ${found.reason}`;
        return { structured: { ...found }, text };
      }),
  );
  return server;
}

/**
 * One message (one line of JSON-RPC) larger than this is refused unread: the biggest legitimate call, a
 * `check_answer` of 1,000,000 characters, takes at most about 6 MiB once JSON escapes it.
 */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** The JSON-RPC error code of a request that is not a valid request object. */
const INVALID_REQUEST = -32600;
/** What is kept of a refused message to find the id of the request to answer. */
const EDGE_BYTES = 256;

/**
 * The id of a request that was too large to parse, found at either end of it (SDKs write `id` first or
 * last); null when neither end holds one, as JSON-RPC says an unknown id is answered.
 */
function edgeId(head: string, tail: string): string | number | null {
  const value =
    /^\s*\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(head)?.[1] ??
    /,\s*"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\}\s*$/.exec(tail)?.[1];
  if (value === undefined) return null;
  try {
    return JSON.parse(value) as string | number;
  } catch {
    return null;
  }
}

/**
 * Standard input as the SDK's transport reads it, one whole line at a time, with every line longer than
 * `limit` held back: such a message is answered with an error and dropped, and the memory it takes is
 * bounded by the limit, whatever a runaway or hostile client sends.
 */
export function boundedLines(
  input: NodeJS.ReadableStream,
  refuse: (id: string | number | null) => void,
  limit = MAX_MESSAGE_BYTES,
): PassThrough {
  const out = new PassThrough();
  let line: Buffer[] = [];
  let length = 0;
  let dropping: { head: string; tail: Buffer } | undefined;
  input.on('data', (chunk: Buffer) => {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      const piece = chunk.subarray(start, end);
      start = end;
      if (dropping) {
        dropping.tail = Buffer.concat([dropping.tail, piece]).subarray(-EDGE_BYTES);
      } else if (length + piece.length > limit + 1) {
        const head = Buffer.concat([...line, piece])
          .subarray(0, EDGE_BYTES)
          .toString('utf8');
        dropping = { head, tail: piece.subarray(-EDGE_BYTES) };
        line = [];
        length = 0;
      } else {
        line.push(piece);
        length += piece.length;
      }
      if (newline === -1) continue;
      if (dropping) {
        refuse(edgeId(dropping.head, dropping.tail.toString('utf8')));
        dropping = undefined;
      } else {
        out.write(Buffer.concat(line));
        line = [];
        length = 0;
      }
    }
  });
  input.on('end', () => out.end());
  input.on('error', (error) => out.destroy(error));
  return out;
}

/** Serves on standard input and output until the client closes it. */
export async function serveMcp(settings: McpSettings): Promise<void> {
  const server = await createMcpServer(settings);
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const input = boundedLines(process.stdin, (id) => {
    const error = {
      jsonrpc: '2.0',
      id,
      error: {
        code: INVALID_REQUEST,
        message: `vouch mcp: a message larger than ${MAX_MESSAGE_BYTES} bytes (${MAX_MESSAGE_BYTES / 1024 / 1024} MiB) was refused unread`,
      },
    };
    process.stdout.write(`${JSON.stringify(error)}\n`);
  });
  const transport = new StdioServerTransport(input as unknown as Readable, process.stdout);
  const closed = new Promise<void>((done) => {
    transport.onclose = () => done();
  });
  await server.connect(transport);
  await closed;
}

/** A tool's work: a usage error (a bad name, a path outside the workspace) is a tool error the model reads. */
async function run(
  work: () => Promise<{ structured: Record<string, unknown>; text: string }>,
): Promise<CallToolResult> {
  try {
    const { structured, text } = await work();
    return { content: [{ type: 'text', text }], structuredContent: structured };
  } catch (error) {
    if (error instanceof VouchError && error.code !== 'INTERNAL')
      return { isError: true, content: [{ type: 'text', text: error.message }] };
    throw error;
  }
}

function worst(verdicts: readonly PackageVerdict[]): PackageVerdict {
  return verdicts.includes('block') ? 'block' : verdicts.includes('warn') ? 'warn' : 'ok';
}

function findingOut(f: Finding): z.infer<typeof findingSchema> {
  return {
    kind: f.kind,
    severity: f.severity,
    ecosystem: f.ecosystem,
    name: f.name,
    ...(f.version !== undefined ? { version: f.version } : {}),
    message: f.message,
    file: f.location.file,
    ...(f.location.line !== undefined ? { line: f.location.line } : {}),
  };
}

function packageOut(p: PackageCheck): z.infer<typeof packageSchema> {
  const { findings, unchecked, location: _location, advisories, ...rest } = p;
  return {
    ...rest,
    advisories: advisories.map(({ ids: _ids, ...a }) => a),
    findings: findings.map(findingOut),
    unchecked: unchecked.map((u) => ({ check: u.check, reason: u.reason })),
  };
}

function packageLine(p: PackageCheck): string {
  const label = `${p.ecosystem}:${p.name}${p.version ? `@${p.version}` : p.spec ? ` ${p.spec}` : ''}`;
  const facts: string[] = [];
  if (p.exists === 'yes' && p.latest) facts.push(`latest ${p.latest}`);
  if (p.exists === 'no') facts.push('does not exist');
  if (p.exists === 'unknown') facts.push('existence not checked');
  const why = p.verdict === 'ok' ? [] : p.reasons.length > 0 ? p.reasons : p.findings.map((f) => f.message);
  return `${p.verdict.toUpperCase()} ${label} (${facts.join(', ')})${why.length > 0 ? `: ${why.join('; ')}` : ''}`;
}

/** The result of a scan, bounded: counts of everything, the first findings, the verdict by the policy. */
function summarize(
  result: ScanResult,
  policy: ReturnType<typeof blockPolicy>,
  limit: number,
): { structured: Record<string, unknown>; text: string } {
  const decision = decidePackage(result.findings, result.unchecked, policy);
  const counts: Record<string, number> = {};
  for (const f of result.findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  const structured = {
    verdict: decision.verdict,
    counts,
    findings: result.findings.slice(0, limit).map(findingOut),
    truncated: result.findings.length > limit,
    unchecked: result.unchecked
      .slice(0, limit)
      .map((u) => ({ ecosystem: u.ecosystem, name: u.name, check: u.check, reason: u.reason })),
    errors: result.errors
      .slice(0, limit)
      .map((e) => ({ file: e.file, ...(e.line !== undefined ? { line: e.line } : {}), message: e.message })),
    warnings: (result.warnings ?? []).slice(0, limit),
  };
  const kinds = Object.entries(counts)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  const lines = [
    `${decision.verdict.toUpperCase()}: ${result.findings.length === 0 ? 'no findings' : kinds} in ${result.stats.filesScanned} file(s), ${result.packages.length} package reference(s)`,
    ...result.findings.slice(0, 10).map((f) => `- ${f.kind} ${f.name}: ${f.message}`),
  ];
  if (result.findings.length > 10) lines.push(`… and ${result.findings.length - 10} more`);
  for (const e of result.errors.slice(0, 5)) lines.push(`error: ${e.file}: ${e.message}`);
  return { structured, text: lines.join('\n') };
}

/** A snippet's filename says what it is; it is never a path to read. */
function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  if (base === '' || base === '.' || base === '..') throw new VouchError('USAGE', `not a filename: ${name}`);
  return base;
}

/**
 * The path, if it lies inside one of the roots once links are followed (a link out of the workspace is
 * refused like `../`); relative paths are taken from the first root.
 */
function confine(path: string, roots: readonly string[]): string {
  const wanted = isAbsolute(path) ? path : resolve(roots[0]!, path);
  let real: string;
  try {
    real = realpathSync(wanted);
  } catch {
    throw new VouchError('USAGE', `${path}: no such file or folder`);
  }
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = realpathSync(root);
    } catch {
      continue;
    }
    const inside = relative(realRoot, real);
    if (inside === '' || (!inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside)))
      return real;
  }
  throw new VouchError('USAGE', `${path} is outside the workspace (${roots.join(', ')})`);
}
