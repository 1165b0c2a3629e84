/**
 * A small stored run, written out sample by sample, for the reporters: two models, three scenarios, four
 * samples each, with known packages, versions and findings (on the lines of the answer made from them), a
 * failed sample, a hostile package name and answer text, and a package the registry could not be asked about.
 */
import type { AnalysedFinding, AnalysedPackage, SampleAnalysis } from '../../src/simulate/analysis.js';
import type { RunPlan, SampleRecord } from '../../src/simulate/store.js';
import { SCENARIOS } from './helpers.js';

const ALL_CHECKS = [
  'undeclared',
  'vulnerable',
  'malicious',
  'nonexistent',
  'unknown-version',
  'outdated',
  'undisclosed-risk',
];

function pkg(name: string, versions: string[] = [], ecosystem: 'npm' | 'PyPI' = 'npm'): AnalysedPackage {
  return { ecosystem, name, versions, existenceChecked: true };
}

function finding(
  kind: AnalysedFinding['kind'],
  name: string,
  ecosystem: 'npm' | 'PyPI' = 'npm',
  extra: Partial<AnalysedFinding> = {},
): AnalysedFinding {
  return { kind, severity: 'high', ecosystem, name, message: `${name}: ${kind}`, ...extra };
}

export function analysis(packages: AnalysedPackage[], findings: AnalysedFinding[] = []): SampleAnalysis {
  return { packages, findings, checks: ALL_CHECKS, errors: [] };
}

/** Answers per scenario and model, one per sample. */
const ANSWERS: Record<string, Record<string, SampleAnalysis[]>> = {
  xml: {
    'openai:a': [
      analysis(
        [pkg('xml2js', ['0.4.19'])],
        [
          finding('vulnerable', 'xml2js', 'npm', { version: '0.4.19' }),
          finding('undisclosed-risk', 'xml2js', 'npm', { version: '0.4.19', risks: ['vulnerable'] }),
        ],
      ),
      analysis([pkg('xml2js', ['0.4.23'])]),
      analysis([pkg('fast-xml-parser', ['^4.0.0'])]),
      analysis(
        [pkg('xml2js', ['0.4.19']), pkg('xml-magic-parse')],
        [finding('nonexistent', 'xml-magic-parse')],
      ),
    ],
    'ollama:b': [
      analysis(
        [pkg('libxmljs', ['0.19.7'])],
        [finding('vulnerable', 'libxmljs', 'npm', { version: '0.19.7' })],
      ),
      analysis([pkg('libxmljs')]),
      analysis(
        // A model's text is data: markup and terminal escapes in a name or version must not act in a report.
        [pkg('<script>alert(1)</script>', ['[x](javascript:alert(1))\x1b]0;pwned\x07\r'])],
        [finding('nonexistent', '<script>alert(1)</script>')],
      ),
      analysis([pkg('xml2js')]),
    ],
  },
  jwt: {
    'openai:a': [
      // Vulnerable, but the answer says so: a disclosed risk, as runs stored before `disclosed-risk` had its
      // own kind recorded it (the end-to-end test covers the new kind).
      analysis(
        [pkg('jsonwebtoken', ['8.5.1']), pkg('express')],
        [
          finding('vulnerable', 'jsonwebtoken', 'npm', { version: '8.5.1' }),
          finding('undisclosed-risk', 'jsonwebtoken', 'npm', {
            severity: 'info',
            disclosed: true,
            risks: ['vulnerable'],
          }),
        ],
      ),
      analysis([pkg('jsonwebtoken', ['9.0.2']), pkg('express')]),
      analysis([pkg('jsonwebtoken', ['9.0.2']), pkg('express')]),
      analysis([pkg('jose'), pkg('express')], [finding('undeclared', 'express')]),
    ],
    'ollama:b': [
      analysis(
        [pkg('jsonwebtoken'), pkg('express-jwt-auth-helper')],
        [finding('nonexistent', 'express-jwt-auth-helper')],
      ),
      {
        ...analysis([pkg('jsonwebtoken'), { ...pkg('jwt-tools-x'), existenceChecked: false }]),
        incomplete: ['nonexistent', 'unknown-version', 'outdated', 'undisclosed-risk'],
        unchecked: [
          {
            check: 'registry',
            ecosystem: 'npm',
            name: 'jwt-tools-x',
            reason: 'registry unreachable (HTTP 503)',
          },
        ],
      },
      analysis([pkg('jsonwebtoken')]),
      analysis([]),
    ],
  },
  yaml: {
    'openai:a': [
      analysis(
        [pkg('pyyaml', ['5.3'], 'PyPI')],
        [
          finding('vulnerable', 'pyyaml', 'PyPI', { version: '5.3' }),
          finding('outdated', 'pyyaml', 'PyPI', { version: '5.3', severity: 'low' }),
          finding('undisclosed-risk', 'pyyaml', 'PyPI', { risks: ['vulnerable', 'outdated'] }),
        ],
      ),
      analysis([pkg('pyyaml', ['6.0.1'], 'PyPI')]),
      analysis([pkg('ruamel.yaml', [], 'PyPI')]),
      analysis([pkg('pyyaml', ['6.0.1'], 'PyPI')]),
    ],
    'ollama:b': [
      analysis(
        [pkg('pyyaml', ['5.1'], 'PyPI')],
        [
          finding('outdated', 'pyyaml', 'PyPI', { version: '5.1', severity: 'low' }),
          finding('undisclosed-risk', 'pyyaml', 'PyPI', { version: '5.1', risks: ['outdated'] }),
        ],
      ),
      analysis([pkg('pyyaml', ['5.4'], 'PyPI')]),
      analysis([pkg('yaml-loader-pro', [], 'PyPI')], [finding('malicious', 'yaml-loader-pro', 'PyPI')]),
    ],
  },
};

