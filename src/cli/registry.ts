import { resolve } from 'node:path';
import { Argument, type Command } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import { redactUrl } from '../core/http.js';
import type { Ecosystem } from '../model/ecosystem.js';
import { registryCachePath } from '../registry/cache.js';
import { npmAuthHeader, npmConfig, pipConfig } from '../registry/config.js';
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
import { positiveSeconds } from './registry-options.js';

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
