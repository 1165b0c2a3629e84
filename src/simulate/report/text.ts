/** CSV for spreadsheets; the shared escaping of untrusted text is `reporters/escape.ts`. */
import { plain } from '../../reporters/escape.js';

/**
 * A CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a field a spreadsheet would
 * run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading apostrophe, as OWASP
 * advises, unless it is a number.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = plain(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
