import { createRequire } from 'node:module';
import type { Language, Node, Parser } from 'web-tree-sitter';
import { lazy } from '../core/lazy.js';
import type { ExtractError } from '../model/source.js';
import { firstSyntaxError } from './tree-sitter-errors.js';
import type { ExtractResult } from './types.js';

const treeSitter = lazy<typeof import('web-tree-sitter')>('web-tree-sitter');
const require = createRequire(import.meta.url);

let runtime: Promise<void> | undefined;
const parsers = new Map<string, Promise<Parser>>();

/**
 * A tree-sitter parser for one grammar, from the wasm file its npm package ships (e.g.
 * `tree-sitter-python/tree-sitter-python.wasm`). The runtime is initialised once per process (a second
 * `Parser.init()` would replace the module every loaded language is bound to); each grammar loads once.
 */
export function treeSitterParser(wasmModule: string): Promise<Parser> {
  let parser = parsers.get(wasmModule);
  if (!parser) {
    parser = (async () => {
      const { Parser: ParserClass, Language: LanguageClass } = treeSitter();
      runtime ??= ParserClass.init();
      await runtime;
      const language: Language = await LanguageClass.load(require.resolve(wasmModule));
      return new ParserClass().setLanguage(language);
    })();
    parsers.set(wasmModule, parser);
  }
  return parser;
}

/**
 * More tokens than this that the parser could not place, and a file is not read further: no source file
 * has that much it cannot parse, and walking such a region is where the time goes (JavaScript objects for
 * every token: 200 KB of `-` took 4 to 9 s in each grammar, on one line or on many).
 */
export const MAX_UNPLACED_NODES = 20_000;

/**
 * A tree not worth walking: more than MAX_UNPLACED_NODES nodes inside ERROR nodes, or, with an error, as
 * many nodes and more, one and a half per character (a run of operators that a grammar nests, `- - - …`,
 * makes two nodes per character and no ERROR node; real code has fewer than one). Counted by tree-sitter
 * itself, without walking the tree.
 */
function errorDenseTree(root: Node, text: string, language: string): ExtractError | undefined {
  if (!root.hasError) return undefined;
  let unplaced = 0;
  let first: Node | undefined;
  for (const error of root.descendantsOfType('ERROR')) {
    if (!error) continue;
    first ??= error;
    unplaced += error.descendantCount;
    if (unplaced > MAX_UNPLACED_NODES) break;
  }
  const dense = root.descendantCount > MAX_UNPLACED_NODES && root.descendantCount > 1.5 * text.length;
  if (unplaced <= MAX_UNPLACED_NODES && !dense) return undefined;
  const line = (first ?? root).startPosition.row + 1;
  const what = dense
    ? `${root.descendantCount.toLocaleString('en-US')} nodes for ${text.length.toLocaleString('en-US')} characters`
    : `more than ${MAX_UNPLACED_NODES.toLocaleString('en-US')} tokens the ${language} parser could not place`;
  return { line, message: `syntax error: ${what} (error-dense text, not ${language} source?): not read` };
}

/**
 * One grammar as an extractor uses it: loaded by the extractor's async `init()`, parsing in its synchronous
 * `extract()`.
 */
export class TreeSitterGrammar {
  private parser: Parser | undefined;

  /** `language` names the grammar in the error an extract before `load()` reports. */
  constructor(
    private readonly wasmModule: string,
    private readonly language: string,
  ) {}

  async load(): Promise<void> {
    this.parser ??= await treeSitterParser(this.wasmModule);
  }

  /**
   * A new result, filled by `collect` from the tree of `text`. The first syntax error is in `result.errors`
   * before `collect` runs, so that what stands around the break is still read; the tree is freed afterwards.
   */
  read(text: string, collect: (root: Node, result: ExtractResult) => void): ExtractResult {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const tree = this.parser?.parse(text);
    if (!tree) {
      result.errors.push({ line: 1, message: `the ${this.language} parser is not initialised` });
      return result;
    }
    try {
      const refusal = errorDenseTree(tree.rootNode, text, this.language);
      if (refusal) {
        result.errors.push(refusal);
        return result;
      }
      const error = firstSyntaxError(tree.rootNode, text);
      if (error) result.errors.push(error);
      collect(tree.rootNode, result);
    } finally {
      tree.delete();
    }
    return result;
  }
}
