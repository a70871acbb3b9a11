// Pass 3, air gap (docs/airgap.md, domain Appendix B): the artifacts a site must carry and which
// of them this bundle carries (the caller's artifacts directory is asked between passes), and per
// host the steps that install bundled scripts, the HA package, Debian packages, the mirror and the
// images. Image references are already final (base pass): nothing here rewrites an earlier pass.
import { basename } from 'node:path';
import { CODES, fill, type Code } from '../../diagnostics/codes.js';
import type { DiagnosticBag } from '../../diagnostics/diagnostic.js';
import { closest } from '../../diagnostics/suggest.js';
import { ARTIFACTS_ROOT, ARTIFACT_WHAT, HA_PACKAGE_PROBE, KNOWN_SCRIPTS, LOCAL_REGISTRY, artifactFile, debMatches, howToObtain, sourcePath } from '../../model/artifacts.js';
import type { ArtifactCopy, SuppliedArtifacts } from '../../model/bundle.js';
import type { AirgapPlan, Decision, DraftStep, PlanArtifact } from '../../model/plan.js';
import { requiredArtifacts } from './artifacts.js';
import { registryLoginCall } from './calls.js';
import type { BasePlan } from './base.js';
import type { Spec } from '../../model/spec.js';
import type { DraftHost, TopologyPass } from './topology/common.js';
import { fromScripts } from '../../model/guides.js';

/** The directory given to --artifacts, as the caller reads it: the planner asks it between passes
 * for the names it holds and for the digests of the files the plan can use. */
export interface ArtifactSource {
  label: string; // as the user named it, for messages
  /** Missing artifacts are warnings instead of errors. */
  allowMissing: boolean;
  /** Every file under the directory: relative paths, forward slashes, sorted. */
  list(): string[];
  /** Size and sha256 of one listed file. */
  digest(path: string): { size: number; sha256: string };
}

/** What the air-gap pass adds to one host. */
export interface HostAdditions {
  /** Before the topology's steps: bundled scripts, the HA package, Debian packages. */
  before: DraftStep[];
  /** After the step that installs Docker (or after `before`): the mirror and image loads. */
  after: DraftStep[];
  /** Control scripts the bundle installs: the preflight need not find them in paths.scripts. */
  bundledScripts: string[];
  /** The HA package is unpacked by a step: the preflight need not find its scripts. */
  haPackage: boolean;
  /** The bundled packages install Docker: the topology's docker step (install_docker.sh) goes. */
  replacesDocker: boolean;
}

export interface AirgapPass {
  airgap: AirgapPlan;
  additions: Map<string, HostAdditions>; // by host name
  decisions: Decision[];
  /** Artifact files the caller copies into the bundle, sorted by path. */
  copies: ArtifactCopy[];
}

/** scriptPin: the spec's release.scripts (null: the revision pbxplan knows). */
export function planAirgap(base: BasePlan, topology: TopologyPass, source: ArtifactSource | null, bag: DiagnosticBag, scriptPin: NonNullable<Spec['release']['scripts']> | null = null): AirgapPass {
  // A bundle that carries its artifacts and names no registry or mirror brings its own registry
  // (the vendor scripts pull on every run, C32); its bundled packages install Docker.
  const local = source !== null && !base.registry && !base.registryMirror;
  const required = requiredArtifacts(topology.hosts, topology.cluster.topology, base.head.release, base.unqualify, { debsInstallDocker: source !== null, localRegistry: local });
  const supplied = source ? supply(source, wantedBy(required)) : null;
  const artifacts = resolve(required, supplied);
  const localRegistry = local ? { image: LOCAL_REGISTRY.image, address: LOCAL_REGISTRY.address, mirror: LOCAL_REGISTRY.mirror } : null;
  const airgap: AirgapPlan = { artifactsDir: supplied !== null, registry: base.registry, registryMirror: base.registryMirror, localRegistry, artifacts };
  reportArtifacts(airgap, supplied, bag);
  if (supplied) checkScriptRevision(artifacts, supplied, scriptPin, bag);
  const users = artifactUsers(artifacts);
  const additions = new Map(topology.hosts.map((h) => [h.hostname, hostAdditions(h, artifacts.filter((a) => users.get(a)!.has(h.hostname)), base, airgap)]));
  const example = base.registry && base.unqualify(base.head.release.pbxImage) !== base.head.release.pbxImage ? `${base.unqualify(base.head.release.pbxImage)} is pulled as ${base.head.release.pbxImage}` : null;
  return { airgap, additions, decisions: decisions(airgap, example), copies: artifactCopies(artifacts, supplied) };
}

