// The air-gap part of the plan (docs/airgap.md, domain Appendix B), added after the topology
// planner: image references for the site registry, the artifacts the site must carry and which
// of them this bundle carries, and the host steps that use them. One entry point:
// withOfflineSteps. Pure: what the artifacts directory holds comes in as data from the CLI.
import { basename } from 'node:path';
import { CODES, fill, type Code } from '../../diagnostics/codes.js';
import type { DiagnosticBag } from '../../diagnostics/diagnostic.js';
import { closest } from '../../diagnostics/suggest.js';
import type { AirgapPlan, Decision, HostStep, Plan, PlanArtifact, PlanHost, ProcedurePhase, TopologyPlan } from '../../model/plan.js';
import type { Spec } from '../../model/spec.js';
import { ARTIFACTS_ROOT, ARTIFACT_WHAT, HA_PACKAGE_PROBE, REGISTRY_PASSWORD_LABEL, VENDOR_POSTGRES_IMAGE, artifactFile, debMatches, howToObtain, sourcePath } from '../../model/artifacts.js';
import type { ArtifactCopy, SuppliedArtifacts } from '../../model/bundle.js';
import type { ArtifactSource } from './index.js';
import { requiredArtifacts } from './artifacts.js';

/** Docker's rule: the first component names a registry when it has a dot or a port, or is localhost. */
function hasRegistryHost(image: string): boolean {
  const slash = image.indexOf('/');
  if (slash === -1) return false;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

export interface ImageNaming {
  /** The reference the vendor scripts get (-i, -d): under the site registry when there is one. */
  qualify: (image: string) => string;
  /** The reference without the site registry, which names the tarball. */
  unqualify: (image: string) => string;
}

export function imageNaming(server: string | null): ImageNaming {
  const prefix = server ? `${server}/` : null;
  return {
    qualify: (image) => (prefix && !hasRegistryHost(image) ? prefix + image : image),
    unqualify: (image) => (prefix && image.startsWith(prefix) ? image.slice(prefix.length) : image),
  };
}

/** Applies the site registry to every image reference the planners wrote: release, step
 * arguments and host files (the HA vars.yml). Equality with a release image is the match. */
function qualifyImages(plan: TopologyPlan, naming: ImageNaming): TopologyPlan {
  const r = plan.release;
  const images = [r.pbxImage, r.clickhouseImage, r.postgresImage, r.sbcImage].filter((i): i is string => !!i);
  const map = new Map(images.map((i) => [i, naming.qualify(i)]));
  const swap = (v: string) => map.get(v) ?? v;
  // Pass the PostgreSQL image explicitly, or the vendor default would come from Docker Hub.
  const postgres = r.postgresImage ? null : naming.qualify(VENDOR_POSTGRES_IMAGE);
  const withPostgres = (script: string, args: string[]) => {
    if (!postgres || !['pbx_ctl.sh', 'im_ctl.sh'].includes(script) || args.includes('-d')) return args;
    const i = args.indexOf('-i');
    return i === -1 ? args : [...args.slice(0, i + 2), '-d', postgres, ...args.slice(i + 2)];
  };
  const step = (s: HostStep): HostStep => {
    if (!('args' in s)) return s;
    const args = s.args.map(swap);
    return { ...s, args: s.kind === 'vendor-run' ? withPostgres(s.script, args) : args };
  };
  return {
    ...plan,
    release: {
      ...r,
      pbxImage: swap(r.pbxImage),
      clickhouseImage: r.clickhouseImage && swap(r.clickhouseImage),
      postgresImage: r.postgresImage ? swap(r.postgresImage) : postgres,
      sbcImage: r.sbcImage && swap(r.sbcImage),
    },
    hosts: plan.hosts.map((h) => ({
      ...h,
      steps: h.steps.map(step),
      files: h.files.map((f) => ({ ...f, entries: f.entries.map((e) => ({ ...e, value: swap(e.value) })) })),
    })),
  };
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

const uses = (a: PlanArtifact, host: PlanHost) => a.state === 'bundled' && a.hosts.includes(host.hostname);

function hostSteps(host: PlanHost, artifacts: PlanArtifact[], airgap: Pick<AirgapPlan, 'registry' | 'registryMirror'>, paths: TopologyPlan['paths'], naming: ImageNaming): { host: PlanHost; added: string[] } {
  const mine = artifacts.filter((a) => uses(a, host));
  const scripts = mine.filter((a) => a.kind === 'vendor-script');
  const ha = mine.find((a) => a.kind === 'ha-package');
  const debs = mine.find((a) => a.kind === 'debs');
  const images = mine.filter((a) => a.kind === 'image');

  const before: HostStep[] = [];
  if (scripts.length) {
    before.push({
      id: 'vendor-scripts',
      title: `PortSIP control scripts in ${paths.scripts} match the bundle`,
      stage: 'install',
      source: 'Appendix B.1 (instead of init.sh); domain §7 "Scripts installed"',
      kind: 'vendor-scripts',
      scripts: scripts.map((a) => ({ name: a.required[0]!, file: a.path })),
    });
  }
  if (ha) {
    before.push({
      id: 'ha-package',
      title: `HA package ${ha.required[0]} unpacked in ${paths.haGuide}`,
      stage: 'install',
      source: 'Appendix B.5; domain §7 "HA tarball unpacked"',
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
      source: 'Appendix B.2 (instead of install_docker.sh); domain §7 "Docker installed"',
      kind: 'debs',
      files: debs.files,
    });
  }
  const after: HostStep[] = [];
  if (airgap.registryMirror) {
    after.push({
      id: 'registry-mirror',
      title: `Docker pulls Docker Hub images through ${airgap.registryMirror}`,
      stage: 'install',
      source: 'Appendix B.3 (b): every vendor run pulls its image',
      kind: 'registry-mirror',
      mirror: airgap.registryMirror,
    });
  }
  for (const a of images) {
    const image = a.image!;
    // The tarball may hold the image under its name without the site registry (docker save
    // portsip/pbx:22.3); the step then tags it with the name the vendor scripts pull.
    const alias = naming.unqualify(image) !== image ? naming.unqualify(image) : null;
    after.push({
      id: `image-${basename(a.path, '.tar')}`,
      title: `image ${image} loaded from the bundle`,
      stage: 'install',
      source: 'Appendix B.3; domain §7 "Image present locally"',
      kind: 'image-load',
      image,
      alias,
      file: a.path,
    });
  }
  // The vendor runs log in to the site registry with the password read at run time (-P).
  const login = airgap.registry && host.steps.some((s) => s.kind === 'vendor-run') ? [{ label: REGISTRY_PASSWORD_LABEL, ref: airgap.registry.passwordRef }] : [];

  // Docker must be there before images load and before daemon.json matters: after the step
  // that installs it, or after the bundled packages when the topology has no such step.
  const steps = [...before, ...host.steps];
  const docker = steps.findIndex((s) => s.kind === 'docker');
  steps.splice(docker === -1 ? before.length : docker + 1, 0, ...after);

  const bundledScripts = new Set(scripts.map((a) => a.required[0]!));
  const preflight = {
    ...host.preflight,
    // Installed by the vendor-scripts step, so no longer expected in paths.scripts beforehand.
    vendorScripts: host.preflight.vendorScripts.filter((s) => !bundledScripts.has(s)),
    // Unpacked by the ha-package step.
    haScripts: ha ? [] : host.preflight.haScripts,
    secrets: [...host.preflight.secrets, ...login],
  };
  return { host: { ...host, preflight, steps }, added: [...before, ...after].map((s) => s.id) };
}

/** The first procedure item that runs a host's install steps also lists the steps added here. */
function withStepIds(procedure: ProcedurePhase[], hosts: PlanHost[], added: Map<string, string[]>): ProcedurePhase[] {
  const done = new Set<string>();
  return procedure.map((phase) => ({
    ...phase,
    items: phase.items.map((item) => {
      if (!('stepIds' in item) || !('hostname' in item)) return item;
      const extra = added.get(item.hostname);
      const host = hosts.find((h) => h.hostname === item.hostname);
      if (!extra?.length || !host || done.has(item.hostname)) return item;
      const install = new Set(host.steps.filter((s) => s.stage === 'install').map((s) => s.id));
      if (!item.stepIds.some((id) => install.has(id))) return item;
      done.add(item.hostname);
      const want = new Set([...item.stepIds, ...extra]);
      return { ...item, stepIds: host.steps.filter((s) => want.has(s.id)).map((s) => s.id) };
    }),
  }));
}

function decisions(airgap: AirgapPlan, qualifiedExample: string | null): Decision[] {
  const out: Decision[] = [];
  const bundled = (kind: PlanArtifact['kind']) => airgap.artifacts.some((a) => a.kind === kind && a.state === 'bundled');
  if (bundled('vendor-script')) out.push({ id: 'B1', choice: 'The PortSIP control scripts are carried in the bundle and copied into place when they differ; init.sh, which downloads them, is not used.' });
  if (bundled('debs')) out.push({ id: 'B2', choice: 'Docker Engine, the Compose plugin and firewalld are installed from the bundled .deb files when missing; install_docker.sh, which needs the Internet, stays the fallback.' });
  if (airgap.registry) {
    out.push({
      id: 'B3',
      choice: `Images are pulled from the site registry ${airgap.registry.server}${qualifiedExample ? ` (${qualifiedExample})` : ''}, with the vendor login flags -R/-U/-P; the password is read on the host at run time. The PostgreSQL image is passed with -d so that it comes from there too.`,
    });
  }
  if (airgap.registryMirror) out.push({ id: 'B3', choice: `Docker Hub images keep their names and are pulled through the mirror ${airgap.registryMirror}, merged into /etc/docker/daemon.json.` });
  if (bundled('image')) out.push({ id: 'B3', choice: 'Image tarballs are loaded before the vendor scripts run; the scripts still pull (they always do), which then transfers no layers.' });
  return out;
}

/**
 * Adds the air-gap part to a topology plan: `airgap` (registry, mirror, artifacts and their
 * state), image references under the site registry, and per host the steps that install
 * bundled scripts, the HA package, Debian packages, the mirror and the images.
 * `supplied` is null when compiling without --artifacts (every artifact is then `external`).
 */
export function withOfflineSteps(topologyPlan: TopologyPlan, spec: Spec, source: ArtifactSource | null): { plan: Plan; supplied: SuppliedArtifacts | null } {
  const reg = spec.release.registry;
  const registry = reg ? { server: reg.server, username: reg.username, passwordRef: reg.passwordRef } : null;
  const registryMirror = spec.release.registryMirror ? spec.release.registryMirror.replace(/\/+$/, '') : null;
  const naming = imageNaming(registry?.server ?? null);
  const plan = registry ? qualifyImages(topologyPlan, naming) : topologyPlan;
  const required = requiredArtifacts(plan, naming.unqualify);
  const supplied = source ? supply(source, wantedBy(required)) : null;
  const artifacts = resolve(required, supplied);
  const airgap: AirgapPlan = { artifactsDir: supplied !== null, registry, registryMirror, artifacts };

  const added = new Map<string, string[]>();
  const hosts = plan.hosts.map((h) => {
    const r = hostSteps(h, artifacts, airgap, plan.paths, naming);
    added.set(h.hostname, r.added);
    return r.host;
  });
  const example = registry && plan.release.pbxImage !== topologyPlan.release.pbxImage ? `${topologyPlan.release.pbxImage} is pulled as ${plan.release.pbxImage}` : null;
  return {
    plan: {
      ...plan,
      hosts,
      procedure: withStepIds(plan.procedure, hosts, added),
      decisions: [...plan.decisions, ...decisions(airgap, example)],
      airgap,
    },
    supplied,
  };
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

/** The files the CLI copies into the bundle: every file of every bundled artifact, once. */
export function artifactCopies(plan: Plan, supplied: SuppliedArtifacts | null): ArtifactCopy[] {
  if (!supplied) return [];
  const byPath = new Map(supplied.files.map((f) => [f.path, f]));
  const out = new Map<string, ArtifactCopy>();
  for (const a of plan.airgap.artifacts.filter((x) => x.state === 'bundled')) {
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

/**
 * Diagnostics about the artifacts directory: each missing file once (an error, or a warning
 * with --allow-missing), each package matched by several .deb files, and a warning when a
 * bundle with image tarballs names no registry for the vendor scripts' unconditional pull.
 */
export function reportArtifacts(plan: Plan, supplied: SuppliedArtifacts | null, bag: DiagnosticBag): void {
  if (!supplied) return;
  const { artifacts, registry, registryMirror } = plan.airgap;
  const severity = supplied.allowMissing ? 'warning' : 'error';
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
    for (const name of a.missing) {
      const file = artifactFile(a, name);
      const near = a.kind === 'debs' ? undefined : closest(file, supplied.names.filter((n) => n.startsWith(file.slice(0, file.indexOf('/') + 1))));
      const fix = howToObtain(a, name) + (near ? `; ${near} is there: a typo?` : '');
      push(bag, 'artifact_missing', { what: ARTIFACT_WHAT[a.kind], file, dir: supplied.dir, hosts: hostsText(a.hosts), fix }, severity);
    }
  }
  if (!registry && !registryMirror && artifacts.some((a) => a.kind === 'image')) {
    bag.add('release_registry_missing', ['release'], {}, { key: true });
  }
}
