// A fake host for running generated install.sh scripts: a temporary root directory (the scripts'
// PBXPLAN_ROOT) and a PATH that holds only our stand-ins and an allow-list of harmless system
// tools. The stand-ins (./standins, POSIX sh) keep state in files under <root>/.fakehost and
// append every state-changing call to a mutation log; see docs/fakehost.md.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STANDINS = fileURLToPath(new URL('./standins/', import.meta.url));

/** Real tools the scripts and stand-ins may use: text and file utilities only, nothing that
 * reaches the system (no docker, firewall-cmd, systemctl, ssh…: those are stand-ins). */
const SYSTEM_TOOLS = [
  'bash', 'sh', 'dash', 'env', 'cat', 'sed', 'awk', 'mawk', 'gawk', 'grep', 'cut', 'tr', 'head', 'tail', 'date',
  'mkdir', 'rmdir', 'rm', 'cp', 'mv', 'ln', 'touch', 'chmod', 'ls', 'sort', 'uniq', 'wc', 'tee', 'od', 'printf',
  'dirname', 'basename', 'readlink', 'realpath', 'sleep', 'true', 'false', 'test', '[', 'expr', 'sha256sum', 'cksum',
  'mktemp', 'find', 'xargs', 'stat', 'diff', 'cmp', 'seq', 'tac', 'base64', 'comm', 'paste', 'fold', 'tar', 'gzip',
  'install', 'python3', 'du',
];

/** What the host is, as the preflight and the stand-ins see it. */
export interface HostFacts {
  osId: string; // /etc/os-release ID
  osVersionId: string; // /etc/os-release VERSION_ID
  /** IPv4 addresses on interfaces, "a.b.c.d" (taken as /24) or "a.b.c.d/nn". */
  addresses: string[];
  cpus: number;
  memoryMib: number;
  diskKib: number; // size of the one file system
  ntpSynchronized: boolean;
  /** Installed Debian packages (dpkg-query). */
  packages: string[];
  hostname: string;
  uid: number; // what `id -u` prints
  /** Login accounts besides root: in /etc/passwd (home /home/NAME) and in the sudo group. */
  accounts: string[];
  /** Block devices: path ("/dev/sdb") → size in bytes; blank (no file system, no partitions). */
  blockDevices: Record<string, number>;
  /** The AWS CLI is installed and configured for this region (null: no AWS CLI). */
  awsRegion: string | null;
  /** The EC2 instance id the instance metadata service reports (fake curl); null: not on EC2. */
  awsInstanceId: string | null;
}

export const DEFAULT_FACTS: HostFacts = {
  osId: 'ubuntu',
  osVersionId: '24.04',
  addresses: ['192.0.2.10'],
  cpus: 4,
  memoryMib: 16 * 1024,
  diskKib: 100 * 1024 * 1024,
  ntpSynchronized: true,
  packages: ['openssh-server', 'ufw', 'unattended-upgrades'],
  hostname: 'fakehost',
  uid: 0,
  accounts: [],
  blockDevices: {},
  awsRegion: null,
  awsInstanceId: null,
};

/** The fake registry: a floating tag resolves to a fixed newest release (others: the tag). */
const REGISTRY = ['portsip/pbx:22 22.6.0', 'portsip/sbc:11 11.2.3'];

export interface FakeHostOptions {
  facts?: Partial<HostFacts>;
  scriptsDir?: string; // where the ctl stand-ins go (paths.scripts)
  haGuideDir?: string | null; // where the HA stand-ins go (paths.haGuide); null: not installed
  /** Put the ctl stand-ins into scriptsDir (default); false when the bundle installs them. */
  installVendorScripts?: boolean;
  /** Parent of the temporary root (default: the OS temporary directory). */
  parent?: string;
  /** A fixed root instead of a temporary one; one that holds a fake host already is continued
   * as it is (its state, files and stand-ins kept: see state.ts). */
  root?: string;
  /** No Internet (facts/offline): apt, curl and pulls fail, except towards `reachable`. */
  offline?: boolean;
  /** Hosts (host or host:port) an offline host still reaches: the site's registry or mirror. */
  reachable?: string[];
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Mutation-log lines this run appended. */
  mutations: string[];
  /** Vendor calls this run made, each its argv (script name first), byte for byte. */
  calls: Buffer[][];
}

