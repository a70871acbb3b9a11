// npm run bench: figures, never assertions (the machine is shared and noisy: medians and ratios).
// 1. Start-up: `pbxplan --help`, `validate` and `compile` of the seed HA spec, each as a whole
//    process through the package.json `bin` entry, against bare `node -e 0`, alternating in one
//    run (median of RUNS each), printed as ratios to `node -e 0`.
// 2. In process: generated specs of 10, 100 and 1,000 cluster servers compiled by the built
//    library (what `main` names), the files streamed to a sink as the CLI writes them
//    (CompilerHost.writeFile): median wall and CPU ms of 11 compiles after 3 warm-up ones, the
//    first compile's wall ms, ms per server, the growth ratios, and the peak RSS of one compile in
//    a fresh process (streamed, and holding every file as `compile()` without writeFile does).
// Run `npm run build` first: both parts measure dist/, what users run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = [10, 100, 1000];
const STARTUP_RUNS = 10;
// In process: the median of IN_PROCESS_RUNS compiles after WARMUP_RUNS (V8 is still optimising, and
// the heap still growing to its working size, through the second and third compile of 1,000
// servers: one warm-up left them in the median), and the first compile on its own.
const WARMUP_RUNS = 3;
const IN_PROCESS_RUNS = 11;
const SEED = join(REPO, 'fixtures', 'ha-onprem', 'spec.yaml');
const TODAY = '2026-01-01';
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

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { main: string; bin: string | Record<string, string> };
const BIN = join(REPO, typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['pbxplan']!);
const MAIN = join(REPO, pkg.main);

// ---- in process (a child per measurement) ------------------------------------------------------

type Library = typeof import('../src/index.js');

async function child(n: number): Promise<void> {
  const lib = (await import(pathToFileURL(MAIN).href)) as Library;
  const text = generateSpec(n);
  const toolchain = lib.createToolchain();
  let bytes = 0;
  let files = 0;
  const writeFile = (f: { content: string }) => {
    bytes += f.content.length;
    files++;
  };
  const once = (stream: boolean) => {
    const r = lib.compile(text, { today: TODAY, generatedBy: 'pbxplan bench', toolchain, host: stream ? { writeFile } : {} });
    if (!r.ok) throw new Error(`bench spec with ${n} servers did not compile: ${r.diagnostics[0]?.message}`);
    return r;
  };
  const wall: number[] = [];
  const cpu: number[] = [];
  let firstMs = 0;
  for (let i = 0; i < WARMUP_RUNS + IN_PROCESS_RUNS; i++) {
    bytes = 0;
    files = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    once(true);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (i === 0) firstMs = ms; // the process's first compile: every function still cold
    if (i < WARMUP_RUNS) continue;
    wall.push(ms);
    cpu.push((c.user + c.system) / 1000);
  }
  process.stdout.write(JSON.stringify({ runs: IN_PROCESS_RUNS, wallMs: median(wall), cpuMs: median(cpu), firstMs, files, bytes }) + '\n');
}

/** One compile in a fresh plain Node process (no TypeScript loader, as the CLI runs): its peak RSS. */
const RSS_CHILD = `
  const { readFileSync } = await import('node:fs');
  const lib = await import(process.argv[1]);
  const text = readFileSync(process.argv[2], 'utf8');
  const held = process.argv[3] === 'held';
  const r = lib.compile(text, { today: '${TODAY}', generatedBy: 'pbxplan bench', toolchain: lib.createToolchain(), host: held ? {} : { writeFile() {} } });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  process.stdout.write(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\\n');`;

