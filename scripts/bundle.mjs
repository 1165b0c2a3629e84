// `npm run bundle`: the command line as one module, dist/vouch.js, which bin/vouch.js loads. One file
// instead of a few hundred, with the small pure-JavaScript dependencies it loads at start-up (commander,
// ignore, jsonc-parser, picocolors, ini, yauzl) inside it: start-up is most of the time of a small scan.
// Packages with native code or WebAssembly files stay outside, and so does every package the code loads
// on first use (core/lazy.ts requires them at run time, by name).
import { build } from 'esbuild';

await build({
  entryPoints: { vouch: 'src/cli/main.ts' },
  outdir: 'dist',
  // The surfaces (`vouch mcp`, `hook`, `guard`, `proxy`) are chunks of their own, loaded when their command
  // runs: `vouch scan` never parses the MCP SDK or zod.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // ESM builds where a package has one (jsonc-parser's UMD build requires its own files by relative path).
  mainFields: ['module', 'main'],
  // yaml and smol-toml are imported only where a file needs them: inside, they would be parsed at every start.
  external: [
    'better-sqlite3',
    'oxc-parser',
    'web-tree-sitter',
    'tree-sitter-*',
    'undici',
    'npm-high-impact',
    'yaml',
    'smol-toml',
    '@modelcontextprotocol/sdk',
    'zod',
  ],
  // The CommonJS packages inside call require() for Node's own modules.
  banner: {
    js: "import { createRequire as vouchCreateRequire } from 'node:module';\nconst require = vouchCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
