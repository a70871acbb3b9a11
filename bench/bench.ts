// npm run bench: compile generated specs of 10, 100 and 1,000 cluster servers and print the
// median compile time and the peak memory per size. Each size runs in its own child process so
// that peak RSS belongs to that size alone. Figures, not assertions: the machine is noisy.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compile, createToolchain } from '../src/index.js';

const SIZES = [10, 100, 1000];
const ROLES = ['media', 'queue', 'meeting', 'ivr'] as const;

/** A valid T2 spec with `n` cluster servers (plus one IM and one Data Flow server). */
export function generateSpec(n: number): string {
  const ip = (i: number) => `10.${10 + Math.floor(i / 250)}.${i % 250}.${(i % 7) + 10}`;
  const lines = [
    'apiVersion: pbxplan/v1',
    'kind: Cluster',
    'metadata: { name: bench }',
    'platform: onprem',
    'os: ubuntu-24.04',
    'release: { pbxImage: "portsip/pbx:22.3" }',
    'pbx:',
    '  mode: single',
    '  host: { hostname: pbx, privateIp: 10.0.0.10 }',
    'servers:',
  ];
  for (let i = 0; i < n; i++) {
    const role = ROLES[i % ROLES.length]!;
    lines.push(`  - { role: ${role}, name: ${role}-${i}, privateIp: ${ip(i)}${role === 'media' ? ', maxCallSessions: 5000' : ''} }`);
  }
  lines.push('  - { role: im, name: im, privateIp: 10.0.1.25, tokenRef: { env: PBXPLAN_IM_TOKEN } }');
  lines.push('  - { role: dataflow, name: df, privateIp: 10.0.1.26 }');
  lines.push('whitelist: { expires: 2036-12-31 }');
  return lines.join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function child(n: number): void {
  const text = generateSpec(n);
  const t0 = performance.now();
  const toolchain = createToolchain();
  const toolchainMs = performance.now() - t0;
  const runs = n >= 1000 ? 7 : 15;
  const times: number[] = [];
  let files = 0;
  let bytes = 0;
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    const r = compile(text, { today: '2026-01-01', generatedBy: 'pbxplan bench', toolchain });
    const ms = performance.now() - start;
    if (!r.ok) throw new Error(`bench spec with ${n} servers did not compile: ${r.diagnostics[0]?.message}`);
    if (i >= 2) times.push(ms); // the first two runs warm the JIT
    files = r.files!.length;
    bytes = r.files!.reduce((a, f) => a + f.content.length, 0);
  }
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ n, runs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), toolchainMs, maxRssMb, files, bytes }) + '\n');
}

function main(): void {
  const self = fileURLToPath(import.meta.url);
  console.log(`pbxplan bench: node ${process.version}, ${SIZES.join(' / ')} cluster servers (+ IM and Data Flow)`);
  console.log('servers  hosts  files  bundle KiB  median ms  min ms  max ms  ms/server  peak RSS MiB  toolchain ms');
  const results: { n: number; medianMs: number }[] = [];
  for (const n of SIZES) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', String(n)], { encoding: 'utf8' });
    if (r.status !== 0) {
      process.stderr.write(r.stderr);
      process.exit(1);
    }
    const d = JSON.parse(r.stdout.trim().split('\n').pop()!) as { n: number; medianMs: number; minMs: number; maxMs: number; toolchainMs: number; maxRssMb: number; files: number; bytes: number };
    results.push(d);
    console.log(
      [
        String(n).padStart(7),
        String(n + 3).padStart(6),
        String(d.files).padStart(6),
        (d.bytes / 1024).toFixed(0).padStart(11),
        d.medianMs.toFixed(1).padStart(10),
        d.minMs.toFixed(1).padStart(7),
        d.maxMs.toFixed(1).padStart(7),
        (d.medianMs / n).toFixed(3).padStart(10),
        d.maxRssMb.toFixed(0).padStart(13),
        d.toolchainMs.toFixed(0).padStart(13),
      ].join(' '),
    );
  }
  for (let i = 1; i < results.length; i++) {
    const a = results[i - 1]!;
    const b = results[i]!;
    console.log(`growth ${a.n} -> ${b.n} servers (x${b.n / a.n}): time x${(b.medianMs / a.medianMs).toFixed(2)}`);
  }
  const big = results[results.length - 1]!;
  console.log(`target: ${big.n} servers under 1000 ms: ${big.medianMs < 1000 ? 'met' : 'MISSED'} (${big.medianMs.toFixed(0)} ms)`);
}

const i = process.argv.indexOf('--child');
if (i >= 0) child(Number(process.argv[i + 1]));
else main();
