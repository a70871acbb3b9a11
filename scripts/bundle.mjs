// Build step: the shipped CLI, bundled by esbuild from src/cli/main.ts into dist/bin/ (what
// package.json's bin names). One ES module for start-up (the command table, help, argument
// parsing) plus chunks: each command's code (commands/<name>.run.ts) is a dynamic import, so it
// and the library code only it needs are loaded when that command runs. The metafile
// (dist/bin/meta.json) records which chunk holds which module; test/architecture.test.ts reads it.
// Run after scripts/generate-assets.ts (the bundle includes src/generated/).
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bin');

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { pbxplan: 'src/cli/main.ts' },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Same names every build (no content hashes), so the output is reproducible and readable.
  chunkNames: 'chunks/[name]-[hash]',
  // The CommonJS packages (Handlebars' runtime, ajv's runtime, semver, tar-stream) call require()
  // for Node's built-ins; an ES module has none, so each output file makes one.
  banner: { js: "import { createRequire as __pbxplanRequire } from 'node:module';\nconst require = __pbxplanRequire(import.meta.url);" },
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(join(OUT, 'meta.json'), JSON.stringify(result.metafile, null, 1) + '\n');
