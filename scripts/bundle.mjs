// Build step: the shipped CLI, bundled by esbuild into dist/bin/ (package.json's bin names
// dist/bin/pbxplan.js). Run after scripts/generate-assets.ts (the bundle includes src/generated/).
//
// - pbxplan.js and its chunks (ES modules, split): start-up — the command table, help, argument
//   parsing, the version. `--help`, `--version` and a usage error load nothing more.
// - chunks/<group>.cjs: the commands' code and the library under it, one CommonJS file per group
//   of commands, loaded when one of its commands runs (src/cli/cached-load.ts) and compiled with
//   V8's code cache (chunks/<group>.cjs.cache, written below by a training run of the group's
//   hot command). Each `import('./<name>.run.js')` of the command table becomes a load of its group.
//   The `check` group never holds the archive or verify code (test/architecture.test.ts).
// - meta.json: esbuild's metafiles of all of it ({ entry, groups }), read by the architecture test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bin');
const COMMANDS_DIR = join(ROOT, 'src', 'cli', 'commands');

/** Which commands share a file: those that write or read bundles apart, so validate loads none of that. */
export const GROUPS = {
  check: ['validate', 'plan', 'artifacts', 'diff', 'explain', 'schema', 'init', 'completion', 'trace'],
  bundle: ['compile', 'verify', 'inventory'],
};
/** The command each group's code cache is trained with (its hot path), run from ROOT. */
const TRAINING = {
  check: () => ['validate', 'examples/cluster.yaml', '--today', '2026-01-01'],
  bundle: (tmp) => ['compile', 'examples/cluster.yaml', '--today', '2026-01-01', '-o', join(tmp, 'out')],
};
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
      contents: `import { loadGroup } from './cached-load.ts';
const load = () => loadGroup(${JSON.stringify(groupOf(args.path))})[${JSON.stringify(args.path)}]();
export const run = (ctx) => load().then((m) => m.run(ctx));
export const completes = () => load().then((m) => m.completes());
`,
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
    plugins: [sharedPlugin],
  });
  meta.groups[group] = r.metafile;
}
const entry = await build({
  ...COMMON,
  entryPoints: { pbxplan: 'src/cli/main.ts' },
  outdir: OUT,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  // The CommonJS the entry may pull in calls require(); an ES module has none, so it makes one.
  banner: { js: "import { createRequire as __pbxplanRequire } from 'node:module';\nconst require = __pbxplanRequire(import.meta.url);" },
  plugins: [groupsPlugin],
});
meta.entry = entry.metafile;
// cached-load.ts finds the groups beside itself: it must be in chunks/.
const loader = Object.entries(entry.metafile.outputs).find(([, o]) => Object.keys(o.inputs).includes('src/cli/cached-load.ts'));
if (!loader || !loader[0].startsWith('dist/bin/chunks/')) throw new Error('src/cli/cached-load.ts is not bundled into dist/bin/chunks/');
writeFileSync(join(OUT, 'meta.json'), JSON.stringify(meta) + '\n');

// Training: run each group's hot command once and keep V8's code cache of what it compiled.
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-bundle-'));
try {
  for (const [group, args] of Object.entries(TRAINING)) {
    const r = spawnSync(process.execPath, [join(OUT, 'pbxplan.js'), ...args(tmp)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PBXPLAN_WRITE_CODE_CACHE: '1' } });
    if (r.status !== 0) throw new Error(`training run of the ${group} group failed (exit ${r.status}): ${r.stderr}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
