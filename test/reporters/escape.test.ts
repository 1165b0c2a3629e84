import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, oneLine, plain } from '../../src/reporters/escape.js';

describe('escape', () => {
  it('plain: controls, DEL, C1 and bidi marks are shown as escapes, not acted on; tab and line feed stay', () => {
    expect(plain('a\x1b[2Jb\x1b]0;title\x07c\rd\u009be\u202ef\u200fg\th\ni\x7f')).toBe(
      'a\\x1b[2Jb\\x1b]0;title\\x07c\\x0dd\\x9be\\u202ef\\u200fg\th\ni\\x7f',
    );
    expect(plain('left-pad@1.3.0 — “ok” ✓')).toBe('left-pad@1.3.0 — “ok” ✓');
  });

  it('oneLine: line breaks become spaces, a lone carriage return (which overwrites a line) shows', () => {
    expect(oneLine('one\ntwo\r\nthree\rfour')).toBe('one two three\\x0dfour');
  });

  it('escapeMarkdown escapes what starts markup; escapeHtml what HTML reads', () => {
    expect(escapeMarkdown('[x](javascript:alert(1)) <img src=x> *a* _b_ `c` a|b &amp; ~d~ \\')).toBe(
      '\\[x\\](javascript:alert(1)) \\<img src=x\\> \\*a\\* \\_b\\_ \\`c\\` a\\|b \\&amp; \\~d\\~ \\\\',
    );
    expect(escapeHtml(`<a href="x" onclick='y'>&\x1b`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;\\x1b',
    );
  });
});
