import { Command } from 'commander';
import { VERSION } from '../core/version.js';
import { translateError } from './exit.js';
import { type CliIO, processIO } from './io.js';

type Register = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

/**
 * Each command's module, loaded only when that command runs: an agent starts `vouch hook` for every tool
 * call, and it must not pay for loading the scanner, the reporters and the simulations it never uses.
 * The order is the order of `vouch --help`.
 */
const COMMANDS: readonly (readonly [readonly string[], () => Promise<Register>])[] = [
  [['scan'], async () => (await import('./scan.js')).registerScanCommand],
  [['check'], async () => (await import('./check.js')).registerCheckCommand],
  [['db'], async () => (await import('./db.js')).registerDbCommands],
  [['registry'], async () => (await import('./registry.js')).registerRegistryCommands],
  [['simulate', 'report', 'compare'], async () => (await import('./simulate.js')).registerSimulateCommands],
  [['mcp', 'hook', 'guard', 'proxy'], async () => (await import('./surfaces.js')).registerSurfaceCommands],
];

/**
 * The modules a command line needs: its command's alone, or every one when it names none that is known
 * (`--help`, `help scan`, a mistyped name that commander suggests a correction for).
 */
function modulesFor(argv: readonly string[]): (() => Promise<Register>)[] {
  const name = argv.find((arg) => !arg.startsWith('-'));
  const named = COMMANDS.find(([names]) => name !== undefined && names.includes(name));
  return named ? [named[1]] : COMMANDS.map(([, load]) => load);
}

async function buildProgram(
  argv: readonly string[],
  io: CliIO,
  setExit: (code: number) => void,
): Promise<Command> {
  const program = new Command('vouch')
    .description('Vets the packages AI coding assistants put into code.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run vouch --help for usage)');
  const registers = await Promise.all(modulesFor(argv).map((load) => load()));
  for (const register of registers) register(program, io, setExit);
  return program;
}

/** Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let exitCode = 0;
  try {
    const program = await buildProgram(argv, io, (code) => {
      exitCode = code;
    });
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    const { message, exitCode: code } = translateError(error);
    if (message) io.stderr.write(`${message}\n`);
    return code;
  }
}
