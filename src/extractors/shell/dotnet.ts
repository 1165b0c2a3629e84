import { nugetVersionTarget } from '../nuget/common.js';
import {
  commandName,
  optionValues,
  parseArgs,
  type Resolver,
  type ShellPackage,
  type ShellWord,
} from './args.js';

const DOTNET_ADD_VALUE_OPTIONS = new Set([
  '-v',
  '--version',
  '-f',
  '--framework',
  '-s',
  '--source',
  '--package-directory',
]);
/** PowerShell parameters are case-insensitive and may be abbreviated; these are the ones taking a value. */
const POWERSHELL_VALUE_PARAMETERS = new Set([
  '-version',
  '-requiredversion',
  '-minimumversion',
  '-maximumversion',
  '-source',
  '-projectname',
  '-providername',
  '-outputdirectory',
  '-framework',
  '-dependencyversion',
  '-name',
  '-id',
]);
const NUGET_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * `dotnet add [project] package X [--version 1.2.3]`, the Package Manager Console's
 * `Install-Package X [-Version 1.2.3]` (PowerShell, read by the same shell parser: its simple commands look
 * the same), and nuget.exe's `nuget install X [-Version 1.2.3]`.
 */
export const resolveDotnet: Resolver = (words) => {
  const [head, ...args] = words;
  if (!head) return [];
  const command = commandName(head.value).toLowerCase();
  if (command === 'dotnet') {
    const top = parseArgs(args, DOTNET_ADD_VALUE_OPTIONS, true);
    if (top.positionals[0]?.value !== 'add') return [];
    const parsed = parseArgs(top.rest, DOTNET_ADD_VALUE_OPTIONS);
    const at = parsed.positionals.findIndex((word) => word.value === 'package');
    const name = at === -1 ? undefined : parsed.positionals[at + 1];
    const version = optionValues(parsed, '-v', '--version')[0];
    return name ? nugetPackage(name, version?.value) : [];
  }
  if (command === 'install-package' || command === 'nuget') {
    const rest =
      command === 'nuget' ? (args[0]?.value.toLowerCase() === 'install' ? args.slice(1) : undefined) : args;
    if (!rest) return [];
    const lowered = rest.map((word) =>
      word.value.startsWith('-') ? { ...word, value: word.value.toLowerCase() } : word,
    );
    const parsed = parseArgs(lowered, POWERSHELL_VALUE_PARAMETERS);
    const name = optionValues(parsed, '-id', '-name')[0] ?? parsed.positionals[0];
    const version = optionValues(parsed, '-version', '-requiredversion')[0];
    // `nuget install packages.config` restores a project; it names no package.
    if (!name || name.value.endsWith('.config')) return [];
    return nugetPackage(name, version?.value);
  }
  return [];
};

function nugetPackage(word: ShellWord, version: string | undefined): ShellPackage[] {
  if (word.dynamic || !NUGET_ID.test(word.value)) return [];
  return [
    {
      ecosystem: 'NuGet',
      name: word.value,
      ...(version === undefined ? {} : nugetVersionTarget(version)),
      origin: 'registry',
      source: 'installed',
      word,
    },
  ];
}