/** Decodes one log line: words split on spaces, each percent-decoded ("" is the empty word). */
export function decodeLogLine(line: string): Buffer[] {
  return line.split(' ').map((w) => {
    if (w === '""') return Buffer.alloc(0);
    const bytes: number[] = [];
    for (let i = 0; i < w.length; i++) {
      if (w[i] === '%') {
        bytes.push(parseInt(w.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(w.charCodeAt(i));
      }
    }
    return Buffer.from(bytes);
  });
}

/** A vendor call as text, for messages and comparisons (arguments joined by spaces). */
export function callText(call: readonly (Buffer | string)[]): string {
  return call.map((a) => (typeof a === 'string' ? a : a.toString('utf8'))).map((a) => (a === '' || /[\s'"\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

// Looked up once per process: every fake host links the same ~60 tools.
const whichCache = new Map<string, string | null>();

function which(tool: string): string | null {
  if (whichCache.has(tool)) return whichCache.get(tool)!;
  const found = findTool(tool);
  whichCache.set(tool, found);
  return found;
}

function findTool(tool: string): string | null {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).concat(['/usr/local/bin', '/usr/bin', '/bin']);
  for (const d of dirs) {
    const p = join(d, tool);
    if (d && existsSync(p)) return p;
  }
  return null;
}

function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) continue;
    copyFileSync(join(from, e.name), join(to, e.name));
    chmodSync(join(to, e.name), 0o755);
  }
}

export class FakeHost {
  /** The fake root: what the scripts see as "/". */
  readonly root: string;
  /** <root>/.fakehost: stand-ins, facts, state and logs. */
  readonly dir: string;
  readonly scriptsDir: string;
  readonly haGuideDir: string | null;
  /** snapshot()'s file hashes by path, kept while the file's inode, size, mtime and ctime stay
   * the same: any write or chmod moves ctime, which no tool can set back, so an unchanged key
   * means unchanged bytes, and a snapshot hashes only what changed since the last one. File
   * times tick coarsely (a few ms), so a file changed in the last 100 ms (many ticks) is hashed again each
   * time (git's "racy" rule): a rewrite within one tick cannot hide behind an equal key. */
  private readonly hashes = new Map<string, { key: string; hash: string }>();

  constructor(opts: FakeHostOptions = {}) {
    const facts = { ...DEFAULT_FACTS, ...opts.facts };
    this.scriptsDir = opts.scriptsDir ?? '/opt/portsip';
    this.haGuideDir = opts.haGuideDir === undefined ? '/opt/portsip-pbx-ha-guide' : opts.haGuideDir;
    if (opts.root !== undefined) mkdirSync(opts.root, { recursive: true });
    this.root = opts.root ?? mkdtempSync(join(opts.parent ?? tmpdir(), 'pbxplan-fakehost-'));
    this.dir = join(this.root, '.fakehost');
    if (opts.root !== undefined && existsSync(join(this.dir, 'lib.sh'))) {
      this.setFacts(facts); // continued: its state kept, its facts (addresses…) those of the new bundle
      return;
    }
    try {
      for (const d of ['etc', 'root', 'tmp', 'usr/bin', 'usr/sbin', 'var/lib', 'var/log', 'run', '.fakehost/state', '.fakehost/facts']) {
        mkdirSync(join(this.root, d), { recursive: true });
      }
      this.writeFile('/proc/sys/kernel/random/boot_id', `fakeboot-${facts.hostname}-0\n`);
      copyFileSync(join(STANDINS, 'lib.sh'), join(this.dir, 'lib.sh'));
      copyTree(join(STANDINS, 'bin'), join(this.dir, 'bin'));
      copyTree(join(STANDINS, 'pkg'), join(this.dir, 'pkg'));
      if (opts.installVendorScripts !== false) copyTree(join(STANDINS, 'vendor'), this.hostPath(this.scriptsDir));
      if (this.haGuideDir !== null) copyTree(join(STANDINS, 'ha'), this.hostPath(this.haGuideDir));
      const sysbin = join(this.dir, 'sysbin');
      mkdirSync(sysbin);
      for (const tool of new Set(SYSTEM_TOOLS)) {
        const real = which(tool);
        if (real) symlinkSync(real, join(sysbin, tool));
      }
      writeFileSync(join(this.dir, 'mutations.log'), '');
      writeFileSync(join(this.dir, 'argv.log'), '');
      this.setFacts(facts);
      this.writeFact('registry', REGISTRY.join('\n') + '\n');
      this.writeState('packages', facts.packages.map((p) => p + '\n').join(''));
      this.writeState('units/ssh', 'installed\nenabled\nactive\n');
      this.writeState('units/ufw', 'installed\nenabled\nactive\n');
      this.writeState('units/unattended-upgrades', 'installed\nenabled\nactive\n');
      for (const t of ['apt-daily.timer', 'apt-daily-upgrade.timer']) this.writeState(`units/${t}`, 'installed\nenabled\nactive\n');
      // Where apt fetches from (a fake address, like every address the fake host knows).
      this.writeFile('/etc/apt/sources.list.d/ubuntu.sources', 'Types: deb\nURIs: http://archive.fakehost.invalid/ubuntu/\nSuites: noble noble-updates\nComponents: main restricted universe\n');
      if (opts.offline) this.setOffline(true, opts.reachable ?? []);
    } catch (e) {
      // A root that could not be set up is not left behind.
      rmSync(this.root, { recursive: true, force: true });
      throw e;
    }
  }

  /** Takes the host off the Internet (or back); `reachable` hosts stay reachable offline. */
  setOffline(offline: boolean, reachable: string[] = []): void {
    if (offline) this.writeFact('offline', '');
    else this.removeFact('offline');
    if (reachable.length) this.writeFact('reachable-registries', reachable.map((r) => r + '\n').join(''));
    else this.removeFact('reachable-registries');
  }

  /** What the vendor scripts did to the host as a whole (automatic updates off, ufw, sysctl,
   * firewalld services…), one line each; see state/host-effects. */
  hostEffects(): string[] {
    return readLines(join(this.dir, 'state', 'host-effects'));
  }

  /** Sets facts (the rest are kept). Packages are state: see setPackages. */
  setFacts(f: Partial<HostFacts>): void {
    if (f.osId !== undefined || f.osVersionId !== undefined) {
      const id = f.osId ?? DEFAULT_FACTS.osId;
      const ver = f.osVersionId ?? DEFAULT_FACTS.osVersionId;
      this.writeFile('/etc/os-release', `PRETTY_NAME="${id} ${ver} (fake)"\nNAME="${id}"\nVERSION_ID="${ver}"\nID=${id}\n`);
    }
    if (f.addresses) this.writeFact('addresses', f.addresses.map((a) => (a.includes('/') ? a : `${a}/24`) + ' eth0\n').join(''));
    if (f.cpus !== undefined) this.writeFact('cpus', `${f.cpus}\n`);
    if (f.memoryMib !== undefined) this.writeFact('memory-mib', `${f.memoryMib}\n`);
    if (f.diskKib !== undefined) this.writeFact('disk-kib', `${f.diskKib}\n`);
    if (f.ntpSynchronized !== undefined) this.writeFact('ntp-synchronized', f.ntpSynchronized ? 'yes\n' : 'no\n');
    if (f.hostname !== undefined) this.writeFact('hostname', `${f.hostname}\n`);
    if (f.uid !== undefined) this.writeFact('uid', `${f.uid}\n`);
    if (f.packages) this.setPackages(f.packages);
    if (f.accounts) {
      const passwd = ['root:x:0:0:root:/root:/bin/bash', ...f.accounts.map((a, i) => `${a}:x:${1000 + i}:${1000 + i}::/home/${a}:/bin/bash`)];
      const group = ['root:x:0:', `sudo:x:27:${f.accounts.join(',')}`, ...f.accounts.map((a, i) => `${a}:x:${1000 + i}:`)];
      this.writeFile('/etc/passwd', passwd.join('\n') + '\n');
      this.writeFile('/etc/group', group.join('\n') + '\n');
      for (const a of f.accounts) mkdirSync(this.hostPath(`/home/${a}`), { recursive: true });
      this.writeFact('users', f.accounts.map((a) => a + '\n').join(''));
    }
    if (f.blockDevices) {
      for (const [dev, bytes] of Object.entries(f.blockDevices)) {
        this.writeFact(`blockdevs/${dev.replace(/^\/dev\//, '')}`, `size=${bytes}\ntype=disk\n`);
      }
    }
    if (f.awsInstanceId) this.writeFact('aws-instance-id', `${f.awsInstanceId}\n`);
    if (f.awsRegion) {
      this.writeFact('aws-region', `${f.awsRegion}\n`);
      mkdirSync(this.hostPath('/usr/local/bin'), { recursive: true });
      copyFileSync(join(this.dir, 'pkg', 'aws'), this.hostPath('/usr/local/bin/aws'));
      chmodSync(this.hostPath('/usr/local/bin/aws'), 0o755);
    }
  }

  /** Other hosts this one reaches over SSH, each a fake root of its own under
   * .fakehost/remote/ADDRESS (created here rather than on first contact, so that a read-only
   * first contact changes nothing). */
  addRemoteHosts(hosts: { address: string; hostname: string }[]): void {
    // The same layout as fh_remote_root in standins/lib.sh (which creates hosts met later).
    for (const { address, hostname } of hosts) {
      const rr = this.remoteRoot(address);
      if (existsSync(join(rr, '.fakehost'))) continue;
      for (const d of ['.fakehost/state/units', '.fakehost/facts', 'etc', 'root', 'tmp', 'usr/bin', 'proc/sys/kernel/random']) {
        mkdirSync(join(rr, d), { recursive: true });
      }
      copyFileSync(join(this.dir, 'lib.sh'), join(rr, '.fakehost/lib.sh'));
      copyTree(join(this.dir, 'pkg'), join(rr, '.fakehost/pkg'));
      for (const f of ['os-release', 'passwd', 'group']) {
        if (existsSync(this.hostPath(`/etc/${f}`))) copyFileSync(this.hostPath(`/etc/${f}`), join(rr, 'etc', f));
      }
      if (existsSync(this.hostPath('/home'))) {
        for (const u of readdirSync(this.hostPath('/home'))) mkdirSync(join(rr, 'home', u), { recursive: true });
      }
      for (const f of ['cpus', 'memory-mib', 'disk-kib', 'ntp-synchronized', 'registry', 'uid', 'ssh-accepted-keys', 'offline', 'reachable-registries', 'registry-auth']) {
        const src = join(this.dir, 'facts', f);
        if (existsSync(src)) copyFileSync(src, join(rr, '.fakehost/facts', f));
      }
      writeFileSync(join(rr, '.fakehost/facts/hostname'), `${hostname}\n`);
      writeFileSync(join(rr, '.fakehost/facts/addresses'), /^[0-9.]+$/.test(address) ? `${address}/24 eth0\n` : '');
      writeFileSync(join(rr, 'proc/sys/kernel/random/boot_id'), `fakeboot-${hostname}-0\n`);
      writeFileSync(join(rr, '.fakehost/state/packages'), 'openssh-server\n');
      writeFileSync(join(rr, '.fakehost/state/units/ssh'), 'installed\nenabled\nactive\n');
      writeFileSync(join(rr, '.fakehost/mutations.log'), '');
      writeFileSync(join(rr, '.fakehost/argv.log'), '');
    }
  }

  /** The fake root of another host this one reached over SSH. */
  remoteRoot(address: string): string {
    return join(this.dir, 'remote', address);
  }

  /** A key pair every host accepts for SSH (the AWS key pair, set when instances launch). */
  addSharedSshKey(hostPath: string, content = 'FAKE AWS KEY PAIR\n'): void {
    this.writeFile(hostPath, content, 0o400);
    chmodSync(this.hostPath(hostPath), 0o400);
    const f = join(this.dir, 'facts', 'ssh-accepted-keys');
    writeFileSync(f, (existsSync(f) ? readFileSync(f, 'utf8') : '') + this.hostPath(hostPath) + '\n');
  }

  setPackages(packages: string[]): void {
    this.writeState('packages', packages.map((p) => p + '\n').join(''));
  }

  /** A host path ("/etc/x") inside the fake root. */
  hostPath(p: string): string {
    return join(this.root, p);
  }

  writeFile(hostPath: string, content: string | Buffer, mode = 0o644): void {
    const p = this.hostPath(hostPath);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content, { mode });
  }

  /** facts/NAME: a switch or value the stand-ins read (see docs/fakehost.md). */
  writeFact(name: string, content: string): void {
    mkdirSync(dirname(join(this.dir, 'facts', name)), { recursive: true });
    writeFileSync(join(this.dir, 'facts', name), content);
  }

  removeFact(name: string): void {
    rmSync(join(this.dir, 'facts', name), { force: true });
  }

  writeState(name: string, content: string): void {
    mkdirSync(dirname(join(this.dir, 'state', name)), { recursive: true });
    writeFileSync(join(this.dir, 'state', name), content);
  }

  /** The environment a script runs in: nothing of the caller's but what is named here. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    const r = this.root;
    return {
      PATH: [join(this.dir, 'bin'), `${r}/usr/local/sbin`, `${r}/usr/local/bin`, `${r}/usr/sbin`, `${r}/usr/bin`, join(this.dir, 'sysbin')].join(':'),
      PBXPLAN_ROOT: r,
      HOME: join(r, 'root'),
      USER: 'root',
      LOGNAME: 'root',
      LC_ALL: 'C.UTF-8',
      TMPDIR: join(r, 'tmp'),
      ...extra,
    };
  }

  mutations(): string[] {
    return readLines(join(this.dir, 'mutations.log'));
  }

  calls(): Buffer[][] {
    return readLines(join(this.dir, 'argv.log')).map(decodeLogLine);
  }

  /** Runs a script with bash on this host; resolves with its exit code, output and logs. */
  run(script: string, args: string[] = [], opts: RunOptions = {}): Promise<RunResult> {
    const mBefore = this.mutations().length;
    const cBefore = this.calls().length;
    const bash = which('bash') ?? '/bin/bash';
    return new Promise((resolve, reject) => {
      const child = spawn(bash, [script, ...args], {
        cwd: opts.cwd ?? dirname(script),
        env: this.env(opts.env),
        stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        // A safety net against a hang, generous for a loaded machine (an HA control node's
        // run takes some 10 s alone).
        timeout: opts.timeoutMs ?? 180_000,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout!.on('data', (d: Buffer) => out.push(d));
      child.stderr!.on('data', (d: Buffer) => err.push(d));
      if (opts.input !== undefined) child.stdin!.end(opts.input);
      child.on('error', reject);
      child.on('close', (code) => {
        resolve({
          code,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          mutations: this.mutations().slice(mBefore),
          calls: this.calls().slice(cBefore),
        });
      });
    });
  }

  /** Every path under the root with what it is (files: size, mtime, hash), the logs excepted:
   * the fake host's own logs, the scripts' log files and their lock file. */
  snapshot(): Map<string, string> {
    const snap = new Map<string, string>();
    const skip = (rel: string) =>
      /(^|\/)\.fakehost\/(mutations|argv)\.log$/.test(rel) || rel.startsWith('var/log/pbxplan/') || rel.startsWith('run/lock/');
    const walk = (dir: string, rel: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (skip(r)) continue;
        const p = join(dir, e.name);
        const st = lstatSync(p);
        if (st.isSymbolicLink()) snap.set(r, `l ${readlinkSync(p)}`);
        else if (st.isDirectory()) {
          snap.set(r, `d ${(st.mode & 0o7777).toString(8)}`);
          walk(p, r);
        } else {
          const key = `${st.ino} ${st.size} ${st.mtimeMs} ${st.ctimeMs}`;
          let hash = this.hashes.get(p)?.key === key ? this.hashes.get(p)!.hash : null;
          if (hash === null) {
            hash = createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16);
            if (Date.now() - Math.max(st.mtimeMs, st.ctimeMs) > 100) this.hashes.set(p, { key, hash });
          }
          snap.set(r, `f ${(st.mode & 0o7777).toString(8)} ${st.size} ${st.mtimeMs} ${hash}`);
        }
      }
    };
    walk(this.root, '');
    return snap;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** spawnSync's result (text) without blocking the process: tests running at once in one file
 * go on while a long tool (shellcheck, ansible-lint) works. */
export function spawnText(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** The paths whose entry differs between two snapshots ("+" added, "-" removed, "~" changed). */
export function snapshotDiff(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [p, v] of after) {
    if (!before.has(p)) out.push(`+ ${p}`);
    else if (before.get(p) !== v) out.push(`~ ${p}`);
  }
  for (const p of before.keys()) if (!after.has(p)) out.push(`- ${p}`);
  return out.sort();
}
