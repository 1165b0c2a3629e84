// The MCP server as an assistant's client meets it: the SDK's own client spawns the built `vouch mcp` over
// stdio, initializes, lists the tools and calls each one against a fake registry and an OSV fixture database.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedLines } from '../../src/mcp/server.js';
import { fixturePath } from '../helpers.js';
import { HALLUCINATED, type PackageWorld, startPackageWorld } from '../pipeline/package-world.js';

const BIN = fileURLToPath(new URL('../../bin/vouch.js', import.meta.url));

let world: PackageWorld;
let workspace: string;
let outside: string;
let client: Client;

beforeAll(async () => {
  world = await startPackageWorld();
  workspace = mkdtempSync(join(tmpdir(), 'vouch-mcp-'));
  outside = mkdtempSync(join(tmpdir(), 'vouch-mcp-outside-'));
  cpSync(fixturePath('pipeline/install/locked-vulnerable'), join(workspace, 'project'), { recursive: true });
  mkdirSync(join(outside, 'secret'));
  symlinkSync(join(outside, 'secret'), join(workspace, 'link-out'));
  client = new Client({ name: 'vouch-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', ...world.flags, workspace],
      env: world.env as Record<string, string>,
      cwd: workspace,
      stderr: 'ignore',
    }),
  );
});
afterAll(async () => {
  await client?.close();
  await world.close();
  rmSync(workspace, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>) {
  return (await client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { type: string; text: string }[];
    structuredContent?: Record<string, unknown>;
  };
}

describe('vouch mcp', () => {
  it('initializes as vouch and lists four tools, each with input and output schemas', async () => {
    expect(client.getServerVersion()?.name).toBe('vouch');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'check_answer',
      'check_packages',
      'safe_version',
      'scan_path',
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description).toBeTruthy();
    }
  });

  it('check_packages: a hallucinated name and a vulnerable pin are blocked, a sound package is not', async () => {
    const result = await call('check_packages', {
      packages: [
        { ecosystem: 'npm', name: HALLUCINATED },
        { ecosystem: 'npm', name: 'lodash', version: '4.17.15' },
        { ecosystem: 'npm', name: 'lodash', version: '4.17.21' },
      ],
    });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as {
      verdict: string;
      packages: {
        name: string;
        exists: string;
        verdict: string;
        latest?: string;
        advisories: { id: string }[];
      }[];
    };
    expect(structured.verdict).toBe('block');
    expect(structured.packages.map((p) => [p.name, p.exists, p.verdict])).toEqual([
      [HALLUCINATED, 'no', 'block'],
      ['lodash', 'yes', 'block'],
      ['lodash', 'yes', 'ok'],
    ]);
    expect(structured.packages[1]!.advisories.map((a) => a.id)).toContain('CVE-2021-23337');
    expect(result.content[0]!.text).toMatch(new RegExp(`^BLOCK npm:${HALLUCINATED}`));
    expect(result.content[0]!.text).toMatch(/OK npm:lodash@4\.17\.21 \(latest 4\.17\.21\)/);
  });

  it('check_packages: an unknown ecosystem is a tool error naming it, and the server goes on', async () => {
    const result = await call('check_packages', { packages: [{ ecosystem: 'cpan', name: 'Moose' }] });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/unknown ecosystem "cpan"/);
  });

  it('refuses a message over the size limit with an error naming the limit, and goes on serving', async () => {
    // 9 MiB of answer: past the 8 MiB a message may take, refused before it is parsed.
    await expect(
      client.callTool({ name: 'check_answer', arguments: { text: 'x'.repeat(9 * 1024 * 1024) } }),
    ).rejects.toThrow(/a message larger than 8388608 bytes \(8 MiB\) was refused unread/);
    // Under the message limit but over a tool's own bounds: refused by the tool's schema.
    const many = Array.from({ length: 101 }, (_, i) => ({ ecosystem: 'npm', name: `p${i}` }));
    const refused = await call('check_packages', { packages: many });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toMatch(/expected array to have <=100 items at packages/);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(4);
  });

  it('check_answer: the findings of an answer, and of a snippet named by its filename', async () => {
    const answer = `Install it:\n\n\`\`\`sh\nnpm install ${HALLUCINATED}\n\`\`\`\n`;
    const result = await call('check_answer', { text: answer });
    const structured = result.structuredContent as {
      verdict: string;
      findings: { kind: string; name: string }[];
    };
    expect(structured.verdict).toBe('block');
    expect(structured.findings).toContainEqual(
      expect.objectContaining({ kind: 'nonexistent', name: HALLUCINATED }),
    );
    const snippet = await call('check_answer', {
      text: JSON.stringify({ dependencies: { lodash: '4.17.15' } }),
      filename: 'package.json',
    });
    expect(
      (snippet.structuredContent as { findings: { kind: string }[] }).findings.map((f) => f.kind),
    ).toContain('vulnerable');
  });

  it('scan_path: a folder of the workspace, bounded; paths outside it are refused, links too', async () => {
    const result = await call('scan_path', { path: 'project', maxFindings: 1 });
    const structured = result.structuredContent as {
      verdict: string;
      counts: Record<string, number>;
      findings: unknown[];
      truncated: boolean;
    };
    expect(structured.counts.vulnerable).toBeGreaterThanOrEqual(1);
    expect(structured.findings).toHaveLength(1);
    expect(structured.truncated).toBe(Object.values(structured.counts).reduce((a, b) => a + b, 0) > 1);
    for (const path of ['..', outside, 'link-out']) {
      const refused = await call('scan_path', { path });
      expect(refused.isError, path).toBe(true);
      expect(refused.content[0]!.text).toMatch(/outside the workspace/);
    }
  });

  it('safe_version: the newest version with no known advisory', async () => {
    const result = await call('safe_version', { ecosystem: 'npm', name: 'lodash', range: '^4.17.0' });
    expect(result.structuredContent).toMatchObject({ version: '4.17.21', latest: '4.17.21' });
    expect(result.content[0]!.text).toMatch(/4\.17\.21 is the newest version with no known advisory/);
  });
});

describe('boundedLines', () => {
  it('passes whole lines on, and answers an oversized one with the id at either end of it', async () => {
    const input = new PassThrough();
    const refused: (string | number | null)[] = [];
    const out = boundedLines(input, (id) => refused.push(id), 64);
    const lines: string[] = [];
    out.setEncoding('utf8').on('data', (text: string) => lines.push(text));
    const pad = 'x'.repeat(100);
    input.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n{"jsonrpc":"2.0","id":"first",');
    input.write(
      `"params":{"text":"${pad}"}}\n{"method":"tools/call","params":{"text":"${pad}"},"jsonrpc":"2.0","id":7}\n`,
    );
    input.write(`{"params":"${pad}"}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n`);
    input.end();
    await new Promise((done) => out.on('end', done));
    expect(lines.join('')).toBe(
      '{"jsonrpc":"2.0","id":1,"method":"ping"}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n',
    );
    expect(refused).toEqual(['first', 7, null]);
  });
});
