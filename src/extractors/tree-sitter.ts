import { createRequire } from 'node:module';
import type { Language, Node, Parser } from 'web-tree-sitter';
import { lazy } from '../core/lazy.js';
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
      const error = firstSyntaxError(tree.rootNode, text);
      if (error) result.errors.push(error);
      collect(tree.rootNode, result);
    } finally {
      tree.delete();
    }
    return result;
  }
}
