// Build step: the shipped CLI, bundled by esbuild into dist/bin/ (package.json's bin names
// dist/bin/pbxplan.js). Run after scripts/generate-assets.ts (the bundle includes src/generated/).
//
// - pbxplan.js (one CommonJS file; dist/bin/package.json makes .js CommonJS): start-up — the
//   command table, help, argument parsing, the version. `--help`, `--version` and a usage error
//   load nothing more.
// - chunks/<group>.cjs: the commands' code and the library under it, one CommonJS file per group
//   of commands, loaded when one of its commands runs (src/cli/cached-load.ts) and compiled with
//   V8's code cache (chunks/<group>.cjs.cache, written below by a training process that runs the
//   group's hot command lines). Each `import('./<name>.run.js')` of the command table becomes a
//   load of its group. The group validate runs in never holds the archive or verify code
//   (test/architecture.test.ts).
// - meta.json: esbuild's metafiles of all of it ({ entry, groups }), read by the architecture test.
import { spawnSync } from 'node:child_process';
import { isAscii } from 'node:buffer';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bin');
const COMMANDS_DIR = join(ROOT, 'src', 'cli', 'commands');

/** Which commands share a file: those that write or read bundles apart, so validate loads none of that. */
export const GROUPS = {
  validate: ['validate'],
  check: ['plan', 'artifacts', 'diff', 'explain', 'schema', 'init', 'completion', 'trace'],
  bundle: ['compile', 'verify', 'inventory'],
};
/** The command lines each group's code cache is trained with (run from ROOT, in one process, so
 * that the cache holds every function they ran: templates of each topology, the diagnostics of a
 * spec with errors), and the exit codes they may end with. */
const SPECS = ['examples/cluster.yaml', 'fixtures/ha-onprem/spec.yaml', 'fixtures/ha-aws/spec.yaml', 'fixtures/standalone/spec.yaml'];
const TODAY = ['--today', '2026-01-01'];
const TRAINING = {
  validate: () => [...SPECS.map((s) => ({ argv: ['validate', s, ...TODAY], codes: [0] })), { argv: ['validate', 'fixtures/errors/aws_subnet_not_20/spec.yaml', ...TODAY], codes: [1] }],
  check: () => [{ argv: ['plan', 'examples/cluster.yaml', ...TODAY], codes: [0] }],
  bundle: (tmp) => SPECS.map((s, i) => ({ argv: ['compile', s, ...TODAY, '-o', join(tmp, `out${i}`)], codes: [0] })),
};
/** The training process: the bundled entry's main() over the command lines, output dropped. */
const TRAINER = `
const [runs, entry] = process.argv.slice(1);
const { main } = require(entry);
let said = '';
const io = { out() {}, err(s) { said += s; }, stderrIsTty: false, stdinIsTty: false, env: process.env, cwd: process.cwd() };
(async () => {
  for (const { argv, codes } of JSON.parse(runs)) {
    const code = await main(argv, io);
    if (!codes.includes(code)) throw new Error(\`\${argv.join(' ')} exited \${code}: \${said}\`);
  }
})().catch((e) => { console.error(e.message); process.exit(1); });
`;
/** The modules whose one instance the groups borrow from the entry (src/cli/cached-load.ts). */
const SHARED = { errors: join(ROOT, 'src/cli/errors.ts'), cleanup: join(ROOT, 'src/cli/io/cleanup.ts'), terminal: join(ROOT, 'src/cli/io/terminal.ts') };

const groupOf = (command) => Object.keys(GROUPS).find((g) => GROUPS[g].includes(command));
const COMMON = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // Less to parse at every start (the cost that dominates a short run). PBXPLAN_NO_MINIFY=1 for profiling.
  minify: !process.env.PBXPLAN_NO_MINIFY,
  charset: 'ascii', // esbuild's default, stated: src/cli/cached-load.ts reads the groups as latin1
};

/** In a group, an import of a shared module is the entry's instance (require('pbxplan-shared:NAME')). */
const sharedPlugin = {
  name: 'pbxplan-shared',
  setup(b) {
    b.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData === 'inner') return undefined;
      const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'inner' });
      const name = Object.keys(SHARED).find((k) => SHARED[k] === r.path);
      return name ? { path: `pbxplan-shared:${name}`, external: true } : r;
    });
  },
};

