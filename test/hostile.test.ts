// Hostile input, property-based (fast-check): values of the spec that reach the generated scripts
// (names, host names, paths, the secret's variable or file name, the description) and the IM
// token itself, made of quotes, $(…), backticks, ;, newlines, globs, leading dashes and non-ASCII.
// Either the spec is refused with a diagnostic on that value's path, or the compiled script, run on
// a fake host, hands the value to the vendor stand-in as exactly one argument, byte for byte, and
// nothing else runs: a canary file that the values try to create never appears.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { compile, createToolchain } from '../src/index.js';
import { bundleHosts, expectedStageCalls, setUpHost } from './fakehost/bundle.js';
import { runOn, stepReports } from './fakehost/cycle.js';

const toolchain = createToolchain();
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-hostile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const CANARY = join(tmp, 'canary');
/** Cases per field (12 fields); FAKEHOST_HOSTILE_RUNS raises it for a longer local search. */
const RUNS = Number(process.env['FAKEHOST_HOSTILE_RUNS'] ?? 4);
const SEED = Number(process.env['FAKEHOST_HOSTILE_SEED'] ?? 20260101);
const TOKEN = 'tok-0123456789abcdef';

// ---- values ----------------------------------------------------------------------------------
/** What would run, split or expand if a value reached a shell unquoted. */
const EXECUTING = ['$(touch $CANARY)', '`touch $CANARY`', ';touch $CANARY;', '|touch $CANARY', '&&touch $CANARY', ' ', '\t', '\n', '*', '?', '[a]'];
const OTHER = [
  '$((6*7))', "'", '"', '\\', '\r', '{a,b}', '~', '#', '!', '%s', '$HOME', '${IFS}', '>x', '<x', '-', '--', '-x', 'é', 'ß', '中文', '🙂',
  '\u00a0', '\u202e',
];
const hostile = fc.oneof({ arbitrary: fc.constantFrom(...EXECUTING), weight: 2 }, { arbitrary: fc.constantFrom(...OTHER), weight: 1 });
const word = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const piece = fc.oneof({ arbitrary: hostile, weight: 1 }, { arbitrary: word, weight: 2 }, { arbitrary: fc.constantFrom('.', '_', '-', 'A', '9'), weight: 1 });
/** At least one hostile piece, with plain ones around it. */
const mixed = fc
  .tuple(fc.array(piece, { maxLength: 2 }), hostile, fc.array(piece, { maxLength: 2 }))
  .map(([a, h, b]) => [...a, h, ...b].join(''));
/** Mostly hostile, sometimes a plain value that the schema accepts. */
const value = fc.oneof({ arbitrary: mixed, weight: 3 }, { arbitrary: mixed.map((v) => `-${v}`), weight: 1 }, { arbitrary: word, weight: 2 });
const path = fc.oneof(value.map((v) => `/${v}`), fc.tuple(word, value).map(([a, v]) => `/${a}/${v}`), value);
const envName = fc.oneof(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/), value);

// ---- the spec and where each value lands ---------------------------------------------------------
type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function baseSpec(): Spec {
  return {
    apiVersion: 'pbxplan/v1',
    kind: 'Cluster',
    metadata: { name: 'hostile', description: 'a plain description' },
    platform: 'onprem',
    os: 'ubuntu-24.04',
    release: { pbxImage: 'portsip/pbx:22.3' },
    pbx: { mode: 'single', host: { hostname: 'pbx', privateIp: '10.0.0.10' } },
    servers: [
      { role: 'media', name: 'media-1', privateIp: '10.0.0.21' },
      { role: 'im', name: 'im-1', privateIp: '10.0.0.25', tokenRef: { env: 'PBXPLAN_IM_TOKEN' } },
    ],
    whitelist: { expires: '2036-12-31' },
  };
}

interface Field {
  name: string;
  /** Where the value goes in the spec (also the path a diagnostic must name); null: not in the spec. */
  path: (string | number)[] | null;
  arb: fc.Arbitrary<string>;
  role: 'pbx' | 'media' | 'im';
  /** The vendor call and flag that must carry the value (as `carried` turns it), or how else it
   * shows: in the host name of the script, or only in a run that does what the plan says. */
  expect: { script: string; flag: string; carried: (v: string) => string } | 'hostname' | 'runs';
  /** The value is the IM token itself, handed over in a variable or a file. */
  tokenIn?: 'env' | 'file';
}

