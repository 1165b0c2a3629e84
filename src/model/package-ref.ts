import type { Ecosystem } from './ecosystem.js';
import type { Location } from './location.js';

/** How a package reference was found; the text is what reporters show. */
export const REF_SOURCES = {
  declared: 'declared in a manifest',
  locked: 'locked in a lockfile',
  imported: 'imported in source',
  installed: 'named in an install command',
  executed: 'executed with npx & co',
} as const;
export type RefSource = keyof typeof REF_SOURCES;

/** Where a package comes from when it is not the ecosystem's registry. */
export type RefOrigin = 'registry' | 'git' | 'url' | 'path' | 'workspace';

/** One mention of a package in one input: the unit every later stage works on. */
export interface PackageRef {
  ecosystem: Ecosystem;
  /** The registry name (for an import: the package or distribution the import maps to). */
  name: string;
  /** An exact version: pinned, locked, or named as `name@1.2.3` / `name==1.2.3`. */
  version?: string;
  /** The requirement as written when it is not one exact version: `^4.17.0`, `>=2,<3`, `latest`. */
  spec?: string;
  source: RefSource;
  /** Id of the extractor that produced it, e.g. `npm/package-lock`. */
  extractor: string;
  location: Location;
  /** Dependency groups: `dev`, `optional`, `peer`, or a named extra/group. Absent or empty: production. */
  groups?: string[];
  origin?: RefOrigin;
  /** For git/url/path origins: where it comes from. */
  url?: string;
  commit?: string;
  /** The import specifier or module exactly as the source wrote it. */
  importName?: string;
  /** `import type`: needed at compile time only. */
  typeOnly?: boolean;
  /** Imported inside try/except ImportError (or similar): the code copes without it. */
  optional?: boolean;
  /** The name was guessed (an import with no known mapping to a distribution). */
  inferred?: boolean;
  /** Other packages that provide the same import (psycopg2-binary for psycopg2): any one declared will do. */
  alternatives?: string[];
  /**
   * An import its own manifest does not declare but an enclosing one does (this manifest file): it loads
   * through the node_modules folder above (npm/yarn hoisting), which the package's own users do not have.
   */
  declaredByEnclosing?: string;
  /** The alias under which it was installed (`npm i foo@npm:bar` → alias `foo`). */
  alias?: string;
  /**
   * Self-contained documents (an assistant's answer) form their own scope: their install commands and
   * manifest snippets are the declarations for their own code. Unset for files of a repository.
   */
  scope?: string;
}
