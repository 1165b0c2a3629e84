/**
 * What Vouch asks of a package registry, whatever the ecosystem: one `RegistryClient` per registry kind
 * (npm, PyPI, Maven, the Go module proxy, crates.io, RubyGems, Packagist, NuGet) answering with normalised
 * `PackageFacts`. Analyzers read these facts only; they never see a registry's own document format.
 */
import type { Ecosystem } from '../model/ecosystem.js';
import type { PackageFacts, Sourced, VersionFacts } from '../model/registry-facts.js';

export interface RegistryClient {
  readonly ecosystem: Ecosystem;
  /** Base URL shown to the user (never with credentials), or undefined when none is configured. */
  readonly registry: string | undefined;
  /** Never throws: a failure is an `unchecked` answer with its reason. */
  facts(name: string): Promise<Sourced<PackageFacts>>;
  /**
   * Run-time dependency names of one version, when the package facts do not carry them (PyPI keeps them
   * per release). Undefined when unknown.
   */
  dependencies?(name: string, version: string): Promise<string[] | undefined>;
  /**
   * One version the package facts do not describe in full: a version the package document does not list
   * (the Go module proxy lists tagged versions only, not pseudo-versions; a Maven repository's metadata may
   * lag behind its files) or a version without a publish date (the Go proxy and Maven repositories date
   * one version per request). Never throws.
   */
  version?(name: string, version: string): Promise<VersionAnswer>;
  /**
   * Names the registry's own search finds for the words of a name it does not have (npm's
   * `/-/v1/search`), for "did you mean"; empty when it finds none or cannot be asked. Never throws.
   */
  search?(name: string): Promise<string[]>;
  /**
   * Each version's run-time requirements (by version, then dependency), for registries whose package
   * document leaves them out (RubyGems' versions API); undefined when they cannot be had. Never throws.
   */
  requirements?(name: string): Promise<Record<string, Record<string, string>> | undefined>;
  /**
   * One release's run-time requirements, for registries that describe them per release only (PyPI's
   * per-release JSON); undefined when they cannot be had. Never throws.
   */
  releaseRequirements?(name: string, version: string): Promise<Record<string, string> | undefined>;
}

export type VersionAnswer =
  | { status: 'found'; facts: VersionFacts }
  /** The registry says the package has no such version. */
  | { status: 'missing' }
  | { status: 'unchecked'; reason: string };
