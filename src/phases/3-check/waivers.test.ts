import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CODES, type Code } from '../../diagnostics/codes.js';
import { DiagnosticBag, type YamlPath } from '../../diagnostics/diagnostic.js';
import type { Spec, Waiver } from '../../model/spec.js';
import { compile, createToolchain } from '../../index.js';
import { REPO } from '../../../test/golden.js';
import { applyWaivers, NOT_WAIVABLE, pathCovers } from './waivers.js';

const TODAY = '2026-01-01';

/** A bag holding the given warnings, and a spec holding only the given waivers. */
function run(warnings: [Code, YamlPath][], waivers: Waiver[], today = TODAY) {
  const bag = new DiagnosticBag();
  for (const [code, path] of warnings) bag.add(code, path, {});
  const risks = applyWaivers({ spec: { waivers } as unknown as Spec, bag, today });
  return { bag, risks, codes: bag.items.filter((d) => d.code.startsWith('waiver_')).map((d) => d.code) };
}

const w = (code: string, expires: string, path?: string): Waiver => ({ code, reason: 'a lab', approvedBy: 'J. Doe', expires, ...(path ? { path } : {}) });

test('a path matches whole segments: itself and what lies below it, never a longer name or index', () => {
  assert.ok(pathCovers(['servers', 2], ['servers', 2, 'publicIp']));
  assert.ok(pathCovers(['servers', 2, 'publicIp'], ['servers', 2, 'publicIp']));
  assert.ok(!pathCovers(['servers', 2], ['servers', 20]));
  assert.ok(!pathCovers(['pbx', 'host', 'hardware', 'cpu'], ['pbx', 'host', 'hardware', 'cpus']));
  assert.ok(!pathCovers(['servers', 2, 'publicIp'], ['servers', 2]));
});

test('a waiver accepts matching warnings only: code equal, path equal or a prefix; without path every warning of its code', () => {
  const { bag, risks, codes } = run(
    [
      ['hardware_below_minimum', ['servers', 2, 'hardware', 'cpus']],
      ['hardware_below_minimum', ['servers', 20, 'hardware', 'cpus']],
      ['whitelist_expiry_soon', ['whitelist', 'expires']],
      ['server_public_ip_missing', ['servers', 0]],
    ],
    [w('hardware_below_minimum', '2026-03-01', 'servers[2]'), w('whitelist_expiry_soon', '2026-03-01')],
  );
  assert.deepEqual(codes, []);
  assert.deepEqual(
    bag.items.map((d) => [d.code, !!d.accepted]),
    [
      ['hardware_below_minimum', true],
      ['hardware_below_minimum', false],
      ['whitelist_expiry_soon', true],
      ['server_public_ip_missing', false],
    ],
  );
  assert.equal(bag.warningCount, 2);
  assert.equal(bag.acceptedCount, 2);
  assert.deepEqual(
    risks.map((r) => [r.code, r.path, r.waiver]),
    [
      ['hardware_below_minimum', 'servers[2].hardware.cpus', 'waivers[0]'],
      ['whitelist_expiry_soon', 'whitelist.expires', 'waivers[1]'],
    ],
  );
});

test('the most specific waiver accepts a warning; every matching waiver counts as used', () => {
  const { bag, codes } = run([['hardware_below_minimum', ['pbx', 'host', 'hardware', 'cpus']]], [w('hardware_below_minimum', '2026-03-01', 'pbx.host'), w('hardware_below_minimum', '2026-02-01', 'pbx.host.hardware.cpus'), w('hardware_below_minimum', '2026-04-01')]);
  assert.equal(bag.items[0]!.accepted?.waiver, 1);
  assert.deepEqual(codes, [], 'no waiver is unused');
});

test('the expiry day is inclusive; the day after, the waiver is an error and accepts nothing', () => {
  const lastDay = run([['hardware_below_minimum', ['x']]], [w('hardware_below_minimum', TODAY)]);
  assert.ok(lastDay.bag.items[0]!.accepted);
  assert.deepEqual(lastDay.codes, ['waiver_expiring']);
  assert.match(lastDay.bag.items[1]!.message, /today is its last day/);
  const after = run([['hardware_below_minimum', ['x']]], [w('hardware_below_minimum', '2025-12-31')]);
  assert.equal(after.bag.items[0]!.accepted, undefined);
  assert.deepEqual(after.codes, ['waiver_expired']);
  assert.equal(after.bag.errorCount, 1);
});

test('an expiry may lie at most 180 days after today (leap years counted); a longer one is an error and accepts nothing', () => {
  assert.deepEqual(run([['hardware_below_minimum', ['x']]], [w('hardware_below_minimum', '2026-06-30')]).codes, []);
  const long = run([['hardware_below_minimum', ['x']]], [w('hardware_below_minimum', '2026-07-01')]);
  assert.deepEqual(long.codes, ['waiver_too_long']);
  assert.equal(long.bag.items[0]!.accepted, undefined);
  // 2028 is a leap year: 180 days after 2028-01-01 is 2028-06-29.
  assert.deepEqual(run([['hardware_below_minimum', ['x']]], [w('hardware_below_minimum', '2028-06-29')], '2028-01-01').codes, []);
  assert.deepEqual(run([['hardware_below_minimum', ['x']]], [w('hardware_below_minimum', '2028-06-30')], '2028-01-01').codes, ['waiver_too_long']);
});

test('a waiver whose last day is at most 14 days away is a warning, and still applies', () => {
  const soon = run([['hardware_below_minimum', ['x']]], [w('hardware_below_minimum', '2026-01-15')]);
  assert.deepEqual(soon.codes, ['waiver_expiring']);
  assert.ok(soon.bag.items[0]!.accepted);
  assert.match(soon.bag.items[1]!.message, /14 days left/);
  assert.deepEqual(run([['hardware_below_minimum', ['x']]], [w('hardware_below_minimum', '2026-01-16')]).codes, []);
});

