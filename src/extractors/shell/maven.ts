import { mavenVersionTarget, parseCoordinate } from '../maven/coordinates.js';
import { commandName, type Resolver, type ShellPackage } from './args.js';

/** `dependency:get`, or the plugin named in full: `org.apache.maven.plugins:maven-dependency-plugin:3.6.0:get`. */
const GET_GOAL = /^(?:dependency|(?:[\w.-]+:)?maven-dependency-plugin(?::[\w.-]+)?):get$/;

/**
 * `mvn dependency:get -Dartifact=group:artifact:version[:packaging[:classifier]]` (also the older
 * `-DgroupId= -DartifactId= -Dversion=` form): downloads the artifact into the local repository (group
 * `global`). Other goals build the project from its pom.xml, which is read on its own.
 */
export const resolveMaven: Resolver = (words) => {
  const [head, ...args] = words;
  if (!head || !['mvn', 'mvnw'].includes(commandName(head.value))) return [];
  if (!args.some((word) => GET_GOAL.test(word.value))) return [];
  const properties = new Map<string, (typeof args)[number]>();
  for (const word of args) {
    const property = /^-D([\w.]+)=(.*)$/.exec(word.value);
    if (property) properties.set(property[1]!, { ...word, value: property[2]! });
  }
  const artifact = properties.get('artifact');
  const text = artifact
    ? artifact.value
    : [
        properties.get('groupId')?.value,
        properties.get('artifactId')?.value,
        properties.get('version')?.value,
      ]
        .filter((part) => part !== undefined)
        .join(':');
  const word = artifact ?? properties.get('artifactId');
  const coordinate = parseCoordinate(text, 'maven');
  if (!coordinate || !word || word.dynamic) return [];
  const pkg: ShellPackage = {
    ecosystem: 'Maven',
    name: `${coordinate.group}:${coordinate.artifact}`,
    ...(coordinate.version === undefined ? {} : mavenVersionTarget(coordinate.version)),
    origin: 'registry',
    source: 'installed',
    groups: ['global'],
    word,
  };
  return [pkg];
};
