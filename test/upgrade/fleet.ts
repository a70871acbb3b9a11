// A site of fake hosts for upgrade tests: every host of the OLD bundle installed, the upgrade
// bundle copied beside it; runs in the runbook's order; each host's state as data to compare.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleHosts, copyBundle, setUpHost, siteHosts, type BundleHost, type HostSetup } from '../fakehost/bundle.js';
import { converge } from '../fakehost/cycle.js';
import type { RunResult } from '../fakehost/fakehost.js';

export const UPGRADE_ON_HOST = '/root/pbxplan-upgrade';

export function writeBundle(files: Map<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pbxplan-upgrade-bundle-'));
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content, { mode: path.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return dir;
}

export interface SiteHost {
  name: string;
  setup: HostSetup;
  upgradeScript: string | null; // absolute, on the fake host
}

/** Where the site has no Internet: from the start (an air-gapped install), or only after the
 * install (a site that went offline since); only the spec's registry and mirror answer. */
export type Offline = 'never' | 'always' | 'after-install';

/** Installs every host of `bundleDir` on a fake host of its own; copies `upgradeDir` onto each. */
export async function installSite(bundleDir: string, upgradeDir: string | null, offline: Offline = 'never'): Promise<SiteHost[]> {
  const out: SiteHost[] = [];
  for (const h of bundleHosts(bundleDir)) {
    // Offline means no Internet: the site's registry and mirror, and its own hosts, still answer.
    const site = [...siteHosts(h.plan), ...h.plan.hosts.map((o) => o.privateIp)];
    const setup = setUpHost(h);
    if (offline === 'always') setup.fake.setOffline(true, site);
    const r = await converge(setup, setup.script, ['--yes']);
    if (r.result.code !== 0) throw new Error(`install of ${h.host.hostname} failed: ${r.result.stderr.slice(-2000)}`);
    if (offline === 'after-install') setup.fake.setOffline(true, site);
    let upgradeScript: string | null = null;
    if (upgradeDir !== null && existsSync(join(upgradeDir, 'hosts', h.host.hostname, 'install.sh'))) {
      copyBundle(setup.fake, upgradeDir, UPGRADE_ON_HOST); // stand-ins' sums in the script pins
      upgradeScript = setup.fake.hostPath(`${UPGRADE_ON_HOST}/hosts/${h.host.hostname}/install.sh`);
    }
    out.push({ name: h.host.hostname, setup, upgradeScript });
  }
  return out;
}

export function disposeSite(site: SiteHost[]): void {
  for (const s of site) s.setup.fake.dispose();
}

export async function runUpgrade(s: SiteHost, args: string[] = ['--yes'], env: Record<string, string> = {}): Promise<RunResult> {
  return s.setup.fake.run(s.upgradeScript!, args, { env: { ...s.setup.env, ...env } });
}

/** What a host runs: each container's image, state, project and arguments, and the images it holds. */
export function hostState(s: { setup: HostSetup }): { containers: Record<string, string>; images: string[] } {
  return dockerState(s.setup.fake.dir);
}

/** An HA site as the control node sees it: the image its PBX runs, its HA package's vars.yml
 * image, and the Docker state of itself and of every host it deployed to (nested fake roots). */
export function haSiteState(s: { setup: HostSetup }, haGuide: string): Record<string, unknown> {
  const fh = s.setup.fake.dir;
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').trim() : null);
  const out: Record<string, unknown> = {
    pbxImage: read(join(fh, 'state', 'ha', 'pbx-image')),
    pbxStopped: existsSync(join(fh, 'state', 'ha', 'pbx-stopped')),
    varsImage: /^pbx_image:\s*(.*)$/m.exec(read(s.setup.fake.hostPath(`${haGuide}/res/vars.yml`)) ?? '')?.[1] ?? null,
    control: dockerState(fh),
  };
  const remotes = join(fh, 'remote');
  if (existsSync(remotes)) for (const r of readdirSync(remotes).sort()) out[r] = dockerState(join(remotes, r, '.fakehost'));
  return out;
}

function dockerState(fakehostDir: string): { containers: Record<string, string>; images: string[] } {
  const root = join(fakehostDir, 'state', 'docker');
  const containers: Record<string, string> = {};
  const cdir = join(root, 'containers');
  if (existsSync(cdir)) {
    for (const c of readdirSync(cdir).sort()) {
      const read = (f: string) => (existsSync(join(cdir, c, f)) ? readFileSync(join(cdir, c, f), 'utf8').trim() : '');
      containers[c] = `${read('image')} running=${read('running')} project=${read('project')} args=${read('args')}`;
    }
  }
  const idir = join(root, 'images');
  const images = existsSync(idir) ? readdirSync(idir).sort() : [];
  return { containers, images };
}

export function rmDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export type { BundleHost };
