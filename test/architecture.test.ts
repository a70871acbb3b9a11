// The layering rules of src/, asserted from the import graph of every shipped module (unit tests
// beside their module are not part of the graph), so that they stay true:
// - the CLI (src/cli/**) reaches the library only through its faces: startup.ts (every command
//   line), compiler.ts (a spec), bundles.ts (a written bundle) — never index.ts, which is all of them;
// - start-up (the command table) imports no compiler statically, validate no archive or verify
//   code, and the shipped bundle (dist/bin/meta.json) holds to the same;
// - no import cycle anywhere under src/;
// - targets (5-emit/<target>/) and the bundle phase (6-bundle/) never import the planner
//   (4-plan/) or another target; 5-emit/common/ is shared;
// - the pipeline (compile.ts, phases/**) never touches the file system.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { REPO } from './golden.js';

const SRC = join(REPO, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every module specifier a file imports or re-exports, static or dynamic; `typeOnly` for
 * `import type` / `export type`, which vanish at run time. */
export function specifiers(text: string): { spec: string; typeOnly: boolean; dynamic?: boolean }[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: { spec: string; typeOnly: boolean; dynamic?: boolean }[] = [];
  for (const m of code.matchAll(/\b(import|export)(\s+type\b)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g)) out.push({ spec: m[3]!, typeOnly: !!m[2] });
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) out.push({ spec: m[1]!, typeOnly: false });
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1]!, typeOnly: false, dynamic: true });
  return out;
}

interface Edge {
  from: string; // src-relative, e.g. "cli/main.ts"
  spec: string;
  typeOnly: boolean;
  /** import(): loaded when that code runs, not with the module. */
  dynamic?: boolean;
  to: string | null; // src-relative target for relative imports; null for packages and node:
}

function graph(): Edge[] {
  return sources(SRC).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8')).map(({ spec, typeOnly, dynamic }) => {
      const from = relative(SRC, file).split('\\').join('/');
      if (!spec.startsWith('.')) return { from, spec, typeOnly, dynamic, to: null };
      const to = relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))).split('\\').join('/');
      return { from, spec, typeOnly, dynamic, to };
    }),
  );
}

const EDGES = graph();

test('the import graph is read (sanity: it has the modules and edges it must have)', () => {
  assert.ok(EDGES.some((e) => e.from === 'compile.ts' && e.to === 'phases/4-plan/index.ts'));
  assert.ok(EDGES.some((e) => e.from.startsWith('cli/') && e.to === 'compiler.ts'));
  assert.ok(EDGES.some((e) => e.from === 'cli/commands/validate.ts' && e.dynamic && e.to === 'cli/commands/validate.run.ts'));
  assert.ok(EDGES.every((e) => e.to === null || !e.to.startsWith('..')), 'no import leaves src/');
});

const FACES = ['startup.ts', 'compiler.ts', 'bundles.ts'];

test('the CLI imports only the library faces (startup.ts, compiler.ts, bundles.ts), node: modules and its own files', () => {
  const bad = EDGES.filter((e) => e.from.startsWith('cli/')).filter((e) => !(e.spec.startsWith('node:') || FACES.includes(e.to ?? '') || (e.to !== null && e.to.startsWith('cli/'))));
  assert.deepEqual(bad.map((e) => `${e.from} imports ${e.spec}`), []);
});

/** Every module loaded with `from`: its static imports at run time, transitively (import() excluded). */
function loadedWith(from: string): Set<string> {
  const seen = new Set<string>();
  const visit = (m: string) => {
    if (seen.has(m)) return;
    seen.add(m);
    for (const e of EDGES) if (e.from === m && e.to && !e.typeOnly && !e.dynamic) visit(e.to);
  };
  visit(from);
  return seen;
}

test('start-up (main.ts and the command table) loads no compiler, schema or template: the code of each command is an import()', () => {
  const heavy = [...loadedWith('cli/main.ts')].filter((m) => m === 'index.ts' || m === 'compiler.ts' || m === 'bundles.ts' || m.startsWith('phases/') || m.startsWith('generated/') && m !== 'generated/version.ts' || m.endsWith('.run.ts'));
  assert.deepEqual(heavy, []);
});

/** What archives, reads or verifies a written bundle. */
const BUNDLE_CODE = /^(bundles\.ts|phases\/6-bundle\/(verify|read-archive|archive)\.ts|cli\/io\/(archives|bundle-dir)\.ts|cli\/commands\/verify\.run\.ts)$/;

test('validate never loads the archive or verify code (sources)', () => {
  assert.deepEqual([...loadedWith('cli/commands/validate.run.ts')].filter((m) => BUNDLE_CODE.test(m)), []);
  assert.ok([...loadedWith('cli/commands/verify.run.ts')].some((m) => BUNDLE_CODE.test(m) && m.startsWith('phases/')), 'sanity: verify loads it');
});

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }>;
}

