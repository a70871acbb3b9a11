// The seams of docs/architecture.md, asserted from the import graph so that they stay true:
// no import cycle under src/; the CLI uses only the library face; targets (5-emit) and the bundle
// phase never reach into the planner or into each other; the compiler never reads the disk.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { REPO } from './golden.js';

const SRC = join(REPO, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

/** Module specifiers of every import and re-export (type-only ones included: they couple too). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

const rel = (f: string) => relative(SRC, f).split('\\').join('/');
const files = sources(SRC);
const graph = new Map(
  files.map((f) => [
    rel(f),
    specifiers(f)
      .filter((s) => s.startsWith('.'))
      .map((s) => rel(resolve(dirname(f), s.replace(/\.js$/, '.ts')))),
  ]),
);
const external = new Map(files.map((f) => [rel(f), specifiers(f).filter((s) => !s.startsWith('.'))]));

test('the import graph is read (sanity)', () => {
  assert.ok(graph.size > 40, `only ${graph.size} modules found`);
  assert.ok(graph.get('compile.ts')?.includes('phases/4-plan/index.ts'), 'compile.ts imports the planner');
  for (const [from, tos] of graph) for (const to of tos) assert.ok(graph.has(to), `${from} imports ${to}, which does not exist`);
});

test('no import cycle anywhere under src/', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (m: string, trail: string[]) => {
    if (state.get(m) === 'done') return;
    if (state.get(m) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(m)), m].join(' → '));
      return;
    }
    state.set(m, 'open');
    for (const n of graph.get(m) ?? []) visit(n, [...trail, m]);
    state.set(m, 'done');
  };
  for (const m of [...graph.keys()].sort()) visit(m, []);
  assert.deepEqual(cycles, []);
});

test('targets and the bundle phase read only the model (and 5-emit/common), never the planner or another target', () => {
  const bad: string[] = [];
  for (const [from, tos] of graph) {
    const m = /^phases\/5-emit\/([^/]+)\//.exec(from);
    const inBundle = from.startsWith('phases/6-bundle/');
    if (!m && !inBundle) continue;
    for (const to of tos) {
      if (to.startsWith('model/') || to.startsWith('phases/5-emit/common/')) continue;
      if (m && to.startsWith(`phases/5-emit/${m[1]}/`)) continue;
      if (inBundle && to.startsWith('phases/6-bundle/')) continue;
      bad.push(`${from} → ${to}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the CLI imports only the library face (src/index.ts) and its own modules', () => {
  const bad = [...graph].flatMap(([from, tos]) => (from.startsWith('cli') ? tos.filter((to) => to !== 'index.ts' && !to.startsWith('cli')).map((to) => `${from} → ${to}`) : []));
  assert.deepEqual(bad, []);
});

test('the compiler never touches the disk: only assets.ts and the CLI import node:fs', () => {
  const bad = [...external].flatMap(([from, mods]) => (mods.some((x) => x === 'node:fs' || x === 'fs' || x === 'node:fs/promises') && from !== 'assets.ts' && !from.startsWith('cli') ? [from] : []));
  assert.deepEqual(bad, []);
});
