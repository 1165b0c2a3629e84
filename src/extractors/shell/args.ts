import type { Ecosystem } from '../../model/ecosystem.js';
import type { RefOrigin } from '../../model/package-ref.js';

/** One word of a simple command after quote removal, with the place it stands in the script. */
export interface ShellWord {
  value: string;
  /** The word as written, quotes and all. */
  text: string;
  /**
   * UTF-16 offset in the script. Words of a script that had to be decoded first (inside escaped backticks,
   * or a `sh -c` string with escapes) carry the offset of the enclosing word instead.
   */
  offset: number;
  /** Whether `offset` is the word's own start (see `offset`). */
  exact: boolean;
  /** The word holds expansions, globs or brace lists, so its run-time value is not what is written. */
  dynamic: boolean;
}

/** A package that one command installs or runs, before it becomes a `PackageRef`. */
export interface ShellPackage {
  ecosystem: Ecosystem;
  name: string;
  version?: string;
  spec?: string;
  origin?: RefOrigin;
  url?: string;
  alias?: string;
  groups?: string[];
  /** The name was derived from a URL, path or file name rather than written as a package name. */
  inferred?: boolean;
  source: 'installed' | 'executed';
  word: ShellWord;
}

/** Reads the packages one package-manager command names; `dispatch` runs a nested command (`poetry run …`). */
export type Resolver = (
  words: ShellWord[],
  dispatch: (words: ShellWord[]) => ShellPackage[],
) => ShellPackage[];

export interface ParsedArgs {
  positionals: ShellWord[];
  /** Options by name as written (`-D`, `--save-dev`); flags have no values, `--opt=x` and `--opt x` have one. */
  options: Map<string, ShellWord[]>;
  /** With `stopAtFirstPositional`: the words after the first positional, untouched. */
  rest: ShellWord[];
}

/**
 * Splits a command's arguments into options and positionals the way option parsers of package managers do:
 * `valueOptions` consume the next word (or their `=value`, or for one-letter options the rest of the word:
 * `-rfile.txt`), `--` ends the options. Unknown options are read as flags: a value mistaken for a package name
 * is worse than a flag mistaken for an option with a value, and the tables cover the common value options.
 */
export function parseArgs(
  words: readonly ShellWord[],
  valueOptions: ReadonlySet<string>,
  stopAtFirstPositional = false,
): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: new Map(), rest: [] };
  const add = (name: string, value?: ShellWord) => {
    const list = out.options.get(name) ?? [];
    if (value) list.push(value);
    out.options.set(name, list);
  };
  let onlyPositionals = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const text = word.value;
    if (onlyPositionals || !text.startsWith('-') || text === '-') {
      out.positionals.push(word);
      if (stopAtFirstPositional) {
        out.rest = words.slice(i + 1);
        return out;
      }
      continue;
    }
    if (text === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = text.indexOf('=');
    if (text.startsWith('--') && eq !== -1) {
      add(text.slice(0, eq), { ...word, value: text.slice(eq + 1) });
      continue;
    }
    if (valueOptions.has(text)) {
      const value = words[i + 1];
      add(text, value);
      if (value) i++;
      continue;
    }
    const short = text.slice(0, 2);
    if (!text.startsWith('--') && text.length > 2 && valueOptions.has(short)) {
      add(short, { ...word, value: text.slice(2) });
      continue;
    }
    add(text);
  }
  return out;
}

export function hasOption(args: ParsedArgs, ...names: string[]): boolean {
  return names.some((name) => args.options.has(name));
}

/** The values given to any of `names`, e.g. `--group dev -G docs` → the words `dev` and `docs`. */
export function optionValues(args: ParsedArgs, ...names: string[]): ShellWord[] {
  return names.flatMap((name) => args.options.get(name) ?? []);
}

/** `/usr/local/bin/pip3.11` → `pip`, `python3.12` → `python`, `npm.cmd` → `npm`. */
export function commandName(value: string): string {
  const base = value.slice(Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\')) + 1);
  const name = base.replace(/\.(exe|cmd|bat|ps1)$/i, '');
  if (/^pip\d+(\.\d+)?$/.test(name)) return 'pip';
  if (/^python\d*(\.\d+)?$/.test(name) || name === 'py') return 'python';
  return name;
}
