// `npm run bundle`: the command line as a few hundred kilobytes of modules under dist/ (vouch.js and
// dist/chunks/), which bin/vouch.js loads. Bundled rather than the few hundred files tsc writes: start-up is
// most of the time of a small scan and of every agent hook. Split by command: src/cli/main.ts imports each
// command's module when that command runs, and the library's heavy parts (the package checks, the manifest
// readers) are imported where they are first needed, so `vouch hook` for a command that installs nothing
// never compiles the scanner, the registries or the reporters. esbuild splits by file: a module that
// statically imports a barrel (src/index.ts) pulls in everything the barrel names, which is why the surfaces
// take each public name from its own module (test/architecture.test.ts holds them to index.ts's names).
// The small pure-JavaScript dependencies are inside; packages with native code or WebAssembly files stay
// outside, and so does every package the code loads on first use (core/lazy.ts requires them by name).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a hash: without this, every build would leave the previous chunks behind.
rmSync('dist/chunks', { recursive: true, force: true });

await build({
  entryPoints: { vouch: 'src/cli/main.ts' },
  outdir: 'dist',
  // Every import() is a chunk of its own, loaded when it runs: `vouch scan` never parses the MCP SDK or zod.
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
