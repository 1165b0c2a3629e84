/** What a Maven or Gradle version string says: one exact version, or a requirement kept as written. */
export interface MavenVersionTarget {
  version?: string;
  spec?: string;
}

/**
 * Maven reads a plain version (`1.2.3`) as the version to use (a "soft" requirement that only conflict
 * mediation overrides) and `[1.2.3]` as that version exactly; ranges (`[1.0,2.0)`, `(,1.0]`), the
 * LATEST/RELEASE meta versions, Gradle's dynamic forms (`1.+`, `latest.release`, `]1.0,2.0[`) and anything
 * still holding `${…}` or `$name` are requirements. Gradle's strict shorthand `1.2.3!!` is the version.
 */
export function mavenVersionTarget(written: string): MavenVersionTarget {
  const text = written.trim();
  if (text === '') return {};
  const hard = /^\[([^,[\]()]+)\]$/.exec(text);
  if (hard) return { version: hard[1]!.trim() };
  const strict = /^([^,[\]()!]+)!!$/.exec(text);
  if (strict) return { version: strict[1]!.trim() };
  if (
    /^[[\]()]/.test(text) ||
    /[,+*$\s]/.test(text) ||
    /^(?:LATEST|RELEASE)$/.test(text) ||
    /^latest\./.test(text)
  ) {
    return { spec: text };
  }
  return { version: text };
}

/** A `group:artifact[:version[:classifier]][@extension]` string as Gradle and `mvn -Dartifact` write it. */
export interface Coordinate {
  group: string;
  artifact: string;
  version?: string;
}

/**
 * Splits a Gradle dependency notation. `mvn dependency:get -Dartifact=` uses
 * `group:artifact:version[:packaging[:classifier]]`; Gradle uses `group:artifact:version[:classifier]`;
 * both accept `@extension` at the end. Undefined unless group and artifact are both there.
 */
export function parseCoordinate(text: string, order: 'gradle' | 'maven' = 'gradle'): Coordinate | undefined {
  const at = text.indexOf('@');
  const parts = (at === -1 ? text : text.slice(0, at)).split(':');
  if (parts.length < 2 || parts.length > (order === 'maven' ? 5 : 4)) return undefined;
  const [group, artifact, version] = parts.map((part) => part.trim());
  if (!group || !artifact || /\s/.test(group + artifact)) return undefined;
  return version ? { group, artifact, version } : { group, artifact };
}