const same = (v: string) => v;

const tokenVia = { script: 'im_ctl.sh', flag: '-t', carried: () => TOKEN };
const FIELDS: Field[] = [
  { name: 'server name', path: ['servers', 0, 'name'], arb: value, role: 'media', expect: { script: 'cluster_ctl.sh', flag: '-n', carried: same } },
  { name: 'server hostname', path: ['servers', 0, 'hostname'], arb: value, role: 'media', expect: 'hostname' },
  { name: 'PBX hostname', path: ['pbx', 'host', 'hostname'], arb: value, role: 'pbx', expect: 'hostname' },
  { name: 'paths.data', path: ['paths', 'data'], arb: path, role: 'pbx', expect: { script: 'pbx_ctl.sh', flag: '-p', carried: same } },
  // The vendor stand-ins insist on running from their own directory: calls prove the cd.
  { name: 'paths.scripts', path: ['paths', 'scripts'], arb: path, role: 'media', expect: 'runs' },
  { name: 'recordingsPath', path: ['pbx', 'host', 'recordingsPath'], arb: path, role: 'pbx', expect: { script: 'pbx_ctl.sh', flag: '-f', carried: same } },
  { name: 'chatFilesPath', path: ['servers', 1, 'chatFilesPath'], arb: path, role: 'im', expect: { script: 'im_ctl.sh', flag: '-f', carried: same } },
  { name: 'tokenRef.env', path: ['servers', 1, 'tokenRef', 'env'], arb: envName, role: 'im', expect: tokenVia },
  { name: 'tokenRef.file', path: ['servers', 1, 'tokenRef', 'file'], arb: path, role: 'im', expect: tokenVia },
  { name: 'metadata.description', path: ['metadata', 'description'], arb: mixed, role: 'pbx', expect: 'runs' },
  { name: 'IM token in the variable', path: null, arb: mixed, role: 'im', expect: { script: 'im_ctl.sh', flag: '-t', carried: same }, tokenIn: 'env' },
  // read_secret drops CR and LF from a token file.
  {
    name: 'IM token in the file',
    path: null,
    arb: mixed,
    role: 'im',
    expect: { script: 'im_ctl.sh', flag: '-t', carried: (v) => v.replace(/[\r\n]/g, '') },
    tokenIn: 'file',
  },
];

function setAt(spec: Spec, path: (string | number)[], v: string): void {
  let o = spec;
  for (const k of path.slice(0, -1)) o = o[k] ??= {};
  if (path[path.length - 2] === 'tokenRef') {
    // A secret reference names exactly one of env and file.
    delete o['env'];
    delete o['file'];
  }
  o[path[path.length - 1]!] = v;
}

const stats = { rejected: 0, accepted: 0, perField: new Map<string, string>(), values: [] as string[] };
let caseNo = 0;

