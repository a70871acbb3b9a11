// Runs every src/**/*.test.ts and test/**/*.test.ts with node's test runner through tsx. Node 20 does not expand
// globs for --test, so the files are listed here. Extra arguments are passed to node --test
// (e.g. --test-name-pattern=golden).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

const files = [...find('src'), ...find('test')].sort();
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...process.argv.slice(2), ...files];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
