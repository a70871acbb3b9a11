// What an air-gapped site must carry (domain Appendix B), as a pure function of the Plan:
// the vendor control scripts each host calls, the vendor HA package (control node), one image
// tarball per image, and the Debian packages for Docker Engine, the Compose plugin and firewalld.
// The bundle layout is part of the contract (docs/airgap.md); the artifacts directory given to
// `compile --artifacts DIR` has the same layout as the bundle's `artifacts/` folder.
import type { ArtifactKind, Plan, PlanArtifact } from '../../model/plan.js';
import type { HostRole } from '../../model/hosts.js';

/** Where artifacts live inside a bundle. */
export const ARTIFACTS_ROOT = 'artifacts';

/** The PostgreSQL image the vendor scripts use when `-d` is not given (pbx_ctl.sh, im_ctl.sh; §2.8). */
export const VENDOR_POSTGRES_IMAGE = 'portsip/postgresql:14.12';

/** The vendor HA packages (Appendix B.5), by topology. */
export const HA_PACKAGES = {
  'ha-onprem': 'portsip-pbx-ha-guide-22-online.tar.gz',
  'ha-aws': 'portsip-pbx-ha-on-aws-guide-22.tar.gz',
} as const;

/** How the registry password is named in preflight.secrets and messages. */
export const REGISTRY_PASSWORD_LABEL = 'registry password';

/** A file the HA package provides, used to tell that it has been unpacked (domain §7). */
export const HA_PACKAGE_PROBE = 'ha_ctl.sh';

/** Packages that must each match one `<package>_*.deb` file (Appendix B.2). Other .deb files in
 * the directory (dependencies such as nftables or python3-dbus) are carried along as they are. */
export const REQUIRED_DEBS = ['containerd.io', 'docker-ce', 'docker-ce-cli', 'docker-compose-plugin', 'firewalld', 'python3-firewall'] as const;

/** A file name inside the artifacts directory: no spaces, quotes or other shell-active characters
 * (Debian file names use `+`, `~` and `%3a` for the epoch colon). */
export const ARTIFACT_NAME = /^[A-Za-z0-9][A-Za-z0-9._+~%:-]*$/;

/** What an artifact's file is called; images use their reference without the site registry. */
export function imageFileName(image: string): string {
  return image.replace(/[/:@]/g, '_') + '.tar';
}

/** The artifact a `compile --artifacts` run expects for a deb package: `debs/<package>_….deb`. */
export function debMatches(pkg: string, fileName: string): boolean {
  return fileName.startsWith(`${pkg}_`) && fileName.endsWith('.deb');
}

/** Image references per role: every PortSIP role but the SBC runs the PBX image (§2.8). */
function imagesOf(role: HostRole, plan: Plan, unqualified: (image: string) => string): { image: string; fileImage: string }[] {
  const r = plan.release;
  const postgres = r.postgresImage ?? VENDOR_POSTGRES_IMAGE;
  const list: (string | null)[] = [];
  if (role === 'sbc') list.push(r.sbcImage);
  else list.push(r.pbxImage);
  if (role === 'pbx' || role === 'im') list.push(postgres);
  if (role === 'dataflow') list.push(r.clickhouseImage);
  return list.filter((i): i is string => !!i).map((image) => ({ image, fileImage: unqualified(image) }));
}

const WHY = {
  script: 'PortSIP control script the steps call; init.sh would download it from the Internet (Appendix B.1)',
  ha: 'vendor HA package unpacked on the control node; it is downloaded from portsip.com (Appendix B.5)',
  image: 'loaded before the vendor scripts run, so that nothing large is pulled during the window (Appendix B.3)',
  debs: 'Docker Engine, the Compose plugin and firewalld, which install_docker.sh would fetch from the Internet (Appendix B.2)',
} as const;

interface Draft {
  kind: ArtifactKind;
  path: string;
  required: string[];
  image: string | null;
  why: string;
  hosts: string[];
}

/**
 * Every artifact the plan's hosts use, each once with the hosts that use it, in a stable order
 * (scripts, HA package, images, debs; by path within each). `unqualified` strips the site
 * registry from an image reference, so that tarball names do not depend on it.
 */
