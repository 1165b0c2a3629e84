// The agent hooks as the agents run them: the built `vouch hook <agent>` in a process of its own, the agent's
// event on standard input, against a fake registry on 127.0.0.1 and an OSV fixture database.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HALLUCINATED, type PackageWorld, runVouch, startPackageWorld } from '../pipeline/package-world.js';

let world: PackageWorld;
let project: string;
beforeAll(async () => {
  world = await startPackageWorld();
  project = mkdtempSync(join(tmpdir(), 'vouch-hook-'));
});
afterAll(async () => {
  await world.close();
  rmSync(project, { recursive: true, force: true });
});

/** A Claude Code PreToolUse event, as Claude Code writes it on the hook's standard input. */
function preToolUse(toolName: string, toolInput: Record<string, unknown>): string {
  return JSON.stringify({
    session_id: 'test-session',
    transcript_path: join(project, 'transcript.jsonl'),
    cwd: project,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: toolName,
    tool_input: toolInput,
  });
}

function claude(input: string, extra: string[] = []) {
  return runVouch(['hook', 'claude-code', ...world.flags, ...extra], { env: world.env, cwd: project, input });
}

function cursor(command: string, extra: string[] = []) {
  const input = JSON.stringify({
    hook_event_name: 'beforeShellExecution',
    conversation_id: 'c1',
    generation_id: 'g1',
    workspace_roots: [project],
    command,
    cwd: project,
  });
  return runVouch(['hook', 'cursor', ...world.flags, ...extra], { env: world.env, cwd: project, input });
}

