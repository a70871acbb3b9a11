// The package as users get it: `npm pack`, the tarball installed into an empty prefix (as
// `npm install -g` does), then the installed `pbxplan` (the bin link) prints its version and
// compiles the example to the same bundle as the working tree's CLI does. The pack runs without
// scripts: the tests run against the dist/ that `npm test` built.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO, readTree } from './golden.js';

const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-pack-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; bin: { pbxplan: string } };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r;
}

test('npm pack, installed into an empty prefix: pbxplan --version and a compile of the example work', () => {
  const packed = JSON.parse(sh(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], REPO).stdout) as { filename: string; files: { path: string }[] }[];
  const files = packed[0]!.files.map((f) => f.path);
  assert.ok(files.includes(pkg.bin.pbxplan), `the tarball lacks its bin ${pkg.bin.pbxplan}`);
  assert.ok(files.some((f) => f.endsWith('.cjs.cache')), 'the tarball lacks the code caches of the bundled commands');
  assert.deepEqual(files.filter((f) => /^(src|test|fixtures|bench|scripts)\//.test(f)), [], 'sources and tests are not shipped');

  const prefix = join(tmp, 'prefix');
  mkdirSync(prefix);
  // --prefer-offline: the dependencies come from npm's cache when it has them (--offline fails on ENOTCACHED metadata).
  sh(npm, ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(tmp, packed[0]!.filename)], tmp);
  const bin = join(prefix, process.platform === 'win32' ? 'pbxplan.cmd' : join('bin', 'pbxplan'));
  assert.ok(existsSync(bin), `npm linked no ${bin}`);

  assert.equal(sh(bin, ['--version'], tmp).stdout, `pbxplan ${pkg.version}\n`);
  const installed = join(tmp, 'installed');
  const here = join(tmp, 'here');
  const args = (out: string) => ['compile', join(REPO, 'examples', 'cluster.yaml'), '-o', out, '--today', '2026-01-01'];
  sh(bin, args(installed), tmp);
  sh(process.execPath, [join(REPO, pkg.bin.pbxplan), ...args(here)], tmp);
  const a = readTree(installed);
  assert.ok(a.has('RUNBOOK.md') && a.has('manifest.json'), 'the installed CLI wrote no bundle');
  assert.deepEqual(a, readTree(here), 'the installed CLI writes another bundle than the working tree');
});
