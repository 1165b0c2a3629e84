// The oxc parse deadline (issue 11): JavaScript built to hide its syntax errors from oxc-budget's probe,
// read by the imports extractor at the sizes a scan reads (its time is bounded by the deadline, the file
// ends in a per-file error), beside ordinary code of the same size read the same way (the peer, in the
// same run); and oxc alone on 64 KB of the built text, which is what such a file cost before the deadline.
import { parseSync } from 'oxc-parser';
import { jsImports } from '../dist/extractors/npm/imports.js';
import { PIECE, parseDeadlineMs } from '../dist/extractors/oxc-budget.js';
import { fmt, interleaved, median, spread } from './lib.js';

/** As test/helpers.ts `probeHidingText`: every piece the probe reads alone starts with `)`. */
function crafted(size) {
  const line = `${'\\'.repeat(7_999)}\n`;
  const piece = (head) => {
    let text = head;
    while (text.length + line.length <= PIECE) text += line;
    return `${text}${'\\'.repeat(PIECE - text.length - 2)}f(\n`;
  };
  const lead = "import a from 'left-pad';\n";
  let text = `${lead}${' '.repeat(PIECE - lead.length - 2)}f(\n`;
  while (text.length < size) text += piece(')\n');
  return `${text})\n`;
}

function ordinary(size) {
  let text = '';
  for (let i = 0; text.length < size; i++)
    text += `import m${i} from 'pkg-${i % 50}';\nexport function f${i}(a, b) {\n  return m${i}(a) + b * ${i};\n}\n`;
  return text;
}

const extract = (text) => {
  const started = performance.now();
  const out = jsImports.extract({ path: 'src/app.js', text }, {});
  return { ms: performance.now() - started, out };
};

export async function run() {
  extract(ordinary(40_000)); // starts the helper process, once per scan
  const small = crafted(64 * 1024);
  const started = performance.now();
  const errors = parseSync('app.js', small, { lang: 'jsx' }).errors.length;
  const alone = performance.now() - started;
  const guarded = extract(small).ms;
  console.log(
    `oxc alone on 64 KB of the built text: ${fmt(alone / 1000, 2)} s (${errors.toLocaleString('en-US')} errors); ` +
      `the extractor with the deadline: ${fmt(guarded / 1000, 2)} s`,
  );
  for (const size of [256 * 1024, 1024 ** 2, 4 * 1024 ** 2, 10 * 1024 ** 2]) {
    const label = size < 1024 ** 2 ? `${size / 1024} KB` : `${size / 1024 ** 2} MB`;
    const text = crafted(size);
    const built = extract(text);
    const peer = ordinary(size);
    const { ordinary: times } = await interleaved({ ordinary: async () => extract(peer).ms });
    const message = built.out.errors[0]?.message ?? 'no error';
    console.log(
      `${label}: built ${fmt(built.ms / 1000, 2)} s (deadline ${fmt(parseDeadlineMs(text.length) / 1000, 2)} s; ` +
        `"${message}", imports read: ${built.out.refs.map((ref) => ref.name).join(', ') || 'none'}); ` +
        `ordinary code ${spread(times)}; built / ordinary ${fmt(built.ms / median(times), 1)}×`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