/** In the entry, `import('./<name>.run.js')` is the command in its group. */
const groupsPlugin = {
  name: 'pbxplan-groups',
  setup(b) {
    b.onResolve({ filter: /\.run\.js$/ }, (args) => {
      if (args.resolveDir !== COMMANDS_DIR) return undefined;
      const command = /([a-z-]+)\.run\.js$/.exec(args.path)[1];
      if (!groupOf(command)) throw new Error(`command ${command} is in no group of scripts/bundle.mjs`);
      return { path: command, namespace: 'pbxplan-run' };
    });
    b.onLoad({ filter: /.*/, namespace: 'pbxplan-run' }, (args) => ({
      resolveDir: join(ROOT, 'src', 'cli'),
      loader: 'js',
      // Imported when a command runs, so that --help never loads node:crypto and node:vm.
      contents: `const load = () => import('./cached-load.ts').then(({ loadGroup }) => loadGroup(${JSON.stringify(groupOf(args.path))})[${JSON.stringify(args.path)}]());
export const run = (ctx) => load().then((m) => m.run(ctx));
export const completes = () => load().then((m) => m.completes());
`,
    }));
  },
};

/** The group validate runs in checks a spec and renders nothing (a check-only toolchain,
 * src/toolchain.ts): the precompiled templates, half of its bytes otherwise, stay out, and a load
 * of them there fails by name. */
const NO_TEMPLATES = ['validate'];
const noTemplatesPlugin = {
  name: 'pbxplan-no-templates',
  setup(b) {
    b.onResolve({ filter: /(^|\/)template-assets\.js$/ }, () => ({ path: 'template-assets', namespace: 'pbxplan-no-templates' }));
    b.onLoad({ filter: /.*/, namespace: 'pbxplan-no-templates' }, () => ({
      loader: 'js',
      contents: "export function builtTemplates() { throw new Error('this command renders nothing: its group of the bundled CLI holds no templates (scripts/bundle.mjs)'); }\n",
    }));
  },
};

rmSync(OUT, { recursive: true, force: true });
const meta = { entry: null, groups: {} };
for (const [group, commands] of Object.entries(GROUPS)) {
  const r = await build({
    ...COMMON,
    stdin: { contents: `export const commands = {\n${commands.map((c) => `  ${JSON.stringify(c)}: () => import('./${c}.run.ts'),`).join('\n')}\n};\n`, resolveDir: COMMANDS_DIR, sourcefile: `${group}-group.js`, loader: 'js' },
    outfile: join(OUT, 'chunks', `${group}.cjs`),
    format: 'cjs',
    plugins: NO_TEMPLATES.includes(group) ? [sharedPlugin, noTemplatesPlugin] : [sharedPlugin],
  });
  meta.groups[group] = r.metafile;
}
const entry = await build({
  ...COMMON,
  entryPoints: { pbxplan: 'src/cli/main.ts' },
  outdir: OUT,
  // One CommonJS file: Node's ES module loader costs a start-up several milliseconds more than
  // require (resolving and linking each chunk, a facade for each builtin it imports), and the
  // commands' code is loaded apart anyway (the groups). dist/bin/package.json makes .js CommonJS.
  format: 'cjs',
  define: { 'import.meta.url': '__pbxplanEntryUrl' },
  banner: { js: "const __pbxplanEntryUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [groupsPlugin],
});
writeFileSync(join(OUT, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
// The code cache's loader reads ASCII groups as latin1, the fast way (src/cli/cached-load.ts);
// minified output must be ASCII (unminified, for profiling, keeps the comments' UTF-8).
const shipped = [...Object.keys(entry.metafile.outputs), ...Object.values(meta.groups).flatMap((m) => Object.keys(m.outputs))];
for (const file of COMMON.minify ? shipped : []) {
  if (file.endsWith('.js') || file.endsWith('.cjs')) {
    if (!isAscii(readFileSync(join(ROOT, file)))) throw new Error(`${file} is not ASCII (esbuild's charset option must stay ascii)`);
  }
}
meta.entry = entry.metafile;
writeFileSync(join(OUT, 'meta.json'), JSON.stringify(meta) + '\n');

// Training: run each group's command lines in one process and keep V8's code cache of what it compiled.
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-bundle-'));
try {
  for (const [group, runs] of Object.entries(TRAINING)) {
    const r = spawnSync(process.execPath, ['-e', TRAINER, JSON.stringify(runs(tmp)), join(OUT, 'pbxplan.js')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PBXPLAN_WRITE_CODE_CACHE: '1' } });
    if (r.status !== 0) throw new Error(`training run of the ${group} group failed (exit ${r.status}): ${r.stderr}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
