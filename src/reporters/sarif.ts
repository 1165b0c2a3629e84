import { FINDING_KIND_IDS, FINDING_KINDS, type Finding } from '../model/finding.js';
import { isMissingEvidence, SKIP_REASONS, type Suppression } from '../model/result.js';
import type { Severity } from '../model/severity.js';
import type { Reporter } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning ranks security results by this number (CVSS-like, as a string). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

function artifactUri(file: string): string {
  return encodeURI(file).replace(/#/g, '%23').replace(/\?/g, '%3F');
}

/** SARIF 2.1.0: one rule per finding kind, one result per finding, per-file errors as notifications. */
export const sarifReporter: Reporter = (result) => {
  const rules = FINDING_KIND_IDS.map((id) => {
    const kind = FINDING_KINDS[id];
    return {
      id,
      name: kind.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) =>
        c ? c.toUpperCase() : '',
      ),
      shortDescription: { text: kind.title },
      fullDescription: { text: kind.help },
      help: { text: kind.help },
      defaultConfiguration: { level: LEVEL[kind.severity] },
      properties: {
        tags: ['security', 'supply-chain'],
        'security-severity': SECURITY_SEVERITY[kind.severity],
      },
    };
  });
  const entries: { finding: Finding; by?: Suppression }[] = [
    ...result.findings.map((finding) => ({ finding })),
    ...(result.ignored ?? []).map((finding) => ({ finding, by: finding.ignoredBy })),
  ];
  const results = entries.map(({ finding, by }) => {
    const region: Record<string, number> = {};
    if (finding.location.line !== undefined) region.startLine = finding.location.line;
    if (finding.location.line !== undefined && finding.location.column !== undefined) {
      region.startColumn = finding.location.column;
    }
    return {
      ruleId: finding.kind,
      ruleIndex: FINDING_KIND_IDS.indexOf(finding.kind),
      level: LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(finding.location.file), uriBaseId: '%SRCROOT%' },
            ...(Object.keys(region).length > 0 ? { region } : {}),
          },
        },
      ],
      partialFingerprints: {
        'vouch/v1': [
          finding.kind,
          finding.ecosystem,
          finding.name,
          finding.version ?? '',
          finding.location.file,
        ].join('|'),
      },
      properties: {
        severity: finding.severity,
        'security-severity': SECURITY_SEVERITY[finding.severity],
        ecosystem: finding.ecosystem,
        package: finding.name,
        ...(finding.version !== undefined ? { version: finding.version } : {}),
        ...(finding.inferred ? { inferred: true } : {}),
        ...(finding.evidence ? { evidence: finding.evidence } : {}),
      },
      // An accepted finding is a result with a suppression: code scanning shows it as dismissed.
      ...(by
        ? {
            suppressions: [
              {
                kind: by.source === 'inline' ? 'inSource' : 'external',
                status: 'accepted',
                justification: by.reason,
                properties: {
                  where: by.where,
                  ...(by.until !== undefined ? { until: by.until } : {}),
                },
              },
            ],
          }
        : {}),
    };
  });
  const skipped = result.skipped.map((entry) => ({
    level: isMissingEvidence(entry) ? ('error' as const) : ('note' as const),
    message: { text: `not read: ${SKIP_REASONS[entry.reason]}` },
    locations: [
      { physicalLocation: { artifactLocation: { uri: artifactUri(entry.file), uriBaseId: '%SRCROOT%' } } },
    ],
  }));
  const errors = result.errors.map((error) => ({
    level: 'error' as const,
    message: { text: error.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(error.file), uriBaseId: '%SRCROOT%' },
          ...(error.line !== undefined ? { region: { startLine: error.line } } : {}),
        },
      },
    ],
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Vouch',
            version: result.tool.version,
            semanticVersion: result.tool.version,
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: [...errors, ...skipped] }],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
