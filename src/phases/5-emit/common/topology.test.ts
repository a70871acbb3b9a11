// The topology diagram as data: what it shows for each golden plan, a layout in integers with no
// overlapping boxes, and the Mermaid text (labels escaped, the same diagram in TOPOLOGY.mmd and in
// RUNBOOK.md, and the README shows the example cluster's).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, REPO, fixtureDirs } from '../../../../test/golden.js';
import { compile, createToolchain } from '../../../index.js';
import type { Plan } from '../../../model/plan.js';
import { mmd } from './helpers.js';
import { layoutTopology, type SceneBox } from './topology-layout.js';
import { topologyView } from './topology.js';

const bundles = fixtureDirs()
  .map((d) => join(d, 'expected'))
  .filter((d) => existsSync(join(d, 'plan.json')));
const plan = (dir: string) => JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Plan;
const name = (dir: string) => relative(FIXTURES, dir);

test('every topology fixture has a bundle to draw', () => {
  assert.ok(bundles.length >= 10, `found ${bundles.length}`);
});

test('the view: the target every server points at, HA control node and SSH, trusted sources', () => {
  const ha = topologyView(plan(join(FIXTURES, 'ha-onprem-full', 'expected')));
  assert.deepEqual([ha.pbx.kind, ha.pbx.address, ha.pbx.publicIp, ha.pbx.id], ['vip', '192.168.1.130', '104.18.36.119', 'pbx']);
  assert.equal(ha.control?.hostname, 'pbx01');
  assert.deepEqual(ha.control?.label.at(-1), { text: 'control node, SSH to 11 hosts', cls: 'ssh' });
  const driven = [...ha.pbxGroup.hosts, ...ha.servers.flatMap((g) => g.hosts)].filter((h) => !h.control);
  assert.equal(driven.length, 11);
  for (const h of driven) assert.deepEqual(h.label.at(-1), { text: 'deployed over SSH from pbx01', cls: 'ssh' }, h.hostname);
  assert.deepEqual(ha.pbx.label.map((l) => l.text), ['virtual IP', '192.168.1.130', 'public 104.18.36.119', 'held by the active node']);
  assert.deepEqual(ha.servers.map((g) => g.role), ['media', 'queue', 'meeting', 'ivr', 'im', 'dataflow', 'sbc']);
  assert.equal(ha.trusted?.title, 'Portal IP whitelist (until 2036-12-31)');

  const aws = topologyView(plan(join(FIXTURES, 'ha-aws', 'expected')));
  assert.deepEqual([aws.pbx.kind, aws.pbx.address, aws.pbx.publicIp], ['eip', '54.151.30.9', null]);
  assert.match(aws.trusted!.title, /^Security group sg-/);

  const cl = topologyView(plan(join(FIXTURES, 'cluster-scaled', 'expected')));
  assert.deepEqual([cl.pbx.kind, cl.pbx.id, cl.pbx.publicIp, cl.pbx.label, cl.control], ['host', 'h0', '198.51.100.20', [], null]);
  assert.ok(cl.servers.every((g) => g.hosts.every((h) => h.label.every((l) => l.cls !== 'ssh'))), 'no SSH outside HA');
  assert.deepEqual(cl.trusted, { title: 'Trusted sources (firewalld on pbx-main)', entries: [{ address: '172.16.10.0/24', host: 'network' }] });
  assert.deepEqual(cl.servers.find((g) => g.role === 'media')?.hosts.map((h) => h.hostname), ['media-server-1', 'media-server-2']);

  const solo = topologyView(plan(join(FIXTURES, 'standalone', 'expected')));
  assert.deepEqual([solo.servers, solo.trusted], [[], null]);
});

/** Every number of a scene: the fields, and the coordinates inside each wire's points. */
function numbers(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'points') for (const n of String(x).split(/[ ,]/)) out.push(Number(n));
      else numbers(x, out);
    }
  }
  return out;
}

