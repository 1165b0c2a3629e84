import { createRequire } from 'node:module';
import type { Language, Parser } from 'web-tree-sitter';
import { lazy } from '../core/lazy.js';

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
