// Start-up figures: each pbxplan command line as a whole process, against bare `node -e 0`,
// alternating the two in one run so that a busy machine slows both alike. Prints the medians and
// their ratio: of wall time, and of CPU time (user + system, reported by the process itself at
// exit through a preloaded hook, the same for both), which a busy machine disturbs less.
// Figures, not assertions (the machine is noisy).
// Run: node scripts/startup-ratio.mjs [RUNS] [BIN]   (BIN defaults to package.json's bin)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 15);
const bin = process.argv[3] ?? join(ROOT, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.pbxplan);
const spec = join(ROOT, 'fixtures', 'ha-onprem', 'spec.yaml');
const work = mkdtempSync(join(tmpdir(), 'pbxplan-startup-'));

const CASES = [
  { name: '--help', args: ['--help'] },
  { name: 'validate', args: ['validate', spec, '--today', '2026-01-01'] },
  { name: 'compile', args: (i) => ['compile', spec, '--today', '2026-01-01', '-o', join(work, `out${i}`)] },
];

const MARK = 'pbxplan-startup-cpu:';
// A CommonJS preload (--require): an --import hook would start Node's ES module loader in every
// run, a cost neither `node -e 0` nor the CommonJS bin has.
const HOOK = join(work, 'cpu-hook.cjs');
writeFileSync(HOOK, `process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\n${MARK}'+(u.user+u.system)/1000+'\\n')})`);

function time(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', HOOK, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const cpu = Number(r.stderr.slice(r.stderr.lastIndexOf(MARK) + MARK.length));
  return { ms, cpu };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

console.log(`start-up: node ${process.version}, ${runs} alternating runs each, ${bin.startsWith(ROOT) ? bin.slice(ROOT.length + 1) : bin}`);
console.log('command    wall: node -e 0  pbxplan   ratio    cpu: node -e 0  pbxplan   ratio');
try {
  for (const c of CASES) {
    const base = [];
    const cmd = [];
    for (let i = 0; i < runs + 1; i++) {
      const b = time(['-e', '0']);
      const a = time([bin, ...(typeof c.args === 'function' ? c.args(i) : c.args)]);
      if (i === 0) continue; // the first pair warms the file cache
      base.push(b);
      cmd.push(a);
    }
    const row = (k) => {
      const b = median(base.map((x) => x[k]));
      const a = median(cmd.map((x) => x[k]));
      return `${b.toFixed(1).padStart(12)} ms ${a.toFixed(1).padStart(7)} ms ${(a / b).toFixed(2).padStart(5)}×`;
    };
    console.log(`${c.name.padEnd(9)}  ${row('ms')}   ${row('cpu')}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
