/**
 * The registry flags every scanning command shares, and what they ask of a scan. Kept apart from the
 * `vouch registry` commands (registry.ts): a scan or a hook loads these without the registry clients.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CACHE_MODES, type CacheMode } from '../registry/cache-modes.js';
import type { RegistryOptions } from '../registry/resolve.js';
import type { CliIO } from './io.js';

/** The options naming a registry per ecosystem (`--npm-registry` → `npmRegistry`), passed on as given. */
const REGISTRY_URL_OPTIONS = [
  'npmRegistry',
  'pypiIndex',
  'mavenRepository',
  'goProxy',
  'cratesIndex',
  'rubygemsSource',
  'packagistRepository',
  'nugetSource',
] as const;

export type RegistryFlags = {
  registry: boolean;
  offline?: boolean;
  trustProjectConfig?: boolean;
  registryMode?: CacheMode;
  registryDeadline?: number;
} & Pick<RegistryOptions, (typeof REGISTRY_URL_OPTIONS)[number] | 'newPackageDays' | 'outdatedDays'>;

export function positiveSeconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError('expected a positive number of seconds');
  return value;
}

function positiveDays(text: string): number {
  const days = Number(text);
  if (!Number.isFinite(days) || days <= 0)
    throw new InvalidArgumentError('expected a positive number of days');
  return days;
}

/** The registry flags of `vouch scan`. */
export function addRegistryScanOptions(command: Command): Command {
  return addRegistrySourceOptions(
    command.option('--no-registry', 'skip the checks that ask the package registries'),
  )
    .option(
      '--new-package-days <days>',
      'suspicious-new: first published fewer days ago (default: 30)',
      positiveDays,
    )
    .option(
      '--outdated-days <days>',
      'outdated: published this many days before the latest (default: 730)',
      positiveDays,
    );
}

/** Which registries to ask and how to use the cache: for every command that asks registries. */
export function addRegistrySourceOptions(command: Command): Command {
  return command
    .option(
      '--offline',
      'never touch the network: registry checks answer from the cache and imported snapshots',
    )
    .addOption(
      new Option('--registry-mode <mode>', 'how the registry cache is used (default: default)').choices([
        ...CACHE_MODES,
      ]),
    )
    .option('--npm-registry <url>', "npm registry to ask (default: the one npm's configuration names)")
    .option('--pypi-index <url>', "PyPI index to ask (default: the one pip's configuration names)")
    .option(
      '--maven-repository <url>',
      "Maven repository to ask (default: the mirror of central in Maven's settings.xml, else the installed Maven's central)",
    )
    .option('--go-proxy <url>', 'Go module proxy to ask (default: GOPROXY, as `go env` resolves it)')
    .option(
      '--crates-index <url>',
      "sparse crates.io index to ask (default: the sparse registry Cargo's configuration replaces crates-io with)",
    )
    .option(
      '--rubygems-source <url>',
      "RubyGems source to ask (default: :sources: of the gemrc, else RubyGems' own)",
    )
    .option(
      '--packagist-repository <url>',
      'Composer repository to ask (default: the composer repositories of composer.json and COMPOSER_HOME)',
    )
    .option('--nuget-source <url>', 'NuGet v3 source to ask (default: the v3 sources of NuGet.Config)')
    .option(
      '--registry-deadline <seconds>',
      'time for all the registry checks of a scan; what is not answered by then is not checked (default: 300)',
      positiveSeconds,
    )
    .option(
      '--trust-project-config',
      "give the project's registry configuration (.npmrc, .cargo/config.toml, NuGet.Config, auth.json) your credentials and environment variables, as the package managers would; off by default because a scanned repository could send them to its own host",
    );
}

export function registryScanOptions(flags: RegistryFlags, io: CliIO): RegistryOptions | false {
  if (!flags.registry) return false;
  const options: RegistryOptions = { env: io.env, cwd: io.cwd };
  if (flags.offline) options.mode = 'offline';
  else if (flags.registryMode) options.mode = flags.registryMode;
  if (flags.trustProjectConfig) options.trustProjectConfig = true;
  if (flags.registryDeadline !== undefined) options.deadlineMs = flags.registryDeadline * 1000;
  for (const key of REGISTRY_URL_OPTIONS) {
    const url = flags[key];
    if (url) options[key] = url;
  }
  if (flags.newPackageDays !== undefined) options.newPackageDays = flags.newPackageDays;
  if (flags.outdatedDays !== undefined) options.outdatedDays = flags.outdatedDays;
  return options;
}

/** The registry flags that were given, as command-line words again (for a command Vouch prints). */
export function registryArguments(flags: RegistryFlags): string[] {
  const args: string[] = [];
  if (!flags.registry) args.push('--no-registry');
  if (flags.offline) args.push('--offline');
  if (flags.registryMode) args.push('--registry-mode', flags.registryMode);
  if (flags.trustProjectConfig) args.push('--trust-project-config');
  if (flags.registryDeadline !== undefined) args.push('--registry-deadline', String(flags.registryDeadline));
  for (const key of REGISTRY_URL_OPTIONS) {
    const url = flags[key];
    if (url) args.push(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, url);
  }
  if (flags.newPackageDays !== undefined) args.push('--new-package-days', String(flags.newPackageDays));
  if (flags.outdatedDays !== undefined) args.push('--outdated-days', String(flags.outdatedDays));
  return args;
}