test('a waiver that matches nothing is a warning that names where its code is reported', () => {
  const { bag, codes } = run([['hardware_below_minimum', ['servers', 0, 'hardware', 'cpus']]], [w('hardware_below_minimum', '2026-03-01', 'servers[1]'), w('im_chat_path_nested', '2026-03-01')]);
  assert.deepEqual(codes, ['waiver_unused', 'waiver_unused']);
  assert.match(bag.items[1]!.hint!, /reported at servers\[0\]\.hardware\.cpus/);
  assert.match(bag.items[2]!.hint!, /no im_chat_path_nested warning/);
  assert.equal(bag.items[0]!.accepted, undefined);
});

test('errors, unwaivable warnings and unknown codes cannot be waived, with "did you mean"', () => {
  const { bag, codes } = run([['hardware_below_minimum', ['x']]], [w('host_ip_duplicate', '2026-03-01'), w('subnet_host_bits_set', '2026-03-01'), w('hardware_below_minimun', '2026-03-01')]);
  assert.deepEqual(codes, ['waiver_not_waivable', 'waiver_not_waivable', 'waiver_code_unknown']);
  assert.match(bag.items[1]!.message, /it is an error/);
  assert.match(bag.items[3]!.hint!, /did you mean "hardware_below_minimum"\?/);
  assert.equal(bag.items[0]!.accepted, undefined);
});

test('without waivers nothing changes', () => {
  const { bag, risks } = run([['hardware_below_minimum', ['x']]], []);
  assert.deepEqual(risks, []);
  assert.equal(bag.items.length, 1);
  assert.equal(bag.warningCount, 1);
});

test('the catalog: only warnings are waivable; every other warning says why not; the waiver codes themselves are not waivable', () => {
  for (const [code, e] of Object.entries(CODES) as [Code, (typeof CODES)[Code]][]) {
    if (e.severity === 'error') assert.equal(e.waivable, false, `${code} is an error and must not be waivable`);
    else if (!e.waivable) assert.ok(NOT_WAIVABLE[code], `${code}: a warning that is not waivable needs a reason in NOT_WAIVABLE`);
    else assert.equal(NOT_WAIVABLE[code], undefined, `${code} is waivable but listed in NOT_WAIVABLE`);
  }
  for (const code of Object.keys(CODES).filter((c) => c.startsWith('waiver_'))) assert.equal(CODES[code as Code].waivable, false, code);
});

test('docs/spec-format.md lists exactly the waivable codes', () => {
  const doc = readFileSync(join(REPO, 'docs', 'spec-format.md'), 'utf8');
  const start = doc.indexOf('## Waivers');
  assert.ok(start >= 0, 'docs/spec-format.md has a "## Waivers" section');
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end === -1 ? undefined : end);
  const listed = new Set([...section.matchAll(/^- `([a-z0-9_]+)`: /gm)].map((m) => m[1]));
  const waivable = Object.keys(CODES).filter((c) => CODES[c as Code].waivable);
  assert.deepEqual([...listed].sort(), waivable.sort());
});

// Through the whole compiler: accepted warnings no longer count for --strict, and the plan,
// runbook and plan.json carry them (the waivers/valid golden shows the exact bytes).
const SPEC = `apiVersion: pbxplan/v1
kind: Cluster
metadata: { name: lab }
platform: onprem
os: ubuntu-24.04
release: { pbxImage: "portsip/pbx:22.3" }
pbx:
  mode: single
  host: { hostname: pbx, privateIp: 10.0.0.10, hardware: { cpus: 1, memoryGb: 4, diskGb: 50 } }
`;
const WAIVER = `waivers:
  - { code: hardware_below_minimum, reason: "a lab | one vCPU", approvedBy: J. Doe, expires: 2026-03-01 }
`;

test('--strict refuses a warning, but not one a waiver accepted; the accepted risk reaches plan, plan.json and runbook', () => {
  const toolchain = createToolchain();
  const opts = { today: TODAY, generatedBy: 'test', strict: true, toolchain };
  const refused = compile(SPEC, opts);
  assert.equal(refused.ok, false);
  const accepted = compile(SPEC + WAIVER, opts);
  assert.equal(accepted.ok, true, JSON.stringify(accepted.diagnostics));
  assert.deepEqual(
    accepted.plan!.acceptedRisks!.map((r) => [r.code, r.path, r.line, r.approvedBy, r.expires]),
    [['hardware_below_minimum', 'pbx.host.hardware.cpus', 9, 'J. Doe', '2026-03-01']],
  );
  const planJson = accepted.files!.find((f) => f.path === 'plan.json')!.content;
  assert.ok(JSON.parse(planJson).acceptedRisks.length === 1);
  const runbook = accepted.files!.find((f) => f.path === 'RUNBOOK.md')!.content;
  assert.match(runbook, /## Accepted risks/);
  assert.match(runbook, /\| `hardware_below_minimum` \| pbx\.host\.hardware\.cpus \(line 9\) \| a lab \\\| one vCPU \| J\. Doe \| 2026-03-01 \|/);
  // Without waivers the plan has no acceptedRisks key at all (existing plans keep their bytes).
  const plain = compile(SPEC, { ...opts, strict: false });
  assert.ok(!('acceptedRisks' in plain.plan!));
  assert.doesNotMatch(plain.files!.find((f) => f.path === 'RUNBOOK.md')!.content, /Accepted risks/);
});
