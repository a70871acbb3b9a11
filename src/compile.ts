// The orchestrator: the phases in order, a fatal check between them. No other logic here.
import type { Toolchain } from './assets.js';
import { DiagnosticBag, type Diagnostic } from './diagnostics/diagnostic.js';
import type { ArtifactCopy, RenderedFile } from './model/bundle.js';
import { specHosts } from './model/hosts.js';
import type { Plan } from './model/plan.js';
import { load } from './phases/1-load/load.js';
import { validate } from './phases/2-validate/validate.js';
import { check } from './phases/3-check/check.js';
import { applyWaivers } from './phases/3-check/waivers.js';
import { plan, type ArtifactSource } from './phases/4-plan/index.js';
import { emit } from './phases/5-emit/index.js';
import { bundle, sha256 } from './phases/6-bundle/bundle.js';

export type { Toolchain } from './assets.js';
export type { ArtifactSource } from './phases/4-plan/index.js';

/**
 * What the compiler asks of its caller between passes, as TypeScript's CompilerHost does: the
 * compiler itself never reads the disk.
 */
export interface CompilerHost {
  /** The directory given to --artifacts; absent: compiled without it. */
  artifacts?: ArtifactSource;
}

export interface CompileOptions {
  /** YYYY-MM-DD: the date checks compare against (whitelist expiry). */
  today: string;
  /** Written into every banner and the manifest, e.g. "pbxplan 0.1.0". */
  generatedBy: string;
  /** Treat warnings as errors. */
  strict?: boolean;
  /** Stop after the checks (validate). */
  checkOnly?: boolean;
  /** The spec's file name, as origins and the source map name it: only its base name is kept
   * (default "spec.yaml"), so a bundle never holds a path of the machine that compiled it. */
  specName?: string;
  /** Add ansible/ (inventory.yml, site.yml) to the bundle. */
  ansible?: boolean;
  toolchain: Toolchain;
  host?: CompilerHost;
}

export interface CompileResult {
  ok: boolean;
  diagnostics: Diagnostic[]; // sorted by position
  plan?: Plan;
  files?: RenderedFile[]; // the rendered part of the bundle, sorted by path
  copies?: ArtifactCopy[]; // artifact files the caller copies in (listed in manifest.json and SHA256SUMS), sorted by path
}

/** `input` is the spec as read: bytes (decoded strictly as UTF-8 by the load phase) or text. */
export function compile(input: string | Uint8Array, opts: CompileOptions): CompileResult {
  const { toolchain } = opts;
  const strict = opts.strict ?? false;
  const bag = new DiagnosticBag();
  const stop = (): CompileResult => ({ ok: false, diagnostics: bag.sorted() });

  const loaded = load(input, bag);
  if (!loaded) return stop();
  const spec = validate(loaded.data, toolchain.validator, bag);
  if (!spec) return stop();
  check({ spec, hosts: specHosts(spec), bag, today: opts.today });
  const acceptedRisks = applyWaivers({ spec, bag, today: opts.today });
  if (bag.blocks(strict)) return stop();
  if (opts.checkOnly) return { ok: true, diagnostics: bag.sorted() };

  const specSha256 = sha256(typeof input === 'string' ? input : Buffer.from(input)); // of the bytes as read
  const planned = plan({ spec, specSha256, specName: opts.specName ?? '', generatedBy: opts.generatedBy, locate: loaded.locate, artifacts: opts.host?.artifacts ?? null, bag });
  if (bag.blocks(strict)) return stop();
  // The plan carries the accepted risks only when there are any, so other plans keep their bytes.
  const final: Plan = acceptedRisks.length ? { ...planned.plan, acceptedRisks } : planned.plan;
  const files = bundle({ files: emit(final, toolchain.templates, opts.ansible ? ['ansible'] : []), copies: planned.copies, generatedBy: opts.generatedBy, specSha256, clusterName: final.cluster.name });
  return { ok: true, diagnostics: bag.sorted(), plan: final, files, copies: planned.copies };
}
