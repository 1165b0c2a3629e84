import { isMissingEvidence, SKIP_REASONS } from '../model/result.js';
import type { Severity } from '../model/severity.js';
import { plain } from './escape.js';
import type { Reporter } from './types.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/**
 * A workflow command's message: `%`, CR and LF are escaped as the runner reads them back, so nothing in it can
 * start another command; other control characters are shown as escapes (the log renders ANSI sequences).
 */
function data(text: string): string {
  return plain(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `:` and `,`, which end a value. */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: string, props: Record<string, string | number | undefined>, message: string): string {
  const list = Object.entries(props)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${property(String(value))}`)
    .join(',');
  return `::${name}${list ? ` ${list}` : ''}::${data(message)}`;
}

/**
 * GitHub Actions workflow commands: one annotation per finding at its file and line (critical and high are
 * errors, medium warnings, low and info notices), one error per file that could not be read or manifest not
 * read, a warning per expired or invalid suppression (a notice for a stale one), and a notice with what could
 * not be checked. Written to standard output inside a workflow step.
 */
export const githubReporter: Reporter = (result) => {
  const lines: string[] = [];
  for (const finding of result.findings) {
    const name = finding.version ? `${finding.name}@${finding.version}` : finding.name;
    lines.push(
      command(
        COMMAND[finding.severity],
        {
          file: finding.location.file,
          line: finding.location.line,
          col: finding.location.line !== undefined ? finding.location.column : undefined,
          title: `Vouch ${finding.kind}: ${finding.ecosystem} ${name} (${finding.severity})`,
        },
        finding.message,
      ),
    );
  }
  for (const error of result.errors)
    lines.push(
      command('error', { file: error.file, line: error.line, title: 'Vouch: file not read' }, error.message),
    );
  for (const skipped of result.skipped.filter(isMissingEvidence))
    lines.push(
      command(
        'error',
        { file: skipped.file, title: 'Vouch: file not read' },
        `${skipped.kind ?? 'file'} not read: ${skipped.detail ?? SKIP_REASONS[skipped.reason]}`,
      ),
    );
  // Expired and invalid suppressions change what the gate sees; a stale one only needs tidying.
  for (const status of result.suppressions ?? [])
    if (status.status !== 'applied')
      lines.push(
        command(
          status.status === 'stale' ? 'notice' : 'warning',
          { title: `Vouch: ${status.status} suppression` },
          `${status.where}: ${status.matches}${status.problem ? `: ${status.problem}` : ''}${status.status === 'expired' ? ` (expired on ${status.until}; ${status.matched} finding(s) reported again)` : ''}`,
        ),
      );
  for (const warning of result.warnings ?? []) lines.push(command('warning', { title: 'Vouch' }, warning));
  lines.push(command('notice', { title: 'Vouch' }, result.notChecked.summary));
  return `${lines.join('\n')}\n`;
};
