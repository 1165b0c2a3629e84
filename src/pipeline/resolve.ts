/**
 * Stage 4, resolve facts: what the registries and the advisory database say about the packages of the
 * scan. The only stage that does I/O beyond reading the scanned files; analyzers read its facts.
 */
import type { Logger } from '../core/log.js';
import type { AdvisoryFacts } from '../model/advisory-facts.js';
import type { PackageRef } from '../model/package-ref.js';
import type { RegistryFacts } from '../model/registry-facts.js';
import type { FileError } from '../model/result.js';
import type { PhantomResolver } from '../project/phantom.js';
import { type RegistryOptions, type RequirementsWanted, resolveRegistry } from '../registry/resolve.js';
import { type AdvisoryStageOptions, adviseRefs } from '../vulndb/scan-advisories.js';
import type { ScanSession } from './session.js';

export interface ResolveSettings extends AdvisoryStageOptions {
  cwd: string;
  /** The scanned folders (and the folders of scanned files): the scanned code, never a tool to trust. */
  scanRoots: readonly string[];
  registry?: RegistryOptions | false;
  offline?: boolean;
  /** Private packages (the policy's): never asked of a registry. */
  isPrivate?: (ref: PackageRef) => boolean;
  /** What a long-running caller keeps open between scans. */
  session?: ScanSession;
  logger: Logger;
}

export interface ResolvedFacts {
  registry?: RegistryFacts;
  advisories?: AdvisoryFacts;
  /** Why the advisory checks could not run, when they could not. */
  advisorySkipReason?: string;
  /** Where the advisories came from, when the checks ran. */
  advisorySource?: string;
  warnings: string[];
  /** A database that is there but could not be read. */
  errors: FileError[];
}

/**
 * `phantom` tells which refs are undeclared before the registry is asked: a guessed import name is asked
 * about only when no manifest covers it.
 */
export async function resolveFacts(
  refs: readonly PackageRef[],
  phantom: PhantomResolver,
  settings: ResolveSettings,
): Promise<ResolvedFacts> {
  const registryOptions = settings.registry || (settings.offline ? {} : undefined);
  const isPrivate = settings.isPrivate;
  const advise = (installs?: (ref: PackageRef) => string | undefined) =>
    adviseRefs(
      refs,
      {
        ...settings,
        ...(settings.offline ? { offline: true } : {}),
        ...(settings.session ? { databaseSession: settings.session.advisories } : {}),
      },
      settings.logger,
      installs,
    );
  // The advisories are resolved while the registry connection is still open: the fix advice of a vulnerable
  // locked package may want the per-release requirements of the packages its chain goes through.
  let advised: Awaited<ReturnType<typeof adviseRefs>> | undefined;
  const registry = registryOptions
    ? await resolveRegistry(
        isPrivate ? refs.filter((ref) => !isPrivate(ref)) : refs,
        {
          cwd: settings.cwd,
          ...registryOptions,
          untrustedRoots: [...(registryOptions.untrustedRoots ?? []), ...settings.scanRoots],
          ...(settings.offline ? { mode: 'offline' } : {}),
          requirementsWanted: async (facts) => {
            advised = await advise((ref) => facts.installs(ref)?.version);
            return advised.facts ? chainsOfVulnerable(refs, advised.facts, phantom) : [];
          },
          ...(settings.session ? { session: settings.session.registry } : {}),
        },
        settings.logger,
        (ref) => phantom.status(ref)?.status === 'undeclared',
      )
    : undefined;
  const advisories =
    advised ?? (await advise(registry ? (ref) => registry.facts.installs(ref)?.version : undefined));
  return {
    ...(registry ? { registry: registry.facts } : {}),
    ...(advisories.facts ? { advisories: advisories.facts } : {}),
    ...(advisories.skipReason ? { advisorySkipReason: advisories.skipReason } : {}),
    ...(advisories.source ? { advisorySource: advisories.source } : {}),
    warnings: [...advisories.warnings, ...(registry?.warnings ?? [])],
    errors: advisories.errors ?? [],
  };
}

/**
 * The packages of the chains through which vulnerable locked packages come in (the direct dependency and
 * the ones between), each from its locked release: what `fix.direct` needs the requirements of.
 */
function chainsOfVulnerable(
  refs: readonly PackageRef[],
  advisories: AdvisoryFacts,
  phantom: PhantomResolver,
): RequirementsWanted[] {
  const wanted: RequirementsWanted[] = [];
  for (const ref of refs) {
    if (ref.source !== 'locked' || !advisories.forRef(ref)?.exact?.groups.length) continue;
    const chain = phantom.introducedBy(ref)?.slice(1, -1) ?? [];
    for (const name of chain) {
      const locked = refs.find(
        (other) =>
          other.source === 'locked' &&
          other.ecosystem === ref.ecosystem &&
          other.name === name &&
          other.location.file === ref.location.file,
      );
      wanted.push({ ecosystem: ref.ecosystem, name, ...(locked?.version ? { from: locked.version } : {}) });
    }
  }
  return wanted;
}
