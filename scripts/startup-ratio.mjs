// Start-up figures: each pbxplan command line as a whole process, against bare `node -e 0`,
// alternating the two in one run so that a busy machine slows both alike. Prints the medians and
// their ratio. Figures, not assertions (the machine is noisy); npm run bench prints the same.
// Run: node scripts/startup-ratio.mjs [RUNS] [BIN]   (BIN defaults to package.json's bin)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

function time(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

console.log(`start-up: node ${process.version}, ${runs} alternating runs each, ${bin.slice(ROOT.length + 1)}`);
console.log('command    node -e 0 ms  pbxplan ms  ratio');
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
    const mb = median(base);
    const mc = median(cmd);
    console.log(`${c.name.padEnd(9)}  ${mb.toFixed(1).padStart(12)}  ${mc.toFixed(1).padStart(10)}  ${(mc / mb).toFixed(2)}×`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