/** The artifact files a plan can use: exact paths, and every .deb directly in debs/. */
function wantedBy(required: ReturnType<typeof requiredArtifacts>): (path: string) => boolean {
  const exact = new Set<string>();
  const dirs: string[] = [];
  for (const a of required) {
    if (a.kind === 'debs') dirs.push(sourcePath(a.path));
    else exact.add(sourcePath(a.path));
  }
  return (p) => exact.has(p) || dirs.some((d) => isDebIn(d, p));
}

const isDebIn = (dir: string, path: string) => path.startsWith(dir) && !path.slice(dir.length).includes('/') && path.endsWith('.deb');

/** Asks the caller's artifacts directory for every name, and a digest of the files the plan can use. */
function supply(source: ArtifactSource, wanted: (path: string) => boolean): SuppliedArtifacts {
  const names = source.list();
  const files = names.filter(wanted).map((path) => ({ path, ...source.digest(path) }));
  return { dir: source.label, files, names, allowMissing: source.allowMissing };
}

/** Matches the required artifacts against what the artifacts directory holds. */
function resolve(required: ReturnType<typeof requiredArtifacts>, supplied: SuppliedArtifacts | null): PlanArtifact[] {
  return required.map((a) => {
    if (!supplied) return { ...a, state: 'external', files: [], missing: [] };
    if (a.kind === 'debs') {
      const dir = sourcePath(a.path);
      const debs = supplied.files.filter((f) => isDebIn(dir, f.path));
      const missing = a.required.filter((pkg) => !debs.some((f) => debMatches(pkg, basename(f.path))));
      const files = missing.length ? [] : debs.map((f) => `${ARTIFACTS_ROOT}/${f.path}`).sort();
      return { ...a, state: missing.length ? 'missing' : 'bundled', files, missing };
    }
    const found = supplied.files.some((f) => f.path === sourcePath(a.path));
    return { ...a, state: found ? 'bundled' : 'missing', files: found ? [a.path] : [], missing: found ? [] : [...a.required] };
  });
}


/** The hosts that use each bundled artifact, as sets (an image is used by every host: a list
 * searched once per host would grow with the square of the hosts). */
function artifactUsers(artifacts: PlanArtifact[]): Map<PlanArtifact, Set<string>> {
  return new Map(artifacts.map((a) => [a, new Set(a.state === 'bundled' ? a.hosts : [])]));
}

/** `mine`: the bundled artifacts the host uses, in the plan's order. */
function hostAdditions(host: DraftHost, mine: PlanArtifact[], base: BasePlan, airgap: AirgapPlan): HostAdditions {
  const paths = base.head.paths;
  const origin = host.origin;
  const scripts = mine.filter((a) => a.kind === 'vendor-script');
  const ha = mine.find((a) => a.kind === 'ha-package');
  const debs = mine.find((a) => a.kind === 'debs');
  const isRegistryImage = (a: PlanArtifact) => airgap.localRegistry !== null && a.image === airgap.localRegistry.image;
  const images = mine.filter((a) => a.kind === 'image' && !isRegistryImage(a));
  const registryImage = mine.find(isRegistryImage);

  const before: DraftStep[] = [];
  if (scripts.length) {
    before.push({
      id: 'vendor-scripts',
      title: `PortSIP control scripts in ${paths.scripts} match the bundle`,
      stage: 'install',
      source: fromScripts('installed from the bundle instead of by init.sh') /* Appendix B.1, §7 */,
      origin,
      calls: [],
      kind: 'vendor-scripts',
      scripts: scripts.map((a) => ({ name: a.required[0]!, file: a.path })),
    });
  }
  if (ha) {
    before.push({
      id: 'ha-package',
      title: `HA package ${ha.required[0]} unpacked in ${paths.haGuide}`,
      stage: 'install',
      source: fromScripts('the HA package unpacked from the bundle') /* Appendix B.5, §7 */,
      origin,
      calls: [],
      kind: 'ha-package',
      file: ha.path,
      target: paths.haGuide,
      probe: HA_PACKAGE_PROBE,
      marker: 'ha-package.sha256',
    });
  }
  if (debs) {
    before.push({
      id: 'debs',
      title: 'Docker Engine, Compose plugin and firewalld installed from the bundled packages',
      stage: 'install',
      source: fromScripts('Docker installed from the bundle\'s packages instead of by install_docker.sh') /* Appendix B.2, §7 */,
      origin,
      calls: [],
      kind: 'debs',
      files: debs.files,
    });
  }
  const after: DraftStep[] = [];
  if (base.registry && host.steps.some((s) => s.calls.some((c) => c.pulls.length > 0))) {
    after.push({
      id: 'registry-login',
      title: `Docker logged in to the site registry ${base.registry.server} as ${base.registry.username}`,
      stage: 'install',
      source: fromScripts('every run pulls its image; the registry login is stored once instead of -U/-P') /* Appendix B.3 (a) */,
      origin: base.origin(['release', 'registry']),
      calls: [registryLoginCall(base.registry)],
      kind: 'registry-login',
      server: base.registry.server,
      username: base.registry.username,
    });
  }
  if (registryImage && airgap.localRegistry) after.push(localMirror(airgap.localRegistry.mirror, base));
  if (base.registryMirror) {
    after.push({
      id: 'registry-mirror',
      title: `Docker pulls Docker Hub images through ${base.registryMirror}`,
      stage: 'install',
      source: fromScripts('every run pulls its image') /* Appendix B.3 (b) */,
      origin: base.origin(['release', 'registryMirror']),
      calls: [],
      kind: 'registry-mirror',
      mirror: base.registryMirror,
    });
  }
  for (const a of [...(registryImage ? [registryImage] : []), ...images]) {
    const image = a.image!;
    // The tarball may hold the image under its name without the site registry (docker save
    // portsip/pbx:22.3); the step then tags it with the name the vendor scripts pull.
    const alias = base.unqualify(image) !== image ? base.unqualify(image) : null;
    after.push({
      id: `image-${basename(a.path, '.tar')}`,
      title: `image ${image} loaded from the bundle`,
      stage: 'install',
      source: fromScripts('images loaded from the bundle') /* Appendix B.3, §7 */,
      origin: [...origin, ...base.origin(['release'])],
      calls: [],
      kind: 'image-load',
      image,
      alias,
      file: a.path,
    });
  }
  if (registryImage && airgap.localRegistry) {
    after.push({
      id: 'local-registry',
      title: `the bundle's registry runs on ${airgap.localRegistry.address}, holding the bundled images`,
      stage: 'install',
      source: fromScripts('every run pulls its image, so the bundle serves as the mirror') /* Appendix B.3 (b) */,
      origin: base.origin(['release']),
      calls: [],
      kind: 'local-registry',
      container: LOCAL_REGISTRY.container,
      image: airgap.localRegistry.image,
      address: airgap.localRegistry.address,
      dataDir: LOCAL_REGISTRY.dataDir,
      seeds: images.map((a) => a.image!),
    });
  }
  return { before, after, bundledScripts: scripts.map((a) => a.required[0]!), haPackage: !!ha, replacesDocker: !!debs };
}