describe('vouch hook claude-code', () => {
  it('denies installing a hallucinated name: exit 2, the reason on standard error for the model', async () => {
    const run = await claude(
      preToolUse('Bash', { command: `npm install ${HALLUCINATED}`, description: 'install' }),
    );
    expect(run.exit).toBe(2);
    expect(run.stderr).toMatch(/Vouch blocked this install/);
    expect(run.stderr).toContain(`npm ${HALLUCINATED}`);
    expect(run.stdout).toBe('');
  });

  it('denies a version pinned to a known advisory, naming the fix', async () => {
    const run = await claude(preToolUse('Bash', { command: 'npm i lodash@4.17.15' }));
    expect(run.exit).toBe(2);
    expect(run.stderr).toMatch(/lodash@4\.17\.15/);
    expect(run.stderr).toMatch(/4\.17\.21 fixes it/);
  });

  it('allows installing a real package: exit 0, no decision printed that would skip the permission rules', async () => {
    const run = await claude(preToolUse('Bash', { command: 'npm install lodash@4.17.21' }));
    expect(run.exit).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toMatch(/permissionDecision/);
  });

  it('allows a command that installs nothing, and tools that run no command', async () => {
    const ls = await claude(preToolUse('Bash', { command: 'ls -la && git status' }));
    expect(ls.exit).toBe(0);
    expect(ls.stdout).toBe('');
    const read = await claude(preToolUse('Read', { file_path: join(project, 'package.json') }));
    expect(read.exit).toBe(0);
  });

  it('reads installs beyond npm: pip install -r of a requirements file, uv add', async () => {
    writeFileSync(join(project, 'requirements.txt'), `requests==2.32.3\n${HALLUCINATED}==1.0.0\n`);
    const denied = await claude(preToolUse('Bash', { command: 'pip install -r requirements.txt' }));
    expect(denied.exit).toBe(2);
    expect(denied.stderr).toContain(`PyPI ${HALLUCINATED}@1.0.0 (requirements.txt)`);
    const allowed = await claude(preToolUse('Bash', { command: 'uv add requests' }));
    expect(allowed.exit).toBe(0);
  });

  it('denies a Write, Edit or MultiEdit of a manifest that adds a hallucinated package, allows the rest', async () => {
    const manifest = join(project, 'package.json');
    writeFileSync(manifest, '{\n  "dependencies": {\n    "lodash": "4.17.21"\n  }\n}\n');
    const edit = await claude(
      preToolUse('Edit', {
        file_path: manifest,
        old_string: '"lodash": "4.17.21"',
        new_string: `"lodash": "4.17.21",\n    "${HALLUCINATED}": "^1.0.0"`,
      }),
    );
    expect(edit.exit).toBe(2);
    expect(edit.stderr).toMatch(/^Vouch blocked this edit of package\.json:/);
    expect(edit.stderr).toContain(`- npm ${HALLUCINATED} ^1.0.0: '${HALLUCINATED}' does not exist`);
    // Said once, not twice.
    expect(edit.stderr.match(/did you mean/g)).toHaveLength(1);
    const write = await claude(
      preToolUse('Write', {
        file_path: join(project, 'sub', 'requirements.txt'),
        content: `${HALLUCINATED}\n`,
      }),
    );
    expect(write.exit).toBe(2);
    expect(write.stderr).toContain(`PyPI ${HALLUCINATED}`);
    const real = await claude(
      preToolUse('MultiEdit', {
        file_path: manifest,
        edits: [
          { old_string: '"lodash": "4.17.21"', new_string: '"lodash": "4.17.21",\n    "express": "^4.21.2"' },
        ],
      }),
    );
    expect(real.exit).toBe(0);
    expect(real.stderr).toBe('');
    // Not a manifest: not read, not checked.
    const source = await claude(
      preToolUse('Write', {
        file_path: join(project, 'app.js'),
        content: `import x from '${HALLUCINATED}';`,
      }),
    );
    expect(source.exit).toBe(0);
    expect(source.stdout).toBe('');
  });

  it('a broken event is denied by default and allowed with --on-error allow, saying so', async () => {
    const denied = await claude('{"tool_name": "Bash", "tool_input": ');
    expect(denied.exit).toBe(2);
    expect(denied.stderr).toMatch(/could not check this command: the event on standard input is not JSON/);
    const allowed = await claude('not json', ['--on-error', 'allow']);
    expect(allowed.exit).toBe(0);
    expect(JSON.parse(allowed.stdout).systemMessage).toMatch(/could not check this command.*allowed/);
  });

  it('a broken configuration file does not turn the hook off: installs are denied, other commands run', async () => {
    const config = join(project, 'broken.json');
    writeFileSync(config, '{ "failOn": ');
    const install = await claude(preToolUse('Bash', { command: `npm install ${HALLUCINATED}` }), [
      '--config',
      config,
    ]);
    expect(install.exit).toBe(2);
    expect(install.stderr).toMatch(/could not check this command/);
    const ls = await claude(preToolUse('Bash', { command: 'ls' }), ['--config', config]);
    expect(ls.exit).toBe(0);
  });
});

describe('vouch hook cursor', () => {
  it('answers beforeShellExecution with permission deny for a hallucinated name, allow for a real one', async () => {
    const denied = await cursor(`pnpm add ${HALLUCINATED}`);
    expect(denied.exit).toBe(0);
    const deny = JSON.parse(denied.stdout) as Record<string, string>;
    expect(deny.permission).toBe('deny');
    expect(deny.agent_message).toContain(HALLUCINATED);
    const allowed = await cursor('npm install lodash@4.17.21');
    expect(JSON.parse(allowed.stdout)).toEqual({ permission: 'allow' });
  });

  it('a registry that cannot be asked is said, not hidden, and does not block unless strict', async () => {
    const offline = world.flags.map((flag) =>
      flag === world.registry.npmUrl ? 'http://127.0.0.1:9/' : flag,
    );
    const input = JSON.stringify({ command: 'npm install left-pad', cwd: project });
    const run = await runVouch(['hook', 'cursor', ...offline, '--registry-deadline', '5'], {
      env: world.env,
      cwd: project,
      input,
    });
    const answer = JSON.parse(run.stdout) as Record<string, string>;
    expect(answer.permission).toBe('allow');
    expect(answer.user_message).toMatch(/left-pad.*not checked/);
    const strict = await runVouch(['hook', 'cursor', ...offline, '--registry-deadline', '5', '--strict'], {
      env: world.env,
      cwd: project,
      input,
    });
    expect(JSON.parse(strict.stdout).permission).toBe('deny');
  });
});