function rssChild(n: number, mode: 'stream' | 'held'): { maxRssMb: number } {
  const dir = mkdtempSync(join(tmpdir(), 'pbxplan-bench-'));
  try {
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, generateSpec(n));
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', RSS_CHILD, pathToFileURL(MAIN).href, spec, mode], { encoding: 'utf8', cwd: REPO });
    if (r.status !== 0) {
      process.stderr.write(r.stderr);
      process.exit(1);
    }
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { maxRssMb: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild<T>(n: number): T {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(n)], { encoding: 'utf8', cwd: REPO });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(1);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

// ---- start-up (whole processes) ----------------------------------------------------------------

function startup(): void {
  const out = mkdtempSync(join(tmpdir(), 'pbxplan-bench-'));
  const commands: { name: string; argv: () => string[] }[] = [
    { name: 'node -e 0', argv: () => ['-e', '0'] },
    { name: 'pbxplan --help', argv: () => [BIN, '--help'] },
    { name: 'pbxplan validate (seed HA)', argv: () => [BIN, 'validate', SEED, '--today', TODAY] },
    { name: 'pbxplan compile (seed HA)', argv: () => [BIN, 'compile', SEED, '-o', join(out, 'b'), '--force', '--today', TODAY] },
  ];
  const times = commands.map(() => [] as number[]);
  try {
    for (let i = 0; i < STARTUP_RUNS + 1; i++) {
      // Alternating, in a rotating order, so that a burst of load falls on every command alike.
      for (let k = 0; k < commands.length; k++) {
        const j = (i + k) % commands.length;
        const t0 = performance.now();
        const r = spawnSync(process.execPath, commands[j]!.argv(), { encoding: 'utf8', cwd: REPO });
        const ms = performance.now() - t0;
        if (r.status !== 0) throw new Error(`${commands[j]!.name} exited ${r.status}: ${r.stderr}`);
        if (i > 0) times[j]!.push(ms); // the first round fills the disk cache
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const base = median(times[0]!);
  console.log(`start-up, whole process (median of ${STARTUP_RUNS} alternating runs; bin ${typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['pbxplan']}):`);
  const targets: Record<string, number> = { 'pbxplan --help': 1.3, 'pbxplan validate (seed HA)': 1.5, 'pbxplan compile (seed HA)': 2.0 };
  commands.forEach((c, j) => {
    const m = median(times[j]!);
    const target = targets[c.name];
    console.log(`  ${c.name.padEnd(28)} ${m.toFixed(0).padStart(6)} ms  x${(m / base).toFixed(2)}${target ? `  (target x${target}: ${m / base <= target ? 'met' : 'missed'})` : ''}`);
  });
}

// ---- main ----------------------------------------------------------------------------------------

function main(): void {
  if (!existsSync(BIN) || !existsSync(MAIN)) {
    console.error(`bench: ${existsSync(BIN) ? MAIN : BIN} is missing; run npm run build first`);
    process.exit(2);
  }
  console.log(`pbxplan bench: node ${process.version}`);
  startup();
  console.log(`\nin process, ${SIZES.join(' / ')} cluster servers (+ IM and Data Flow), files streamed to a sink (CompilerHost.writeFile):`);
  console.log(`(median of ${IN_PROCESS_RUNS} compiles after ${WARMUP_RUNS} warm-up ones; "first": the process's first compile)`);
  console.log('servers  hosts  files  bundle KiB  median ms  cpu ms  first ms  ms/server  peak RSS MiB  (holding all files)');
  const results: { n: number; wallMs: number; cpuMs: number; rss: number }[] = [];
  for (const n of SIZES) {
    const d = runChild<{ wallMs: number; cpuMs: number; firstMs: number; files: number; bytes: number }>(n);
    const stream = rssChild(n, 'stream');
    const held = n === SIZES[SIZES.length - 1] ? rssChild(n, 'held') : null;
    results.push({ n, wallMs: d.wallMs, cpuMs: d.cpuMs, rss: stream.maxRssMb });
    console.log(
      [
        String(n).padStart(7),
        String(n + 3).padStart(6),
        String(d.files).padStart(6),
        (d.bytes / 1024).toFixed(0).padStart(11),
        d.wallMs.toFixed(1).padStart(10),
        d.cpuMs.toFixed(0).padStart(7),
        d.firstMs.toFixed(0).padStart(9),
        (d.wallMs / n).toFixed(3).padStart(10),
        stream.maxRssMb.toFixed(0).padStart(13),
        (held ? `(${held.maxRssMb.toFixed(0)})` : '').padStart(20),
      ].join(' '),
    );
  }
  for (let i = 1; i < results.length; i++) {
    const a = results[i - 1]!;
    const b = results[i]!;
    console.log(`growth ${a.n} -> ${b.n} servers (x${b.n / a.n}): time x${(b.wallMs / a.wallMs).toFixed(2)}, cpu x${(b.cpuMs / a.cpuMs).toFixed(2)}`);
  }
  const big = results[results.length - 1]!;
  const prev = results[results.length - 2]!;
  const growth = big.wallMs / prev.wallMs;
  console.log(
    `targets at ${big.n} servers: <= 300 ms ${big.wallMs <= 300 ? 'met' : 'missed'} (${big.wallMs.toFixed(0)} ms), <= 200 MB peak RSS ${big.rss <= 200 ? 'met' : 'missed'} (${big.rss.toFixed(0)} MiB), t(${big.n})/t(${prev.n}) <= 11 ${growth <= 11 ? 'met' : 'missed'} (x${growth.toFixed(2)})`,
  );
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(Number(process.argv[at + 1]));
else main();