function shippedMeta(): { entry: Metafile; groups: Record<string, Metafile> } {
  const file = join(REPO, 'dist', 'bin', 'meta.json');
  assert.ok(existsSync(file), 'dist/bin/meta.json is missing: run npm run build');
  return JSON.parse(readFileSync(file, 'utf8')) as { entry: Metafile; groups: Record<string, Metafile> };
}

test('the shipped bundle: start-up (dist/bin/pbxplan.js and what it imports statically) holds no compiler, schema, template or package', () => {
  const { entry } = shippedMeta();
  const seen = new Set<string>();
  const visit = (o: string) => {
    if (seen.has(o) || !entry.outputs[o]) return;
    seen.add(o);
    for (const i of entry.outputs[o]!.imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit('dist/bin/pbxplan.js');
  const inputs = [...seen].flatMap((o) => Object.keys(entry.outputs[o]!.inputs));
  assert.ok(inputs.includes('src/cli/main.ts') && inputs.includes('src/cli/table.ts'), 'sanity: the entry holds the command table');
  assert.deepEqual(inputs.filter((i) => i.startsWith('node_modules/') || /^src\/(compiler|index|bundles|compile)\.ts$|^src\/phases\/|^src\/generated\/(templates|validator|files)\.ts$|\.run\.ts$/.test(i)), []);
});

test('the shipped bundle: the group validate runs in holds no archive or verify code (nor tar-stream), nor templates', () => {
  const { groups } = shippedMeta();
  const holding = (m: string) => Object.entries(groups).filter(([, g]) => Object.keys(g.inputs).includes(m)).map(([n]) => n);
  const [group, ...more] = holding('src/cli/commands/validate.run.ts');
  assert.ok(group !== undefined && more.length === 0, 'validate is in exactly one group');
  assert.deepEqual(Object.keys(groups[group]!.inputs).filter((i) => BUNDLE_CODE.test(i.replace(/^src\//, '')) || i.startsWith('node_modules/tar-stream/')), []);
  assert.ok(holding('src/phases/6-bundle/read-archive.ts').length > 0, 'sanity: the verify code is in some group');
  // Nor the precompiled templates: validate renders nothing (they were half the group's bytes,
  // read and summed at every start). The pipeline's emit code, and with it the Handlebars
  // runtime, is in the group, never run.
  assert.deepEqual(Object.keys(groups[group]!.inputs).filter((i) => i.startsWith('src/generated/templates')), []);
  assert.ok(holding('src/generated/templates.ts').length > 0, 'sanity: the templates are in some group');
});

function cycles(edges: Edge[]): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (e.to) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'open' | 'done'>();
  const found: string[] = [];
  const visit = (m: string, path: string[]) => {
    if (state.get(m) === 'done') return;
    if (state.get(m) === 'open') {
      found.push([...path.slice(path.indexOf(m)), m].join(' → '));
      return;
    }
    state.set(m, 'open');
    for (const n of next.get(m) ?? []) visit(n, [...path, m]);
    state.set(m, 'done');
  };
  for (const m of [...next.keys()].sort()) visit(m, []);
  return found;
}

test('no import cycle under src/ (imports that exist at run time)', () => {
  assert.deepEqual(cycles(EDGES.filter((e) => !e.typeOnly)), []);
});

// Type-only imports count too: a type cycle still couples two modules' edits.
test('no import cycle under src/, type-only imports included', () => {
  assert.deepEqual(cycles(EDGES), []);
});

test('targets and the bundle phase never import the planner or another target', () => {
  const targetOf = (p: string) => /^phases\/5-emit\/([^/]+)\//.exec(p)?.[1] ?? null;
  const bad = EDGES.filter((e) => e.to && (e.from.startsWith('phases/5-emit/') || e.from.startsWith('phases/6-bundle/'))).filter((e) => {
    if (e.to!.startsWith('phases/4-plan/')) return true;
    const to = targetOf(e.to!);
    if (to === null || to === 'common') return false;
    if (e.from.startsWith('phases/6-bundle/')) return true;
    const from = targetOf(e.from);
    return from !== null && from !== to; // 5-emit/index.ts, the target table, imports every target

  });
  assert.deepEqual(bad.map((e) => `${e.from} imports ${e.spec}`), []);
});

test('the pipeline (compile.ts, phases/**) never imports the file system', () => {
  const bad = EDGES.filter((e) => e.from === 'compile.ts' || e.from.startsWith('phases/')).filter((e) => /^(node:)?fs(\/promises)?$/.test(e.spec));
  assert.deepEqual(bad.map((e) => `${e.from} imports ${e.spec}`), []);
});