const overlap = (a: SceneBox, b: SceneBox) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test('the layout: integers only, every host once, no two boxes overlapping, all inside the canvas', () => {
  for (const dir of bundles) {
    const p = plan(dir);
    const scene = layoutTopology(topologyView(p));
    const ns = numbers(scene);
    assert.ok(ns.length > 10 && ns.every((n) => Number.isInteger(n) && n >= 0), `${name(dir)}: a coordinate is not a non-negative integer`);
    assert.deepEqual(
      scene.boxes.filter((b) => b.host !== null).map((b) => b.host).sort(),
      p.hosts.map((h) => h.hostname).sort(),
      `${name(dir)}: every host is drawn once`,
    );
    for (const [i, a] of scene.boxes.entries()) {
      assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.w <= scene.width && a.y + a.h <= scene.height, `${name(dir)}: ${a.host ?? a.cls} lies outside the canvas`);
      for (const t of a.texts) assert.ok(t.y > a.y && t.y < a.y + a.h, `${name(dir)}: "${t.text}" lies outside its box`);
      for (const b of scene.boxes.slice(i + 1)) assert.ok(!overlap(a, b), `${name(dir)}: ${a.host ?? a.cls} overlaps ${b.host ?? b.cls}`);
    }
    for (const w of scene.wires) {
      for (const pt of w.points.split(' ')) {
        const [x, y] = pt.split(',').map(Number) as [number, number];
        assert.ok(x >= 0 && x <= scene.width && y >= 0 && y <= scene.height, `${name(dir)}: wire point ${pt} outside the canvas`);
      }
    }
  }
});

test('a host name too long for its box is shortened in the diagram and kept whole in the tooltip', () => {
  const p = plan(join(FIXTURES, 'cluster', 'expected'));
  const long = `media-${'x'.repeat(120)}`;
  const q: Plan = { ...p, hosts: p.hosts.map((h) => (h.role === 'media' ? { ...h, hostname: long } : h)) };
  const box = layoutTopology(topologyView(q)).boxes.find((b) => b.host === long)!;
  assert.ok(box.texts[0]!.text.endsWith('\u2026') && box.texts[0]!.text.length < long.length);
  assert.ok(box.tooltip?.includes(long));
});

test('mmd writes every character that could end or change a Mermaid label as an entity code', () => {
  assert.equal(mmd('a"b[c]#d<e>&{f}|g`h'), 'a#34;b#91;c#93;#35;d#60;e#62;#38;#123;f#125;#124;g#96;h');
  assert.equal(mmd('two\nlines'), 'two lines');
  assert.equal(mmd('media-server-1 (ok)'), 'media-server-1 (ok)');
});

test('TOPOLOGY.mmd and the ```mermaid block of RUNBOOK.md are the same diagram', () => {
  for (const dir of bundles) {
    const mmdText = readFileSync(join(dir, 'TOPOLOGY.mmd'), 'utf8');
    const diagram = mmdText.split('\n').filter((l) => !l.startsWith('%%')).join('\n');
    assert.match(diagram, /^flowchart TB\n/);
    const md = readFileSync(join(dir, 'RUNBOOK.md'), 'utf8');
    const block = /\n## Topology\n\n```mermaid\n([\s\S]*?)```\n/.exec(md);
    assert.ok(block, `${name(dir)}: RUNBOOK.md has a ## Topology section with a mermaid block`);
    assert.equal(block[1], diagram, name(dir));
    // Every label is one double-quoted string: an odd quote count would mean a label broke out.
    for (const line of diagram.split('\n')) assert.equal((line.match(/"/g) ?? []).length % 2, 0, `${name(dir)}: ${line}`);
    for (const h of plan(dir).hosts) assert.ok(diagram.includes(`["${h.hostname}<br/>${h.privateIp}`), `${name(dir)}: ${h.hostname}`);
  }
});

test("the README's diagram is the example cluster's TOPOLOGY.mmd", () => {
  const spec = readFileSync(join(REPO, 'examples', 'cluster.yaml'), 'utf8');
  const r = compile(spec, { today: '2026-01-01', generatedBy: 'pbxplan (test)', toolchain: createToolchain() });
  const mmdFile = r.files?.find((f) => f.path === 'TOPOLOGY.mmd')?.content ?? '';
  const diagram = mmdFile.split('\n').filter((l) => !l.startsWith('%%')).join('\n');
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.equal(block, diagram, 'README.md: paste the example cluster\'s TOPOLOGY.mmd (without its %% lines) into its ```mermaid block');
});
