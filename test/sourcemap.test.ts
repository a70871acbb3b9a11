// The source map's coverage, as Butane tests its translation sets: over every golden bundle, every
// step and runbook item maps to spec lines, every host and server of the spec to a step, every
// line of a step traces back to that step, and the header a step prints names its origin.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { compile, createToolchain, isStepRegion, parseSourceMap, traceLine, type Plan, type SourceMap } from '../src/index.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY, fixtureDirs, listFiles, readTree } from './golden.js';

interface Golden {
  name: string;
  spec: string;
  files: Map<string, string>;
  plan: Plan;
  map: SourceMap;
}

const goldens: Golden[] = fixtureDirs().flatMap((dir) => {
  const files = readTree(join(dir, 'expected'));
  const text = files.get('sourcemap.json');
  if (!text) return [];
  const map = parseSourceMap(text);
  assert.ok(typeof map !== 'string', `${relative(FIXTURES, dir)}: sourcemap.json: ${String(map)}`);
  return [{ name: relative(FIXTURES, dir), spec: readFileSync(join(dir, 'spec.yaml'), 'utf8'), files, plan: JSON.parse(files.get('plan.json')!) as Plan, map }];
});

const linesOf = (text: string) => text.split('\n');

test('there are golden bundles with a source map', () => {
  assert.ok(goldens.length >= 10, `only ${goldens.length} golden bundles`);
  // Every bundle has one: a golden without it would escape this test.
  // Upgrade bundles (old.yaml and new.yaml, no spec.yaml) have their own tests (test/upgrade.test.ts).
  const bundles = listFiles(FIXTURES).filter((f) => f.endsWith('/expected/manifest.json') && !existsSync(join(f, '..', '..', 'old.yaml')));
  assert.equal(goldens.length, bundles.length);
});

test('every step and every runbook item maps to at least one spec line that exists', () => {
  for (const g of goldens) {
    const specLines = linesOf(g.spec).length;
    const origins = [...g.plan.hosts.flatMap((h) => h.steps.map((s) => [`${h.hostname}/${s.id}`, s.origin] as const)), ...g.plan.procedure.flatMap((p) => p.items.map((i) => [`item ${i.id}`, i.origin] as const))];
    for (const [what, origin] of origins) {
      assert.ok(origin.length > 0, `${g.name}: ${what} has no origin`);
      for (const o of origin) assert.ok(o.line >= 1 && o.line <= specLines, `${g.name}: ${what}: line ${o.line} is not in the spec`);
    }
  }
});

test('every host and server of every golden spec maps to at least one step', () => {
  for (const g of goldens) {
    const spec = parse(g.spec) as { pbx: { host?: unknown; nodes?: unknown[] }; servers?: unknown[] };
    const places = [...(spec.pbx.host ? ['pbx.host'] : []), ...(spec.pbx.nodes ?? []).map((_, i) => `pbx.nodes[${i}]`), ...(spec.servers ?? []).map((_, i) => `servers[${i}]`)];
    const used = g.plan.hosts.flatMap((h) => h.steps.flatMap((s) => s.origin.map((o) => o.path)));
    for (const p of places) {
      assert.ok(used.some((u) => u === p || u.startsWith(`${p}.`) || u.startsWith(`${p}[`)), `${g.name}: ${p} is behind no step`);
    }
  }
});

test('every step has its region in its host script, every item in both runbooks', () => {
  for (const g of goldens) {
    const regionsOf = (path: string) => g.map.files.find((f) => f.path === path)?.regions ?? [];
    for (const h of g.plan.hosts) {
      const ids = regionsOf(h.script).filter(isStepRegion).map((r) => r.step);
      assert.deepEqual(ids, h.steps.map((s) => s.id), `${g.name}: ${h.script}`);
    }
    const items = g.plan.procedure.flatMap((p) => p.items.map((i) => i.id));
    for (const runbook of ['RUNBOOK.md', 'RUNBOOK.html']) {
      assert.deepEqual(regionsOf(runbook).map((r) => ('item' in r ? r.item : '')), items, `${g.name}: ${runbook}`);
    }
  }
});

