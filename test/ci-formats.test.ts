// The CLI's CI-facing behaviour: --format sarif on stdout, accepted warnings in every format,
// and --strict counting only the warnings no waiver accepted.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/cli/main.js';
import { FIXTURES, GOLDEN_TODAY } from './golden.js';

const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-ci-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const rc = await main([...args, '--today', GOLDEN_TODAY], { out: (s: string) => (out += s), err: (s: string) => (err += s), stderrIsTty: false, stdinIsTty: false, env: {}, cwd: process.cwd() });
  return { rc, out, err };
}

const spec = (name: string) => relative(process.cwd(), join(FIXTURES, name, 'spec.yaml'));

test('validate --format sarif prints one SARIF log on stdout; the exit code follows the spec', async () => {
  const bad = await cli(['validate', spec('errors/host_ip_duplicate'), '--format', 'sarif']);
  assert.equal(bad.rc, 1);
  assert.equal(bad.err, '');
  const log = JSON.parse(bad.out);
  assert.equal(log.version, '2.1.0');
  assert.ok(log.runs[0].results.some((r: { ruleId: string; level: string }) => r.ruleId === 'host_ip_duplicate' && r.level === 'error'));
  const ok = await cli(['validate', spec('standalone'), '--format', 'sarif']);
  assert.equal(ok.rc, 0);
  assert.deepEqual(JSON.parse(ok.out).runs[0].results, []);
});

test('compile --format sarif prints SARIF on stdout and still writes the bundle; plan keeps stdout for the plan', async () => {
  const r = await cli(['compile', spec('waivers/valid'), '-o', join(tmp, 'bundle'), '--format', 'sarif']);
  assert.equal(r.rc, 0, r.err);
  assert.equal(JSON.parse(r.out).runs[0].results.filter((x: { suppressions?: unknown }) => x.suppressions).length, 5);
  assert.match(r.err, /^wrote \d+ files/m);
  const p = await cli(['plan', spec('waivers/valid'), '--format', 'sarif']);
  assert.equal(p.rc, 0);
  assert.equal(JSON.parse(p.out).acceptedRisks.length, 5);
  assert.equal(JSON.parse(p.err).version, '2.1.0');
});

test('--format takes sarif, and names it when refusing another value', async () => {
  const r = await cli(['validate', spec('standalone'), '--format', 'xml']);
  assert.equal(r.rc, 2);
  assert.match(r.err, /--format takes pretty, short, json, sarif/);
});

test('--strict refuses open warnings but not accepted ones', async () => {
  // waivers/valid leaves one warning open: strict fails on it alone.
  const open = await cli(['validate', spec('waivers/valid'), '--strict', '--format', 'short']);
  assert.equal(open.rc, 1);
  const lines = open.err.trim().split('\n');
  assert.equal(lines.filter((l) => l.includes(': warning[')).length, 1);
  assert.equal(lines.filter((l) => l.includes(': accepted[')).length, 5);
  assert.match(open.err, /: accepted\[hardware_below_minimum\] pbx\.host\.hardware\.cpus: .*; accepted until 2026-03-31 by J\. Doe \(change CAB-1234\): the lab host has one vCPU until the new cluster arrives \(waivers\[1\]\)/);
  // The error fixture for waiver_expiring has its only warning accepted, plus the expiring notice.
  const expiring = await cli(['validate', spec('errors/waiver_expiring'), '--strict']);
  assert.equal(expiring.rc, 1, 'an expiring waiver is itself a warning');
  assert.match(expiring.err, /spec\.yaml: 1 warning, 1 accepted warning/);
});

test('--format json lists accepted warnings apart, with the waiver, and keeps formatVersion 1', async () => {
  const r = await cli(['validate', spec('waivers/valid'), '--format', 'json']);
  assert.equal(r.rc, 0);
  const doc = JSON.parse(r.out);
  assert.equal(doc.formatVersion, 1);
  assert.equal(doc.warningCount, 1);
  assert.equal(doc.acceptedCount, 5);
  assert.equal(doc.diagnostics.length, 1);
  assert.equal(doc.accepted.length, 5);
  assert.deepEqual(Object.keys(doc.accepted[0].accepted).sort(), ['approvedBy', 'expires', 'reason', 'span', 'waiver']);
  assert.ok(doc.diagnostics.every((d: { accepted?: unknown }) => !d.accepted));
  // A spec without waivers: the same keys as before plus the two new ones, empty.
  const plain = JSON.parse((await cli(['validate', spec('errors/hardware_below_minimum'), '--format', 'json'])).out);
  assert.equal(plain.warningCount, 3);
  assert.equal(plain.acceptedCount, 0);
  assert.deepEqual(plain.accepted, []);
});

test('paths in SARIF are the spec as named on the command line', async () => {
  const rel = spec('errors/yaml_syntax');
  const r = await cli(['validate', `./${rel}`, '--format', 'sarif']);
  assert.equal(r.rc, 1);
  assert.equal(JSON.parse(r.out).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, rel);
});