/**
 * An answer that names its packages one per line, from line 3: each finding is on its package's line. One
 * answer carries a terminal escape and markup, which every report must neutralise.
 */
function answerText(request: string, answer: SampleAnalysis): string {
  const lines = [`Answer to: ${request}`, ''];
  answer.packages.forEach((p, i) => {
    lines.push(`npm install ${p.name}${p.versions[0] ? `@${p.versions[0]}` : ''}`);
    for (const f of answer.findings) if (f.name === p.name) f.line = i + 3;
  });
  if (answer.packages.some((p) => p.name.startsWith('<script>')))
    lines.push('\x1b[31mred\x1b[0m <img src=x onerror=alert(2)>');
  return lines.join('\n');
}

export function sampleRun(): { plan: RunPlan; samples: SampleRecord[] } {
  const plan: RunPlan = {
    scenarios: SCENARIOS,
    models: ['openai:a', 'ollama:b'],
    temperatures: [null],
    samples: 4,
    providerTypes: { openai: 'openai', ollama: 'ollama' },
  };
  const samples: SampleRecord[] = [];
  for (const scenario of SCENARIOS)
    for (const model of plan.models)
      for (let sample = 0; sample < plan.samples; sample++) {
        const base = {
          scenario: scenario.id,
          model,
          temperature: null,
          sample,
          prompt: { user: scenario.request },
          params: { stream: false },
          startedAt: '2026-01-01T00:00:00.000Z',
          attempts: 1,
        };
        const answer = ANSWERS[scenario.id]?.[model]?.[sample];
        if (!answer) {
          samples.push({
            ...base,
            status: 'failed',
            error: 'HTTP 500: overloaded (after 4 attempts)',
            attempts: 4,
          });
          continue;
        }
        samples.push({
          ...base,
          status: 'ok',
          text: answerText(scenario.request, answer),
          latencyMs: 100,
          inputTokens: 10,
          outputTokens: 20,
          ...(model === 'openai:a' ? { cost: 0.001 } : {}),
          analysis: answer,
        });
      }
  return { plan, samples };
}
