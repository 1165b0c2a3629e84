/**
 * Modules that frameworks' builds provide and no registry publishes: Docusaurus' theme components and
 * client API, Ember's `@ember/*` modules (ember-source). Bare `$app/*`, `astro:*`, `virtual:*` and Next's
 * `@/` are no package names at all, so they never become refs.
 */
export interface FrameworkModules {
  /** The name its config file gives it (`docusaurus.config.ts` → `docusaurus`). */
  framework: string;
  /** The package whose declaration makes a project one of this framework's. */
  provider: string;
  /** Prefixes only the build resolves: `@theme/Layout`. */
  prefixes: readonly string[];
  /** A scope shared with real packages: its modules are virtual when the lockfile has no such package. */
  scope: string;
  /** The scope's virtual modules by name, for an answer, which has no lockfile to tell. */
  known: ReadonlySet<string>;
}

export const FRAMEWORK_MODULES: readonly FrameworkModules[] = [
  {
    framework: 'docusaurus',
    provider: '@docusaurus/core',
    prefixes: ['@theme/', '@theme-original/', '@theme-init/', '@site/', '@generated/'],
    scope: '@docusaurus/',
    known: new Set(
      [
        'BrowserOnly',
        'ComponentCreator',
        'ErrorBoundary',
        'ExecutionEnvironment',
        'Head',
        'Interpolate',
        'Link',
        'Noop',
        'Translate',
        'constants',
        'isInternalUrl',
        'renderRoutes',
        'router',
        'useBaseUrl',
        'useBrokenLinks',
        'useDocusaurusContext',
        'useGlobalData',
        'useIsBrowser',
        'useIsomorphicLayoutEffect',
        'useRouteContext',
      ].map((m) => `@docusaurus/${m}`),
    ),
  },
  {
    framework: 'ember',
    provider: 'ember-source',
    prefixes: [],
    scope: '@ember/',
    known: new Set(
      [
        'application',
        'array',
        'component',
        'controller',
        'debug',
        'destroyable',
        'engine',
        'helper',
        'instrumentation',
        'modifier',
        'object',
        'owner',
        'routing',
        'runloop',
        'service',
        'template',
        'template-compilation',
        'template-factory',
        'test',
        'utils',
        'version',
      ].map((m) => `@ember/${m}`),
    ),
  },
];

/** Whether an import names a module the framework's build provides (`lockHas`: the lockfile installs it). */
export function isFrameworkModule(
  framework: FrameworkModules,
  specifier: string,
  name: string,
  lockHas: ((name: string) => boolean) | undefined,
): boolean {
  if (framework.prefixes.some((prefix) => specifier.startsWith(prefix))) return true;
  if (!name.startsWith(framework.scope)) return false;
  return lockHas ? !lockHas(name) : framework.known.has(name);
}
