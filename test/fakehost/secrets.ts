// Where a secret ends up on a fake host: on the terminal (what a run printed), in the scripts'
// own log files, or in a file another local user can read. The secrets looked for are the value
// the fake host handed the scripts (IM token, registry password) and the database passwords the
// vendor stand-ins generate (they start with "fakedbpw-", see standins/lib.sh).
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeHost, RunResult } from './fakehost.js';

export const VENDOR_PASSWORD = /fakedbpw-[0-9a-f]+/;

/** Who besides root can read a file: "others" (o) or the file's group (g, the root group), when
 * the file has the read bit for them and every directory above it, up to the fake root, the
 * search bit. Empty when only root can. */
export function readableBy(root: string, rel: string): string[] {
  const parts = rel.split('/');
  const who: string[] = [];
  for (const [cls, r, x] of [['others', 0o004, 0o001], ['group', 0o040, 0o010]] as const) {
    if (!(lstatSync(join(root, rel)).mode & r)) continue;
    let ok = true;
    for (let i = 1; i < parts.length && ok; i++) ok = (lstatSync(join(root, ...parts.slice(0, i))).mode & x) !== 0;
    if (ok) who.push(cls);
  }
  return who;
}

/** Every regular file of a host's file system (its fake root without .fakehost), relative. */
function hostFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (!rel && e.name === '.fakehost') continue;
    if (e.isDirectory()) out.push(...hostFiles(root, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/** The fake roots of a host: its own and those of the hosts it reached over SSH. */
function roots(fake: FakeHost): { name: string; root: string }[] {
  const out = [{ name: '', root: fake.root }];
  const remote = join(fake.dir, 'remote');
  if (existsSync(remote)) for (const r of readdirSync(remote).sort()) out.push({ name: `ssh@${r}:`, root: join(remote, r) });
  return out;
}

export interface ExposureOptions {
  /** Runs whose output (terminal) must not show a secret, by name. */
  runs: [string, RunResult][];
  /** Host paths (prefixes) left out of the file scan: data a container writes with its own
   * modes (the PBX data path), which no bundle controls. */
  skip?: string[];
}

/** Each place a secret was exposed, as a sentence; empty when none was. */
export function secretExposures(fake: FakeHost, secrets: string[], opts: ExposureOptions): string[] {
  const out: string[] = [];
  const values = secrets.filter((s) => s.length > 0);
  const bufs = values.map((s) => Buffer.from(s, 'utf8'));
  const holdsSecret = (b: Buffer) => bufs.some((s) => b.includes(s));
  const found = (b: Buffer): string | null => {
    if (holdsSecret(b)) return 'the secret';
    const m = VENDOR_PASSWORD.exec(b.toString('latin1'));
    return m ? `a vendor database password (${m[0]})` : null;
  };
  for (const [name, r] of opts.runs) {
    const what = values.find((s) => (r.stdout + r.stderr).includes(s));
    if (what) out.push(`${name} printed the secret on the terminal`);
  }
  for (const { name, root } of roots(fake)) {
    for (const rel of hostFiles(root)) {
      if ((opts.skip ?? []).some((p) => `/${rel}`.startsWith(p.replace(/\/?$/, '/')))) continue;
      const bytes = readFileSync(join(root, rel));
      const what = found(bytes);
      if (!what) continue;
      if (rel.startsWith('var/log/pbxplan/') && holdsSecret(bytes)) out.push(`${name}/${rel} (the script's log) holds the secret`);
      const who = readableBy(root, rel);
      if (who.length) out.push(`${name}/${rel} holds ${what} and is readable by ${who.join(' and ')} (mode ${(lstatSync(join(root, rel)).mode & 0o777).toString(8)})`);
    }
  }
  return out;
}
