// Hostile input to compile(), generated at test time: alias bombs, 100,000-deep nesting, 10 MB
// lines, bytes that are not UTF-8, control and bidirectional characters, tags, complex keys,
// empty files, secrets everywhere, and the policy cases that must never compile. For every
// case: compile() does not throw, answers within a time and memory bound, reports the expected
// code at a position (line ≥ 1), and no output format (pretty, short, json) holds a raw
// control byte or any piece of a planted secret, or grows with the input.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compile, createToolchain, type CompileResult } from '../src/index.js';
import { formatDiagnostics, type DiagnosticFormat } from '../src/diagnostics/format.js';
import { REPO } from './golden.js';

const toolchain = createToolchain();
const TODAY = '2026-01-01';
/** CPU time per case; alone the slowest takes about 0.5 s. CPU time, not wall time, is held to
 * this, since other processes on a shared machine stretch the wall clock; wall time has a looser
 * bound that still catches a hang. */
const MAX_CPU_MS = 5000;
const MAX_WALL_MS = 30_000;
const MAX_RSS_GROWTH = 300 * 1024 * 1024;
/** No diagnostic output of a hostile case may be larger than this, whatever the input size. */
const MAX_OUTPUT = 64 * 1024;
/** Anything that could act on a terminal or reorder text; only "\n" may appear raw. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

const fixture = (name: string) => readFileSync(join(REPO, 'fixtures', name, 'spec.yaml'), 'utf8');
const STANDALONE = fixture('standalone');
const CLUSTER = fixture('cluster');
const HA = fixture('ha-onprem');
const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p as number[]))));
/** The standalone spec with its description replaced (a one-line value). */
const withDescription = (d: string) => STANDALONE.replace(/  description: .*\n/, `  description: ${d}\n`);
/** The standalone spec with extra top-level text. */
const withTop = (extra: string) => STANDALONE + extra;

interface Case {
  name: string;
  input: () => string | Uint8Array;
  /** Codes that must be among the diagnostics, or 'clean' for no diagnostic from the loader. */
  expect: string[] | 'clean';
  /** Must the compile fail? (default: yes, unless expect is 'clean') */
  refused?: boolean;
  /** Text that must not appear in any output, nor any 8 characters of it. */
  secret?: string;
  /** Extra check on the result and the three outputs. */
  also?: (r: CompileResult, out: Record<DiagnosticFormat, string>) => void;
}

// The IM token of the vendor's own guide, and generated ones.
const VENDOR_TOKEN = 'MJC4NZBLYTGTZTJJNS0ZMWZHLWIXZDCTZJLLMDEWZJHKZTAY';
const B64 = 'kR7vQ2mX9pLw4ZtB8nYc3HdF6sJa1GeU';
const HEX32 = 'd41d8cd98f00b204e9800998ecf8427e';

function bomb(levels: number, width: number, flow = true): string {
  let out = `x-laughs:\n  - &l0 [${Array(width).fill('lol').join(', ')}]\n`;
  for (let i = 1; i < levels; i++) {
    out += flow ? `  - &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]\n` : `  - &l${i} {${Array.from({ length: width }, (_, k) => `k${k}: *l${i - 1}`).join(', ')}}\n`;
  }
  return out;
}

