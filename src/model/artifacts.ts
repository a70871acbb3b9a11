// What an air-gapped site carries, as facts of the model: where artifacts live in a bundle, how
// their files are named, what each is and how to obtain it. Shared by the planner and the targets.
import type { ArtifactKind, PlanArtifact } from './plan.js';

/** Where artifacts live inside a bundle. */
export const ARTIFACTS_ROOT = 'artifacts';

/** The PostgreSQL image the vendor scripts use when `-d` is not given (pbx_ctl.sh, im_ctl.sh; §2.8). */
export const VENDOR_POSTGRES_IMAGE = 'portsip/postgresql:14.12';

/** The vendor HA packages (Appendix B.5), by topology. */
export const HA_PACKAGES = {
  'ha-onprem': 'portsip-pbx-ha-guide-22-online.tar.gz',
  'ha-aws': 'portsip-pbx-ha-on-aws-guide-22.tar.gz',
} as const;

/** The bundle's own registry when the spec names none (docs/airgap.md): Docker's registry image,
 * run on each host on loopback (Docker talks plain HTTP to 127.0.0.0/8 without configuration)
 * and set as that host's Docker Hub mirror. */
export const LOCAL_REGISTRY = {
  image: 'registry:2',
  address: '127.0.0.1:5000',
  mirror: 'http://127.0.0.1:5000',
  container: 'pbxplan-registry',
  dataDir: '/var/lib/pbxplan/registry',
} as const;

/** The control scripts' revision pbxplan knows (portsip/portsip-pbx-sh, folder v22.x, commit
 * 51586c7: the revision the project's facts were read from), and each script's sha256 there.
 * A spec may name another (release.scripts). */
export const KNOWN_SCRIPTS = {
  revision: 'v22.x@51586c7',
  source: 'GitHub repository portsip/portsip-pbx-sh, folder v22.x, commit 51586c7',
  sha256: {
    'pbx_ctl.sh': '1962db307a9238feb59f06e05d6795d11113575db113dba679d7afb7cea3b056',
    'cluster_ctl.sh': '00d6b54bd3e69472d45681796395b7b38bde346006b9ae1f4b88387445372ad3',
    'im_ctl.sh': '120ce4dfcfd0f597c27d317ca5f4d53c7947220e6af94d6634457186645f13d2',
    'dataflow_ctl.sh': '4d802268e87db938db9960bb2828e6bb922fbdf1b07b489d57ab250470aeadd1',
    'sbc_ctl.sh': '4a9041cbcb505e77aa8849ada62426a4d701d368925f6b369589a62f243bcc5f',
    'install_docker.sh': '341a11644afa8ecacf0c0638499654af49a58278f3b6927098d2dd8d837974d1',
  } as Record<string, string>,
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