/** The host's Docker Hub mirror set to the bundle's own registry (before anything runs on Docker). */
function localMirror(mirror: string, base: BasePlan): DraftStep {
  return {
    id: 'registry-mirror',
    title: `Docker pulls Docker Hub images through the bundle's registry ${mirror}`,
    stage: 'install',
    source: fromScripts('every run pulls its image') /* Appendix B.3 (b) */,
    origin: base.origin(['release']),
    calls: [],
    kind: 'registry-mirror',
    mirror,
  };
}

function decisions(airgap: AirgapPlan, qualifiedExample: string | null): Decision[] {
  const out: Decision[] = [];
  const bundled = (kind: PlanArtifact['kind']) => airgap.artifacts.some((a) => a.kind === kind && a.state === 'bundled');
  if (bundled('vendor-script')) out.push({ id: 'B1', choice: 'The PortSIP control scripts are carried in the bundle and copied into place when they differ; init.sh, which downloads them, is not used.' });
  if (bundled('debs')) out.push({ id: 'B2', choice: 'Docker Engine, the Compose plugin and firewalld are installed from the bundled .deb files when missing; install_docker.sh, which needs the Internet, is not called.' });
  if (airgap.registry) {
    out.push({
      id: 'B3',
      choice: `Images are pulled from the site registry ${airgap.registry.server}${qualifiedExample ? ` (${qualifiedExample})` : ''}; each host logs in once with docker login --password-stdin (the password read on the host at run time, never on a command line) and the vendor scripts' pulls use that stored login. The PostgreSQL image is passed with -d so that it comes from there too.`,
    });
  }
  if (airgap.registryMirror) out.push({ id: 'B3', choice: `Docker Hub images keep their names and are pulled through the mirror ${airgap.registryMirror}, merged into /etc/docker/daemon.json.` });
  if (airgap.localRegistry) {
    out.push({
      id: 'B3',
      choice: `The spec names no registry or mirror, so the bundle brings its own: the registry image ${airgap.localRegistry.image} runs on each host on ${airgap.localRegistry.address} (loopback only), holds the images loaded from the bundle and is that host's Docker Hub mirror; the vendor scripts' pulls are answered there.`,
    });
  }
  if (bundled('image')) out.push({ id: 'B3', choice: 'Image tarballs are loaded before the vendor scripts run; the scripts still pull (they always do), which then transfers no layers.' });
  return out;
}