export function requiredArtifacts(plan: Plan, unqualified: (image: string) => string = (i) => i): Omit<PlanArtifact, 'state' | 'files' | 'missing'>[] {
  const byPath = new Map<string, Draft>();
  const add = (d: Omit<Draft, 'hosts'>, hostname: string) => {
    const cur = byPath.get(d.path) ?? { ...d, hosts: [] };
    if (!cur.hosts.includes(hostname)) cur.hosts.push(hostname);
    byPath.set(d.path, cur);
  };
  const ha = plan.cluster.topology === 'ha-onprem' || plan.cluster.topology === 'ha-aws' ? plan.cluster.topology : null;
  const control = ha ? plan.hosts.find((h) => h.role === 'pbx') : undefined;

  for (const host of plan.hosts) {
    // Scripts the preflight looks for, plus those an earlier withOfflineSteps already moved into
    // a vendor-scripts step: requiredArtifacts gives the same answer before and after it.
    const installed = host.steps.flatMap((s) => (s.kind === 'vendor-scripts' ? s.scripts.map((x) => x.name) : []));
    for (const name of [...host.preflight.vendorScripts, ...installed]) {
      add({ kind: 'vendor-script', path: `${ARTIFACTS_ROOT}/scripts/${name}`, required: [name], image: null, why: WHY.script }, host.hostname);
    }
    if (ha && host === control) {
      const name = HA_PACKAGES[ha];
      add({ kind: 'ha-package', path: `${ARTIFACTS_ROOT}/ha/${name}`, required: [name], image: null, why: WHY.ha }, host.hostname);
    }
    for (const { image, fileImage } of imagesOf(host.role, plan, unqualified)) {
      const name = imageFileName(fileImage);
      add({ kind: 'image', path: `${ARTIFACTS_ROOT}/images/${name}`, required: [name], image, why: WHY.image }, host.hostname);
    }
    add({ kind: 'debs', path: `${ARTIFACTS_ROOT}/debs/`, required: [...REQUIRED_DEBS], image: null, why: WHY.debs }, host.hostname);
  }

  const order: ArtifactKind[] = ['vendor-script', 'ha-package', 'image', 'debs'];
  return [...byPath.values()]
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((d) => ({ id: artifactId(d), ...d }));
}

function artifactId(d: Draft): string {
  switch (d.kind) {
    case 'image':
      return `image:${d.image}`;
    case 'debs':
      return 'debs';
    default:
      return `${d.kind}:${d.required[0]}`;
  }
}

/** The artifact's path relative to the artifacts directory (`images/x.tar`, `debs/`). */
export function sourcePath(bundlePath: string): string {
  return bundlePath.slice(ARTIFACTS_ROOT.length + 1);
}

/** What kind of file an artifact is, for people. */
export const ARTIFACT_WHAT: Record<ArtifactKind, string> = {
  'vendor-script': 'PortSIP control script',
  'ha-package': 'vendor HA package',
  image: 'image tarball',
  debs: 'Debian package',
};

/** The file to put into the artifacts directory for one required name (debs: a pattern). */
export function artifactFile(a: Pick<PlanArtifact, 'kind' | 'path'>, name: string): string {
  return a.kind === 'debs' ? `${sourcePath(a.path)}${name}_*.deb` : sourcePath(a.path);
}

/** How to obtain one required file of an artifact, in one line. */
export function howToObtain(a: Pick<PlanArtifact, 'kind' | 'path' | 'image'>, name: string): string {
  const file = artifactFile(a, name);
  switch (a.kind) {
    case 'vendor-script':
      return `copy ${name} from the PortSIP script set the site has validated into ${file}`;
    case 'ha-package':
      return `download ${name} from portsip.com and put it at ${file}`;
    case 'image':
      return `on a machine that has the image: docker save ${a.image} -o ${file}`;
    case 'debs':
      return `on Ubuntu 24.04 (same architecture): apt-get download ${name}, then put the .deb into ${sourcePath(a.path)}`;
  }
}
