// Pass 1, base: what every later pass reads and none recomputes — the release with every image
// reference as the vendor scripts get it (under the site registry when there is one), the paths,
// the registry login, the servers in deployment order with their place in the spec, and where
// each spec path sits (for step origins).
import type { Locator, YamlPath } from '../../diagnostics/diagnostic.js';
import { escapeControls } from '../../diagnostics/safe-text.js';
import { formatPath } from '../../diagnostics/yaml-path.js';
import { VENDOR_POSTGRES_IMAGE } from '../../model/artifacts.js';
import { DEFAULT_PATHS } from '../../model/hosts.js';
import { PLAN_FORMAT_VERSION, type Origin, type Plan } from '../../model/plan.js';
import { imageVersion } from '../../model/release.js';
import { DEFAULT_IMAGES, ROLE_ORDER } from '../../model/roles.js';
import type { SecretRef, Server, Spec } from '../../model/spec.js';

/** A server with its YAML path (its index in `servers` as written). */
export interface PlacedServer {
  server: Server;
  path: YamlPath;
}

export interface BasePlan {
  head: Pick<Plan, 'formatVersion' | 'generatedBy' | 'specSha256' | 'specName' | 'release' | 'paths' | 'whitelistExpires'>;
  cluster: Pick<Plan['cluster'], 'name' | 'description' | 'platform' | 'sshUser'>;
  /** The site registry the vendor runs log in to (-R/-U/-P), if any. */
  registry: { server: string; username: string; passwordRef: SecretRef } | null;
  /** A Docker Hub mirror, without a trailing slash. */
  registryMirror: string | null;
  /** `unqualify(image)`: the reference without the site registry, which names the tarball. */
  unqualify: (image: string) => string;
  /** Servers in deployment order (ROLE_ORDER, then as written). */
  servers: PlacedServer[];
  /** The spec places behind a step: each path that exists in the spec, with its line. */
  origin: (...paths: YamlPath[]) => Origin[];
}

/** What origins call the spec when the caller names none (a spec read from standard input). */
export const DEFAULT_SPEC_NAME = 'spec.yaml';

/** The base name of the spec's file: a machine path never reaches the bundle, nor a character
 * that could hide or reorder text (a file name is not checked like the spec's values). */
export function specBaseName(name: string | undefined): string {
  const base = escapeControls((name ?? '').split(/[\\/]/).pop() ?? '');
  return base && base !== '.' && base !== '..' ? base : DEFAULT_SPEC_NAME;
}

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

export function planBase(spec: Spec, specSha256: string, specName: string, generatedBy: string, locate: Locator): BasePlan {
  const written = spec.servers ?? [];
  const has = (role: string) => written.some((s) => s.role === role);
  const reg = spec.release.registry;
  const registry = reg ? { server: reg.server, username: reg.username, passwordRef: reg.passwordRef } : null;
  const naming = imageNaming(registry?.server ?? null);
  const q = naming.qualify;
  // With a site registry the PostgreSQL image is passed explicitly (-d), or the vendor default
  // would come from Docker Hub (Appendix B.3).
  const postgres = spec.release.postgresImage ? q(spec.release.postgresImage) : registry ? q(VENDOR_POSTGRES_IMAGE) : null;
  // Each path is looked up once: every server's steps name the same release and `servers`
  // paths, and a thousand servers would otherwise locate and format them a thousand times.
  // The Origin objects are shared between steps; nothing changes an origin once made.
  const placeOf = new Map<string, Origin | null>();
  const place = (p: YamlPath): Origin | null => {
    const key = pathKey(p);
    let found = placeOf.get(key);
    if (found === undefined) {
      const span = locate(p);
      found = span && exists(spec, p) ? { path: formatPath(p), line: span.line } : null;
      placeOf.set(key, found);
    }
    return found;
  };
  const origin = (...paths: YamlPath[]): Origin[] => {
    const out: Origin[] = [];
    for (const p of paths) {
      const o = place(p);
      if (o) out.push(o);
    }
    return out;
  };
  return {
    head: {
      formatVersion: PLAN_FORMAT_VERSION,
      generatedBy,
      specSha256,
      specName: specBaseName(specName),
      release: {
        pbxImage: q(spec.release.pbxImage),
        pbxVersion: imageVersion(spec.release.pbxImage).version ?? '',
        clickhouseImage: has('dataflow') ? q(spec.release.clickhouseImage ?? DEFAULT_IMAGES.clickhouse) : null,
        postgresImage: postgres,
        sbcImage: has('sbc') ? q(spec.release.sbcImage ?? DEFAULT_IMAGES.sbc) : null,
      },
      paths: {
        data: spec.paths?.data ?? DEFAULT_PATHS.data,
        scripts: spec.paths?.scripts ?? DEFAULT_PATHS.scripts,
        haGuide: spec.paths?.haGuide ?? DEFAULT_PATHS.haGuide,
      },
      whitelistExpires: spec.whitelist?.expires ?? null,
    },
    // sshUser only when the spec names one, so that plans without it keep their bytes.
    cluster: { name: spec.metadata.name, description: spec.metadata.description ?? '', platform: spec.platform, ...(spec.sshUser ? { sshUser: spec.sshUser } : {}) },
    registry,
    registryMirror: spec.release.registryMirror ? spec.release.registryMirror.replace(/\/+$/, '') : null,
    unqualify: naming.unqualify,
    servers: ROLE_ORDER.flatMap((role) => written.flatMap((server, i) => (server.role === role ? [{ server, path: ['servers', i] }] : []))),
    origin,
  };
}

/** A YAML path as a map key: an index and a key of the same digits stay apart. */
export function pathKey(path: YamlPath): string {
  let key = '';
  for (const seg of path) key += typeof seg === 'number' ? `[${seg}]` : `.${seg.length}:${seg}`;
  return key;
}

/** True when the spec holds a value at `path` (the locator falls back to a parent otherwise). */
function exists(spec: Spec, path: YamlPath): boolean {
  let node: unknown = spec;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string | number, unknown>)[seg];
    if (node === undefined) return false;
  }
  return true;
}