/** The files the caller copies into the bundle: every file of every bundled artifact, once. */
function artifactCopies(artifacts: PlanArtifact[], supplied: SuppliedArtifacts | null): ArtifactCopy[] {
  if (!supplied) return [];
  const byPath = new Map(supplied.files.map((f) => [f.path, f]));
  const out = new Map<string, ArtifactCopy>();
  for (const a of artifacts.filter((x) => x.state === 'bundled')) {
    for (const path of a.files) {
      const f = byPath.get(sourcePath(path))!; // resolve() bundled it because it is there
      out.set(path, { path, from: f.path, size: f.size, sha256: f.sha256, mode: 0o644 });
    }
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Pushes a diagnostic with no position in the spec (the problem is in the artifacts directory). */
function push(bag: DiagnosticBag, code: Code, args: Record<string, string | number>, severity: 'error' | 'warning'): void {
  const e = CODES[code];
  bag.items.push({ code, severity, message: fill(e.message, args), path: [], hint: fill(e.hint, args) });
}

/** The control scripts the bundle carries are the pinned revision's (issue #11 item 5): the
 * hosts' preflight checks only the scripts they find in paths.scripts, so these are checked here. */
function checkScriptRevision(artifacts: PlanArtifact[], supplied: SuppliedArtifacts, named: NonNullable<Spec['release']['scripts']> | null, bag: DiagnosticBag): void {
  const pin = named ?? KNOWN_SCRIPTS;
  for (const a of artifacts) {
    if (a.kind !== 'vendor-script' || a.state !== 'bundled') continue;
    const script = basename(a.path);
    const expected = pin.sha256[script];
    const file = supplied.files.find((f) => f.path === sourcePath(a.path));
    if (!expected || !file || file.sha256 === expected) continue;
    const fix = named ? 'release.scripts' : 'the spec (release.scripts: { revision, sha256 })';
    const params = { file: sourcePath(a.path), dir: supplied.dir, revision: pin.revision, found: file.sha256, expected, script, fix };
    if (named) bag.add('artifact_script_revision', ['release', 'scripts', 'sha256', script], params);
    else bag.add('artifact_script_revision', ['release'], params, { key: true });
  }
}

/**
 * Diagnostics about the artifacts directory: each missing file once (an error, or a warning
 * with --allow-missing), each package matched by several .deb files, and a warning when a
 * bundle with image tarballs names no registry for the vendor scripts' unconditional pull.
 */
function reportArtifacts(airgap: AirgapPlan, supplied: SuppliedArtifacts | null, bag: DiagnosticBag): void {
  if (!supplied) return;
  const { artifacts, registry, registryMirror } = airgap;
  const severity = supplied.allowMissing ? 'warning' : 'error';
  const local = airgap.localRegistry;
  const registryImage = local ? artifacts.find((a) => a.kind === 'image' && a.image === local.image) : undefined;
  const hostsText = (hosts: string[]) => (hosts.length <= 3 ? hosts.join(', ') : `${hosts.slice(0, 3).join(', ')} and ${hosts.length - 3} more`);
  for (const a of artifacts) {
    if (a.kind === 'debs') {
      const dir = sourcePath(a.path);
      for (const pkg of a.required) {
        const matches = supplied.files.filter((f) => f.path.startsWith(dir) && !f.path.slice(dir.length).includes('/') && debMatches(pkg, basename(f.path)));
        if (matches.length > 1) {
          push(bag, 'artifact_ambiguous', { count: matches.length, dir: `${supplied.dir}/${dir.replace(/\/$/, '')}`, package: pkg, files: matches.map((f) => basename(f.path)).join(', ') }, 'error');
        }
      }
    }
    // The registry image has its own, positioned diagnostic below.
    if (local && a.kind === 'image' && a.image === local.image) continue;
    for (const name of a.missing) {
      const file = artifactFile(a, name);
      const near = a.kind === 'debs' ? undefined : closest(file, supplied.names.filter((n) => n.startsWith(file.slice(0, file.indexOf('/') + 1))));
      const fix = howToObtain(a, name) + (near ? `; ${near} is there: a typo?` : '');
      push(bag, 'artifact_missing', { what: ARTIFACT_WHAT[a.kind], file, dir: supplied.dir, hosts: hostsText(a.hosts), fix }, severity);
    }
  }
  if (!registry && !registryMirror && registryImage && registryImage.state === 'missing') {
    bag.add('release_registry_missing', ['release'], { file: `${supplied.dir}/${sourcePath(registryImage.path)}`, image: local!.image }, { key: true });
    if (supplied.allowMissing) bag.items[bag.items.length - 1]!.severity = 'warning';
  }
}
