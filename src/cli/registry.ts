import { resolve } from 'node:path';
import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import { redactUrl } from '../core/http.js';
import type { Ecosystem } from '../model/ecosystem.js';
import { EXIT } from '../pipeline/policy.js';
import { CACHE_MODES, type CacheMode, registryCachePath } from '../registry/cache.js';
import { npmAuthHeader, npmConfig, pipConfig } from '../registry/config.js';
import type { RegistryOptions } from '../registry/resolve.js';
import { importSnapshot } from '../registry/snapshot.js';
import {
  composerSources,
  cratesSources,
  goSources,
  mavenSources,
  nugetSources,
  type RegistrySources,
  rubygemsSources,
} from '../registry/sources.js';
import { scanTrust } from '../registry/trust.js';
import { plain } from '../reporters/escape.js';
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

function positiveSeconds(text: string): number {
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

const ECOSYSTEM_ARGUMENT: Record<string, Ecosystem> = { npm: 'npm', pypi: 'PyPI' };

/** `vouch registry snapshot|config`. */
export function registerRegistryCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const registry = program
    .command('registry')
    .description('the package registries that scans ask, and their cache');

  registry
    .command('snapshot')
    .description(
      "import a list of every existing name so that existence is checked offline (PyPI: the Simple API's JSON project list; npm: a JSON array or one name per line)",
    )
    .addArgument(new Argument('<ecosystem>', 'npm or pypi').choices(Object.keys(ECOSYSTEM_ARGUMENT)))
    .argument('<file>', 'the list of names')
    .option(
      '--cache-dir <dir>',
      'cache folder (default: $VOUCH_CACHE_DIR, else $XDG_CACHE_HOME/vouch or ~/.cache/vouch)',
    )
    .action((ecosystem: string, file: string, flags: { cacheDir?: string }) => {
      const report = importSnapshot(
        ECOSYSTEM_ARGUMENT[ecosystem]!,
        resolve(io.cwd, file),
        registryCachePath(io.env, flags.cacheDir),
      );
      io.stdout.write(
        `${report.names.toLocaleString('en-US')} ${report.ecosystem} names imported into ${report.cache}\n`,
      );
      setExit(EXIT.clean);
    });

  registry
    .command('config')
    .description(
      'which registries a scan here would ask, and where that comes from (credentials are never shown)',
    )
    .option(
      '--registry-deadline <seconds>',
      'time for all the registry checks of a scan; what is not answered by then is not checked (default: 300)',
      positiveSeconds,
    )
    .option(
      '--trust-project-config',
      "as a scan with --trust-project-config would read the project's configuration",
    )
    .action(async (flags: { trustProjectConfig?: boolean }) => {
      const trust = scanTrust(io.cwd, io.env, [], flags.trustProjectConfig === true);
      const npm = npmConfig(io.cwd, io.env, trust);
      const pip = await pipConfig(io.env, trust);
      const lines = [
        `npm registry: ${npm.registry ? `${redactUrl(npm.registry)} (from ${npm.source})` : 'none configured'}`,
      ];
      if (npm.registry)
        lines.push(`  credentials: ${npmAuthHeader(npm, npm.registry) ? 'configured' : 'none'}`);
      for (const [scope, url] of Object.entries(npm.scopes))
        lines.push(
          `  ${scope}: ${redactUrl(url)}${npmAuthHeader(npm, url) ? ' (credentials configured)' : ''}`,
        );
      lines.push(
        `PyPI index:   ${pip.index ? `${redactUrl(pip.index)} (from ${pip.source})` : 'none configured'}`,
      );
      for (const extra of pip.extra) lines.push(`  extra index: ${redactUrl(extra)}`);
      const others: [string, RegistrySources][] = [
        ['Maven:', await mavenSources(io.env, trust)],
        ['Go proxy:', goSources(io.env, trust)],
        ['crates.io:', await cratesSources(io.cwd, io.env, trust)],
        ['RubyGems:', await rubygemsSources(io.env, trust)],
        ['Composer:', composerSources(io.cwd, io.env)],
        ['NuGet:', nugetSources(io.cwd, io.env, trust)],
      ];
      const ignored = [...(npm.ignored ?? []), ...others.flatMap(([, config]) => config.ignored ?? [])];
      for (const [name, config] of others) {
        const label = name.padEnd('npm registry: '.length);
        if (config.sources.length === 0) {
          lines.push(`${label}none (${config.reason})`);
          continue;
        }
        lines.push(
          `${label}${config.sources.map((s) => redactUrl(s.url)).join(', ')} (from ${config.origin})`,
        );
        if (config.sources.some((s) => s.auth)) lines.push('  credentials: configured');
        if (config.inconclusive) lines.push(`  note: ${config.inconclusive}`);
      }
      for (const note of new Set(ignored)) lines.push(`note: ${note}`);
      lines.push(`cache:        ${registryCachePath(io.env)}`);
      io.stdout.write(`${plain(lines.join('\n'))}\n`);
      setExit(EXIT.clean);
    });
}
