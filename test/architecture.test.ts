// The layering rules of src/, asserted from the import graph of every shipped module (unit tests
// beside their module are not part of the graph), so that they stay true:
// - the CLI (src/cli/**) reaches the library only through its face, src/index.ts;
// - no import cycle anywhere under src/;
// - targets (5-emit/<target>/) and the bundle phase (6-bundle/) never import the planner
//   (4-plan/) or another target; 5-emit/common/ is shared;
// - the pipeline (compile.ts, phases/**) never touches the file system.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
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
export function specifiers(text: string): { spec: string; typeOnly: boolean }[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: { spec: string; typeOnly: boolean }[] = [];
  for (const m of code.matchAll(/\b(import|export)(\s+type\b)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g)) out.push({ spec: m[3]!, typeOnly: !!m[2] });
  for (const re of [/\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g]) {
    for (const m of code.matchAll(re)) out.push({ spec: m[1]!, typeOnly: false });
  }
  return out;
}

interface Edge {
  from: string; // src-relative, e.g. "cli/main.ts"
  spec: string;
  typeOnly: boolean;
  to: string | null; // src-relative target for relative imports; null for packages and node:
}

function graph(): Edge[] {
  return sources(SRC).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8')).map(({ spec, typeOnly }) => {
      const from = relative(SRC, file).split('\\').join('/');
      if (!spec.startsWith('.')) return { from, spec, typeOnly, to: null };
      const to = relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))).split('\\').join('/');
      return { from, spec, typeOnly, to };
    }),
  );
}

const EDGES = graph();

test('the import graph is read (sanity: it has the modules and edges it must have)', () => {
  assert.ok(EDGES.some((e) => e.from === 'compile.ts' && e.to === 'phases/4-plan/index.ts'));
  assert.ok(EDGES.some((e) => e.from.startsWith('cli/') && e.to === 'index.ts'));
  assert.ok(EDGES.every((e) => e.to === null || !e.to.startsWith('..')), 'no import leaves src/');
});

test('the CLI imports only the library face (src/index.ts), node: modules and its own files', () => {
  const bad = EDGES.filter((e) => e.from.startsWith('cli/')).filter((e) => !(e.spec.startsWith('node:') || e.to === 'index.ts' || (e.to !== null && e.to.startsWith('cli/'))));
  assert.deepEqual(bad.map((e) => `${e.from} imports ${e.spec}`), []);
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

// Type-only imports count too, but one circle is left in phase 4 (index.ts ↔ offline.ts over
// the ArtifactSource type), which the phase-4 rework removes; drop `todo` then.
test('no import cycle under src/, type-only imports included', { todo: 'phases/4-plan/index.ts ↔ offline.ts (the ArtifactSource type)' }, () => {
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