test('each step region opens with its "# from" lines and its header; trace finds the step on every line of it', () => {
  for (const g of goldens) {
    for (const f of g.map.files.filter((x) => x.path.endsWith('/install.sh'))) {
      const lines = linesOf(g.files.get(f.path)!);
      assert.equal(f.lines, lines.length - 1, `${g.name}: ${f.path}: line count`);
      for (const r of f.regions.filter(isStepRegion)) {
        const from = r.origin.map((o) => `# from spec.yaml:${o.line} ${o.path}`);
        assert.deepEqual(lines.slice(r.start - 1, r.start - 1 + from.length), from, `${g.name}: ${f.path}: step ${r.step}`);
        assert.ok(lines[r.start - 1 + from.length]!.startsWith(`# step_${r.number} [${r.step}]`), `${g.name}: ${f.path}: step ${r.step} header`);
        for (let line = r.start; line <= r.end; line++) {
          const t = traceLine(g.map, f.path, line);
          assert.ok(t.kind === 'region' && isStepRegion(t.region) && t.region.step === r.step, `${g.name}: trace ${f.path}:${line}`);
        }
      }
      // A line outside every step is in a named section: the map never answers "nothing".
      for (let line = 1; line <= f.lines; line++) {
        const t = traceLine(g.map, f.path, line);
        assert.ok(t.kind === 'region' || (t.kind === 'outside' && t.section), `${g.name}: ${f.path}:${line} is in no section`);
      }
    }
  }
});

test('each runbook item region holds its origin note', () => {
  for (const g of goldens) {
    for (const path of ['RUNBOOK.md', 'RUNBOOK.html']) {
      const lines = linesOf(g.files.get(path)!);
      for (const r of g.map.files.find((f) => f.path === path)!.regions) {
        const body = lines.slice(r.start - 1, r.end).join('\n');
        assert.ok(r.origin.every((o) => body.includes(`spec.yaml:${o.line}`)), `${g.name}: ${path}: item ${'item' in r ? r.item : ''} does not name its origin`);
      }
    }
  }
});

test('the spec is named by its base name only; a hostile name is quoted in every output', () => {
  const text = readFileSync(join(FIXTURES, 'cluster', 'spec.yaml'));
  const name = 'we`ird $(id) <b>*_x_*|\u202e.yaml';
  const r = compile(text, { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain: createToolchain(), specName: `/home/someone/specs/${name}` });
  assert.ok(r.ok && r.plan);
  const shown = name.replace('\u202e', '\\u202e'); // a file name's invisible characters, made visible
  assert.equal(r.plan.specName, shown);
  const files = new Map(r.files!.map((f) => [f.path, f.content]));
  for (const [path, content] of files) assert.ok(!content.includes('/home/someone'), `${path} holds the machine path`);
  assert.match(files.get('hosts/pbx-main/install.sh')!, /^# from we`ird \$\(id\) <b>\*_x_\*\|\\u202e\.yaml:15 pbx\.host$/m);
  assert.ok(files.get('RUNBOOK.md')!.includes('from we\\`ird $(id) \\<b\\>\\*\\_x\\_\\*\\|\\\\u202e.yaml:15 pbx.host'));
  assert.ok(files.get('RUNBOOK.html')!.includes('<code>we&#x60;ird $(id) &lt;b&gt;*_x_*|\\u202e.yaml:15</code> pbx.host'));
  for (const [path, content] of files) assert.ok(!content.includes('\u202e'), `${path} holds the bidirectional override`);
  assert.equal(JSON.parse(files.get('sourcemap.json')!).spec.name, shown);
  // Without a name (standard input), and with a path that ends in a folder, it is spec.yaml.
  for (const specName of [undefined, '', 'dir/', '..']) {
    const d = compile(text, { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain: createToolchain(), ...(specName === undefined ? {} : { specName }) });
    assert.equal(d.plan?.specName, 'spec.yaml', String(specName));
  }
});