async function check(field: Field, v: string): Promise<void> {
  const spec = baseSpec();
  if (field.path) setAt(spec, field.path, v);
  if (field.tokenIn === 'file') spec['servers'][1].tokenRef = { file: '/root/im.token' };
  const text = stringify(spec);
  const result = compile(text, { today: '2026-01-01', generatedBy: 'pbxplan (hostile)', toolchain });
  if (!result.ok) {
    // Refused: an error names this value's path (a value of the spec; never the token).
    assert.ok(field.path, `${field.name}: the spec was refused for a value that is not in it:\n${JSON.stringify(result.diagnostics)}`);
    const hit = result.diagnostics.some((d) => d.severity === 'error' && JSON.stringify(d.path) === JSON.stringify(field.path));
    assert.ok(hit, `${field.name} = ${JSON.stringify(v)}: refused, but no error at ${JSON.stringify(field.path)}:\n${result.diagnostics.map((d) => `${d.code} ${JSON.stringify(d.path)}`).join('\n')}`);
    stats.rejected++;
    stats.values.push(`refused ${field.name} = ${JSON.stringify(v)}`);
    stats.perField.set(field.name, (stats.perField.get(field.name) ?? '') + 'r');
    return;
  }
  stats.accepted++;
  stats.values.push(`ran     ${field.name} = ${JSON.stringify(v)}`);
  stats.perField.set(field.name, (stats.perField.get(field.name) ?? '') + 'a');
  const dir = join(tmp, `case-${++caseNo}`);
  for (const f of result.files!) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content, { mode: f.mode });
  }
  const h = bundleHosts(dir).find((x) => x.host.role === field.role)!;
  // The token the IM host is given, and what im_ctl.sh must receive.
  const token = field.tokenIn ? v : TOKEN;
  const received = typeof field.expect === 'object' && field.expect.flag === '-t' ? field.expect.carried(v) : TOKEN;
  const setup = setUpHost(h, { token, parent: tmp });
  try {
    const env = { ...setup.env, CANARY };
    const dry = await runOn({ ...setup, env }, setup.script, ['--dry-run']);
    const run = await runOn({ ...setup, env }, setup.script, ['--yes']);
    const where = `${field.name} = ${JSON.stringify(v)}`;
    assert.ok(!existsSync(CANARY), `${where}: the canary was created: a value was executed`);
    assert.equal(dry.result.code, 0, `${where}: --dry-run exited ${dry.result.code}\n${dry.result.stderr}`);
    assert.equal(run.result.code, 0, `${where}: the run exited ${run.result.code}\n${run.result.stderr}`);
    assert.doesNotMatch(run.result.stderr, /command not found|syntax error|unbound variable/, where);
    // Every vendor call is exactly what the plan says, argument for argument, byte for byte.
    const acted = new Set([...stepReports(run.result)].filter(([, r]) => r.includes('changing')).map(([id]) => id));
    const want = expectedStageCalls({ ...h.host, steps: h.host.steps.filter((s) => acted.has(s.id)) }, 'install', received).calls;
    assert.deepEqual(run.result.calls, want.map((c) => c.map((a) => Buffer.from(a, 'utf8'))), `${where}: vendor calls`);
    assert.ok(want.length > 0 && run.result.calls.length === want.length, `${where}: no vendor call`);
    if (typeof field.expect === 'object') {
      const { script, flag, carried } = field.expect;
      const call = run.result.calls.find((c) => c[0]!.toString() === script);
      assert.ok(call, `${where}: ${script} was not called`);
      const i = call.findIndex((a) => a.toString() === flag);
      assert.deepEqual(call[i + 1], Buffer.from(carried(v), 'utf8'), `${where}: ${flag} is not the value, byte for byte`);
    } else if (field.expect === 'hostname') {
      assert.match(run.result.stderr, new RegExp(`converging ${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
      assert.ok(readdirSync(setup.fake.hostPath('/var/log/pbxplan')).includes(`hostile-${v}.log`), `${where}: log file name`);
    }
  } finally {
    setup.fake.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('hostile values are refused with a diagnostic, or reach the vendor script as one argument and run nothing', async (t) => {
  const base = compile(stringify(baseSpec()), { today: '2026-01-01', generatedBy: 'pbxplan (hostile)', toolchain });
  assert.ok(base.ok, `the base spec compiles:\n${JSON.stringify(base.diagnostics, null, 1)}`);
  // Every field gets its share of cases.
  for (const [i, field] of FIELDS.entries()) {
    await fc.assert(
      fc.asyncProperty(field.arb, (v) => check(field, v)),
      { numRuns: RUNS, seed: SEED + i, endOnFailure: true },
    );
  }
  assert.ok(!existsSync(CANARY), 'the canary was created');
  // Both outcomes happened: the test is not vacuous either way.
  t.diagnostic(`${RUNS * FIELDS.length} cases (seed ${SEED}): ${stats.accepted} ran on a fake host, ${stats.rejected} refused; per field (a ran, r refused):`);
  for (const [name, outcomes] of stats.perField) t.diagnostic(`  ${name}: ${outcomes}`);
  if (process.env['FAKEHOST_HOSTILE_VERBOSE']) for (const v of stats.values) t.diagnostic(v);
  assert.ok(stats.accepted >= 5 && stats.rejected >= 5, `accepted ${stats.accepted}, refused ${stats.rejected}`);
});

test('one hand-made hostile token reaches im_ctl.sh whole, from a variable and from a file', async () => {
  const nasty = `-x $(touch $CANARY) \`touch $CANARY\`; '"\\ * ?[a] 中文 🙂\t~`;
  await check(FIELDS.find((f) => f.name === 'IM token in the variable')!, nasty);
  await check(FIELDS.find((f) => f.name === 'IM token in the file')!, `${nasty}\r\n`);
  assert.ok(!existsSync(CANARY));
});