const CASES: Case[] = [
  // ---- aliases ---------------------------------------------------------------------------------
  { name: 'billion laughs: 9 levels of 9 aliases (flow lists)', input: () => withTop(bomb(9, 9)), expect: ['yaml_alias_limit'] },
  { name: 'billion laughs in mappings', input: () => withTop(bomb(8, 9, false)), expect: ['yaml_alias_limit'] },
  { name: 'a chain of 40 doublings (2^40 values)', input: () => withTop(bomb(40, 2)), expect: ['yaml_alias_limit'] },
  { name: 'alias bomb as the whole document', input: () => bomb(10, 10), expect: ['yaml_alias_limit'] },
  { name: '10,001 aliases of one scalar', input: () => withTop(`x-many:\n  - &one lol\n${'  - *one\n'.repeat(10_001)}`), expect: ['yaml_alias_limit'] },
  {
    name: 'aliases within the limit still load (one hardware block on 500 servers)',
    input: () =>
      STANDALONE.replace('    hardware: { cpus: 4, memoryGb: 8, diskGb: 200 }', '    hardware: &hw { cpus: 4, memoryGb: 8, diskGb: 200 }') +
      `x-servers:\n${'  - *hw\n'.repeat(500)}`,
    expect: ['schema_additional_property'],
    also: (r) => assert.ok(!r.diagnostics.some((d) => d.code.startsWith('yaml_')), 'no loader error'),
  },
  { name: 'an alias without its anchor', input: () => STANDALONE.replace('os: ubuntu-24.04', 'os: *os'), expect: ['yaml_alias_undefined'] },
  { name: 'an alias inside its own anchor', input: () => withTop('x-loop: &loop [a, [b, *loop]]\n'), expect: ['yaml_alias_cycle'] },
  {
    name: 'aliases that nest each other past 64 levels',
    input: () => {
      let out = `x-a0: &a0 ${'['.repeat(40)}x${']'.repeat(40)}\n`;
      for (let i = 1; i < 5; i++) out += `x-a${i}: &a${i} ${'['.repeat(40)}*a${i - 1}${']'.repeat(40)}\n`;
      return withTop(out);
    },
    expect: ['yaml_too_deep'],
  },
  // ---- nesting ---------------------------------------------------------------------------------
  { name: '100,000 unclosed [', input: () => '['.repeat(100_000), expect: ['yaml_too_deep'] },
  { name: '100,000 nested [] closed', input: () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`, expect: ['yaml_too_deep'] },
  { name: '100,000 nested {a: }', input: () => `${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}`, expect: ['yaml_too_deep'] },
  { name: '50,000 "- " block sequences on one line', input: () => `${'- '.repeat(50_000)}x\n`, expect: ['yaml_too_deep'] },
  { name: '3,000 levels of indented mappings', input: () => Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n', expect: ['yaml_too_deep'] },
  { name: 'deep nesting under a real key', input: () => withTop(`x-deep: ${'['.repeat(65)}${']'.repeat(65)}\n`), expect: ['yaml_too_deep'] },
  {
    name: '63 levels under the root are still read (the limit is 64)',
    input: () => withTop(`x-deep: ${'['.repeat(63)}${']'.repeat(63)}\n`),
    expect: ['schema_additional_property'],
    also: (r) => assert.ok(!r.diagnostics.some((d) => d.code === 'yaml_too_deep')),
  },
  // ---- bytes that are not UTF-8 ------------------------------------------------------------------
  {
    name: 'Latin-1 é in the description',
    input: () => {
      const [a, b] = withDescription('Caf@@ office').split('@@');
      return bytes(a!, [0xe9], b!);
    },
    expect: ['yaml_invalid_utf8'],
    also: (r) => assert.deepEqual([r.diagnostics[0]!.span!.line, r.diagnostics[0]!.span!.col], [6, 19]),
  },
  { name: 'a lone continuation byte 0x80', input: () => bytes('apiVersion: pbxplan/v1\nkind: ', [0x80], '\n'), expect: ['yaml_invalid_utf8'], also: (r) => assert.match(r.diagnostics[0]!.message, /0x80 continues/) },
  { name: 'an overlong encoding C0 AF', input: () => bytes('a: ', [0xc0, 0xaf], '\n'), expect: ['yaml_invalid_utf8'], also: (r) => assert.match(r.diagnostics[0]!.message, /overlong/) },
  { name: 'an encoded surrogate ED A0 80', input: () => bytes('a: ', [0xed, 0xa0, 0x80], '\n'), expect: ['yaml_invalid_utf8'], also: (r) => assert.match(r.diagnostics[0]!.message, /surrogate/) },
  { name: 'a code point beyond U+10FFFF', input: () => bytes('a: ', [0xf4, 0x90, 0x80, 0x80], '\n'), expect: ['yaml_invalid_utf8'], also: (r) => assert.match(r.diagnostics[0]!.message, /U\+10FFFF/) },
  { name: 'a character cut off at the end of the file', input: () => bytes('a: b', [0xe2, 0x82]), expect: ['yaml_invalid_utf8'], also: (r) => assert.match(r.diagnostics[0]!.message, /end of the file/) },
  { name: 'the byte 0xFF', input: () => bytes('a: ', [0xff], '\n'), expect: ['yaml_invalid_utf8'] },
  {
    name: 'a UTF-16 file with its byte-order mark',
    input: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(STANDALONE, 'utf16le')]),
    expect: ['yaml_invalid_utf8'],
    also: (r) => assert.match(r.diagnostics[0]!.message, /UTF-16/),
  },
  {
    name: 'a bad byte on line 100,001 of a 10 MB file',
    input: () => bytes(withTop(`x-pad:\n${`  - ${'p'.repeat(95)}\n`.repeat(100_000)}  - `), [0xc3, 0x28], '\n'),
    expect: ['yaml_invalid_utf8'],
    also: (r) => assert.equal(r.diagnostics[0]!.span!.line, STANDALONE.split('\n').length + 100_001),
  },
  { name: '1 MB of random bytes', input: () => randomBytes(1024 * 1024), expect: ['yaml_invalid_utf8'] },
  {
    name: 'a UTF-8 byte-order mark is accepted, positions count without it, the sha256 is of the bytes',
    input: () => bytes([0xef, 0xbb, 0xbf], STANDALONE),
    expect: 'clean',
    refused: false,
    also: (r) => {
      assert.ok(r.ok);
      const sha = execFileSync('sha256sum', { input: bytes([0xef, 0xbb, 0xbf], STANDALONE) }).toString().split(' ')[0];
      assert.equal(r.plan!.specSha256, sha);
    },
  },
  // ---- tags and keys -----------------------------------------------------------------------------
  { name: 'a !!python/object/apply tag', input: () => withDescription('!!python/object/apply:os.system ["reboot"]'), expect: ['yaml_tag_unsupported'] },
  { name: 'a local tag on a mapping', input: () => STANDALONE.replace('  host:\n', '  host: !host\n'), expect: ['yaml_tag_unsupported'] },
  { name: 'a !!binary tag (YAML 1.1 only)', input: () => withDescription('!!binary aGVsbG8='), expect: ['yaml_tag_unsupported'] },
  { name: 'a !!set and a !!timestamp tag', input: () => withTop('x-set: !!set { a, b }\nx-when: !!timestamp 2001-12-14\n'), expect: ['yaml_tag_unsupported'], also: (r) => assert.equal(r.diagnostics.filter((d) => d.code === 'yaml_tag_unsupported').length, 2) },
  { name: '!!map on a list', input: () => withTop('x-list: !!map [a, b]\n'), expect: ['yaml_tag_unsupported'] },
  { name: '!!str is a standard tag and is read', input: () => STANDALONE.replace('pbxImage: portsip/pbx:22.3', 'pbxImage: !!str portsip/pbx:22.3'), expect: 'clean', refused: false },
  { name: 'a list as an explicit key', input: () => withTop('? [a, b]\n: c\n'), expect: ['yaml_key_not_scalar'] },
  { name: 'a mapping as a flow key', input: () => withTop('x-map: { { a: 1 }: 2 }\n'), expect: ['yaml_key_not_scalar'] },
  { name: 'an alias as a key', input: () => withTop('x-anchor: &k name\nx-map:\n  *k : 2\n'), expect: ['yaml_key_not_scalar'] },
  // ---- empty files -----------------------------------------------------------------------------
  { name: 'an empty file', input: () => '', expect: ['yaml_document_empty'], also: (r) => assert.deepEqual(r.diagnostics[0]!.span, { line: 1, col: 1, endLine: 1, endCol: 2 }) },
  { name: 'an empty byte array', input: () => new Uint8Array(0), expect: ['yaml_document_empty'] },
  { name: 'only comments', input: () => '# a spec\n# to be written\n', expect: ['yaml_document_empty'], also: (r) => assert.match(r.diagnostics[0]!.hint!, /pbxplan init/) },
  { name: 'only blank lines and a document marker', input: () => '\n\n---\n\n', expect: ['yaml_document_empty'] },
  // ---- what reaches the terminal -----------------------------------------------------------------
  { name: 'raw ESC and BEL in the description', input: () => withDescription('a\x1b]0;pwned\x07 b\x1b[2J'), expect: ['value_unsafe'], also: (_r, out) => assert.match(out.pretty, /\\x1b\]0;pwned\\x07/) },
  { name: 'ESC in an unknown key', input: () => withTop('"\\e[31mred\\e[0m": 1\n'), expect: ['schema_additional_property'], also: (_r, out) => assert.match(out.short, /\\x1b\[31mred/) },
  { name: 'a bidirectional override in a key', input: () => withTop('"evil\u202eyek": 1\n'), expect: ['schema_additional_property'], also: (_r, out) => assert.match(out.json, /\\\\u202e/) },
  { name: 'C1 CSI (U+009B) in a host name', input: () => STANDALONE.replace('hostname: pbx', 'hostname: "pbx\\u009b31m"'), expect: ['value_unsafe'] },
  { name: 'DEL and isolates in an enum value', input: () => STANDALONE.replace('platform: onprem', 'platform: "on\x7fprem\u2066x\u2069"'), expect: ['schema_enum'] },
  {
    name: 'random control characters in keys and values (200 specs)',
    input: () => withTop('x-placeholder: 1\n'),
    expect: ['schema_additional_property'],
    also: () => {
      for (let i = 0; i < 200; i++) {
        const ctl = () => String.fromCharCode(...[...randomBytes(6)].map((b) => [b % 32, 0x7f, 0x80 + (b % 32), 0x202a + (b % 5), 0x2066 + (b % 4)][b % 5]!));
        const esc = (s: string) => JSON.stringify(s);
        const text = STANDALONE.replace('platform: onprem', `platform: ${esc(`on${ctl()}prem`)}`) + `${esc(`k${ctl()}`)}: ${esc(ctl())}\n`;
        const r = compile(text, { today: TODAY, generatedBy: 'hostile', toolchain });
        for (const f of ['pretty', 'short', 'json'] as const) {
          const o = formatDiagnostics(r.diagnostics, f, { file: 'spec.yaml', source: text, color: false });
          assert.doesNotMatch(o, RAW_CONTROL, `${f} of ${esc(text.slice(-40))}`);
        }
      }
    },
  },
  { name: 'a 10 MB one-line description', input: () => withDescription('x'.repeat(10_000_000)), expect: ['schema_range'], also: (_r, out) => assert.match(out.pretty, /10,000,0\d\d characters long/) },
  { name: 'a 10 MB line of ESC bytes after an error', input: () => STANDALONE.replace('platform: onprem', `platform: onpre # ${'\x1b'.repeat(10_000_000)}`), expect: ['schema_enum'] },
  { name: 'a 1 MB value quoted in a message', input: () => STANDALONE.replace('platform: onprem', `platform: ${'on'.repeat(500_000)}`), expect: ['schema_enum'], also: (r) => assert.ok(r.diagnostics[0]!.message.length < 400) },
  { name: 'a 100,000-character key', input: () => withTop(`? ${'k'.repeat(100_000)}\n: 1\n`), expect: ['schema_additional_property'] },
  // ---- secrets -------------------------------------------------------------------------------
  { name: 'the portal\'s IM token in the description', input: () => withDescription(`IM token ${VENDOR_TOKEN}`), expect: ['secret_value_in_spec'], secret: VENDOR_TOKEN },
  { name: 'a 32-hex token in the description', input: () => withDescription(`api key ${HEX32}`), expect: ['secret_value_in_spec'], secret: HEX32 },
  { name: 'an unknown key token: <secret>', input: () => withTop(`token: ${B64}\n`), expect: ['schema_additional_property'], secret: B64 },
  { name: 'a secret as a key', input: () => withTop(`${VENDOR_TOKEN}: 1\n`), expect: ['schema_additional_property'], secret: VENDOR_TOKEN },
  { name: 'a secret as a host name (the value is quoted in the message)', input: () => STANDALONE.replace('hostname: pbx', `hostname: "${B64}="`), expect: ['schema_pattern'], secret: B64 },
  { name: 'a secret as an enum value', input: () => STANDALONE.replace('platform: onprem', `platform: ${HEX32}`), expect: ['schema_enum'], secret: HEX32 },
  { name: 'a secret in a comment on a line with an error', input: () => STANDALONE.replace('platform: onprem', `platform: onpre # token ${VENDOR_TOKEN}`), expect: ['schema_enum'], secret: VENDOR_TOKEN },
  { name: 'a secret where the tokenRef belongs', input: () => CLUSTER.replace('tokenRef: { env: PBXPLAN_IM_TOKEN }', `tokenRef: ${VENDOR_TOKEN}`), expect: ['secret_ref_literal'], secret: VENDOR_TOKEN },
  { name: 'a secret in a 1 MB line', input: () => withDescription(`${'word '.repeat(200_000)}${B64}`), expect: ['schema_range'], secret: B64 },
  {
    name: 'a labelled sha256 digest is no secret',
    input: () => withDescription(`built from image sha256:${'9b2a0c6f4e1d8a7b'.repeat(4)}`),
    expect: 'clean',
    refused: false,
  },
  // ---- policy: what may never compile -----------------------------------------------------------
  { name: 'firewall.subnet 0.0.0.0/0', input: () => CLUSTER.replace('  trustedSources: hosts', '  trustedSources: subnet\n  subnet: 0.0.0.0/0'), expect: ['firewall_subnet_unsafe'] },
  { name: 'firewall.subnet 192.0.0.0/8', input: () => CLUSTER.replace('  trustedSources: hosts', '  trustedSources: subnet\n  subnet: 192.0.0.0/8'), expect: ['firewall_subnet_unsafe'] },
  { name: 'tokenRef: { env: PATH }', input: () => CLUSTER.replace('PBXPLAN_IM_TOKEN', 'PATH'), expect: ['secret_ref_system'] },
  { name: 'tokenRef: { env: LD_PRELOAD }', input: () => CLUSTER.replace('PBXPLAN_IM_TOKEN', 'LD_PRELOAD'), expect: ['secret_ref_system'] },
  { name: 'tokenRef: { file: /etc/shadow }', input: () => CLUSTER.replace('{ env: PBXPLAN_IM_TOKEN }', '{ file: /etc/shadow }'), expect: ['secret_ref_system'] },
  { name: 'tokenRef: { file: /root/.ssh/id_ed25519 }', input: () => CLUSTER.replace('{ env: PBXPLAN_IM_TOKEN }', '{ file: /root/.ssh/id_ed25519 }'), expect: ['secret_ref_system'] },
  { name: 'tokenRef: { file: /proc/self/environ }', input: () => CLUSTER.replace('{ env: PBXPLAN_IM_TOKEN }', '{ file: /proc/self/environ }'), expect: ['secret_ref_system'] },
  {
    name: 'an HA virtual IP outside the nodes\' /24',
    input: () => HA.replace('virtualIp: 192.168.1.130', 'virtualIp: 192.168.2.130'),
    expect: ['ha_vip_outside_node_network'],
    also: (r) => assert.match(r.diagnostics.find((d) => d.code === 'ha_vip_outside_node_network')!.hint!, /192\.168\.1\.0\/24/),
  },
  {
    name: 'a missing key is hinted with an example value',
    input: () => fixture('ha-aws').replace(/  ebsVolumeId: .*\n/, ''),
    expect: ['schema_required'],
    also: (r) => assert.match(r.diagnostics[0]!.hint!, /^add ebsVolumeId: vol-0123456789abcdef0 to aws/),
  },
];

const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-hostile-input-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

for (const c of CASES) {
  test(`hostile input: ${c.name}`, (t) => {
    const input = c.input();
    // The yaml library used to print through process.emitWarning; nothing may reach the console.
    const warnings: unknown[] = [];
    const emit = process.emitWarning;
    process.emitWarning = ((w: unknown) => void warnings.push(w)) as typeof process.emitWarning;
    const rss0 = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let r: CompileResult;
    try {
      r = compile(input, { today: TODAY, generatedBy: 'pbxplan (hostile)', toolchain });
    } finally {
      process.emitWarning = emit;
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const out = {} as Record<DiagnosticFormat, string>;
    for (const f of ['pretty', 'short', 'json'] as const) out[f] = formatDiagnostics(r.diagnostics, f, { file: 'spec.yaml', source: input, color: false });
    const grown = process.memoryUsage().rss - rss0;
    t.diagnostic(`${Math.round(ms)} ms (cpu ${Math.round(cpuMs)} ms), rss +${Math.round(grown / 1048576)} MB, output ${out.pretty.length} bytes`);

    assert.ok(cpuMs < MAX_CPU_MS, `${Math.round(cpuMs)} ms of CPU`);
    assert.ok(ms < MAX_WALL_MS, `${Math.round(ms)} ms`);
    assert.ok(grown < MAX_RSS_GROWTH, `rss grew ${grown}`);
    assert.deepEqual(warnings, [], 'the YAML library printed a warning');
    const codes = r.diagnostics.map((d) => d.code);
    if (c.expect === 'clean') {
      assert.ok(!codes.some((x) => x.startsWith('yaml_') || x.startsWith('secret_')), codes.join(', '));
    } else {
      for (const code of c.expect) assert.ok(codes.includes(code as never), `expected ${code}, got ${codes.join(', ')}`);
    }
    if (c.refused ?? c.expect !== 'clean') assert.equal(r.ok, false, 'the spec compiled');
    for (const d of r.diagnostics) {
      assert.ok(d.span && d.span.line >= 1 && d.span.col >= 1, `${d.code} has no position`);
      assert.ok(d.hint && d.hint.length > 0, `${d.code} has no hint`);
    }
    for (const [f, o] of Object.entries(out)) {
      assert.doesNotMatch(o, RAW_CONTROL, `${f}: a raw control character`);
      assert.ok(o.length < MAX_OUTPUT, `${f}: ${o.length} bytes of output`);
      assert.doesNotMatch(o, /\n\s+at .*\(.*:\d+:\d+\)/, `${f}: a stack trace`);
      if (c.secret) {
        for (let i = 0; i + 8 <= c.secret.length; i++) assert.ok(!o.includes(c.secret.slice(i, i + 8)), `${f} holds ${c.secret.slice(i, i + 8)}… of the secret`);
      }
    }
    c.also?.(r, out);
  });
}

test('hostile input: the generated script warns when the token file is readable by others', () => {
  const r = compile(fixture('cluster-scaled'), { today: TODAY, generatedBy: 'pbxplan (hostile)', toolchain });
  const script = r.files!.find((f) => f.path === 'hosts/im-server/install.sh')!.content;
  const fn = /\nwarn_secret_file_mode\(\) \{\n[\s\S]*?\n\}\n/.exec(script)?.[0];
  assert.ok(fn, 'install.sh defines warn_secret_file_mode');
  assert.match(script, /\n {4}warn_secret_file_mode \/root\/im\.token\n/);
  const token = join(tmp, 'im.token');
  writeFileSync(token, 'secret\n');
  const run = (mode: number) => {
    chmodSync(token, mode);
    return execFileSync('bash', ['-c', `ROOT=; say() { printf '%s\\n' "$*"; }\n${fn}\nwarn_secret_file_mode "$1"`, 'x', token]).toString();
  };
  assert.match(run(0o644), /has mode 644, so group or others can read it; restrict it with: chmod 600/);
  assert.match(run(0o640), /has mode 640/);
  assert.equal(run(0o600), '');
  assert.equal(run(0o400), '');
});

test('hostile input: the suite has enough cases', () => {
  assert.equal(CASES.length + 1, 70, 'README.md gives the number of cases');
});
