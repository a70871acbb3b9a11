// What an air-gapped site must carry (domain Appendix B), as a pure function of the Plan:
// the vendor control scripts each host calls, the vendor HA package (control node), one image
// tarball per image, and the Debian packages for Docker Engine, the Compose plugin and firewalld.
// The bundle layout is part of the contract (docs/airgap.md); the artifacts directory given to
// `compile --artifacts DIR` has the same layout as the bundle's `artifacts/` folder.
import type { PlanArtifact, ArtifactKind, Plan } from '../../model/plan.js';
import { controlScripts } from './calls.js';
import type { DraftHost } from './topology/common.js';
import type { HostRole } from '../../model/hosts.js';
import { ARTIFACTS_ROOT, HA_PACKAGES, LOCAL_REGISTRY, REQUIRED_DEBS, VENDOR_POSTGRES_IMAGE, imageFileName } from '../../model/artifacts.js';

/** Image references per role: every PortSIP role but the SBC runs the PBX image (§2.8). */
function imagesOf(role: HostRole, release: Plan['release'], unqualified: (image: string) => string): { image: string; fileImage: string }[] {
  const r = release;
  const postgres = r.postgresImage ?? VENDOR_POSTGRES_IMAGE;
  const list: (string | null)[] = [];
  if (role === 'sbc') list.push(r.sbcImage);
  else list.push(r.pbxImage);
  if (role === 'pbx' || role === 'im') list.push(postgres);
  if (role === 'dataflow') list.push(r.clickhouseImage);
  return list.filter((i): i is string => !!i).map((image) => ({ image, fileImage: unqualified(image) }));
}

// The domain notes' Appendix B.1, B.5, B.3, B.2, B.3 in order.
const WHY = {
  script: 'PortSIP control script the steps call; init.sh would download it from the Internet',
  ha: 'vendor HA package unpacked on the control node; it is downloaded from portsip.com',
  image: 'loaded before the vendor scripts run, so that nothing large is pulled during the window',
  debs: 'Docker Engine, the Compose plugin and firewalld, which install_docker.sh would fetch from the Internet',
  registry: 'the bundle\'s own registry, run on each host on 127.0.0.1 and seeded with the bundled images as its Docker Hub mirror, so that the vendor scripts\' unconditional pulls succeed without the Internet',
} as const;

/** How the artifacts are meant to be used: for a bundle that carries them (--artifacts). */
export interface ArtifactUse {
  /** The bundled Debian packages install Docker: install_docker.sh is not needed. */
  debsInstallDocker: boolean;
  /** The bundle brings its own registry (no site registry or mirror): its image per host. */
  localRegistry: boolean;
}

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
export function requiredArtifacts(
  hosts: DraftHost[],
  topology: Plan['cluster']['topology'],
  release: Plan['release'],
  unqualified: (image: string) => string = (i) => i,
  use: ArtifactUse = { debsInstallDocker: false, localRegistry: false },
): Omit<PlanArtifact, 'state' | 'files' | 'missing'>[] {
  // Most artifacts (the images, the packages) are used by every host: the hosts of each are kept
  // in a set beside its list, so that adding a host stays constant time.
  const byPath = new Map<string, { draft: Draft; seen: Set<string> }>();
  const add = (d: Omit<Draft, 'hosts'>, hostname: string) => {
    let cur = byPath.get(d.path);
    if (!cur) byPath.set(d.path, (cur = { draft: { ...d, hosts: [] }, seen: new Set() }));
    if (!cur.seen.has(hostname)) {
      cur.seen.add(hostname);
      cur.draft.hosts.push(hostname);
    }
  };
  const ha = topology === 'ha-onprem' || topology === 'ha-aws' ? topology : null;
  const control = ha ? hosts.find((h) => h.role === 'pbx') : undefined;

  for (const host of hosts) {
    // Where the bundled packages install Docker, install_docker.sh is never called.
    const steps = use.debsInstallDocker ? host.steps.filter((s) => s.kind !== 'docker') : host.steps;
    for (const name of controlScripts(steps)) {
      add({ kind: 'vendor-script', path: `${ARTIFACTS_ROOT}/scripts/${name}`, required: [name], image: null, why: WHY.script }, host.hostname);
    }
    if (ha && host === control) {
      const name = HA_PACKAGES[ha];
      add({ kind: 'ha-package', path: `${ARTIFACTS_ROOT}/ha/${name}`, required: [name], image: null, why: WHY.ha }, host.hostname);
    }
    const images = imagesOf(host.role, release, unqualified);
    for (const { image, fileImage } of images) {
      const name = imageFileName(fileImage);
      add({ kind: 'image', path: `${ARTIFACTS_ROOT}/images/${name}`, required: [name], image, why: WHY.image }, host.hostname);
    }
    if (use.localRegistry && images.length) {
      const name = imageFileName(LOCAL_REGISTRY.image);
      add({ kind: 'image', path: `${ARTIFACTS_ROOT}/images/${name}`, required: [name], image: LOCAL_REGISTRY.image, why: WHY.registry }, host.hostname);
    }
    add({ kind: 'debs', path: `${ARTIFACTS_ROOT}/debs/`, required: [...REQUIRED_DEBS], image: null, why: WHY.debs }, host.hostname);
  }

  const order: ArtifactKind[] = ['vendor-script', 'ha-package', 'image', 'debs'];
  return [...byPath.values()]
    .map((e) => e.draft)
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
