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
import { emitEach } from './phases/5-emit/index.js';
import { bundler, sha256 } from './phases/6-bundle/bundle.js';

export type { Toolchain } from './assets.js';
export type { ArtifactSource } from './phases/4-plan/index.js';

/**
 * What the compiler asks of its caller between passes, as TypeScript's CompilerHost does: the
 * compiler itself never reads the disk.
 */
export interface CompilerHost {
  /** The directory given to --artifacts; absent: compiled without it. */
  artifacts?: ArtifactSource;
  /** Given: each file of the bundle is handed over as soon as it is rendered (in no particular
   * order; manifest.json and SHA256SUMS last) and not kept, so the caller can write it out and a
   * large bundle is never held whole; the result then has no `files`. As TypeScript's
   * CompilerHost.writeFile. */
  writeFile?: (file: RenderedFile) => void;
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
  files?: RenderedFile[]; // the rendered part of the bundle, sorted by path (absent when host.writeFile took them)
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
  const final: Plan = { ...planned.plan, ...(acceptedRisks.length ? { acceptedRisks } : {}), ...(spec.protect?.length ? { protect: [...spec.protect] } : {}) };
  const files = emitBundle(final, { templates: toolchain.templates, optIn: opts.ansible ? ['ansible'] : [], copies: planned.copies, generatedBy: opts.generatedBy, writeFile: opts.host?.writeFile });
  return { ok: true, diagnostics: bag.sorted(), plan: final, ...(files ? { files } : {}), copies: planned.copies };
}

export interface EmitBundleOptions {
  templates: Toolchain['templates'];
  optIn: readonly string[];
  copies: ArtifactCopy[];
  generatedBy: string;
  writeFile?: ((file: RenderedFile) => void) | undefined;
}

/** Phases 5 and 6 over a Plan: each file rendered, summed and handed to `writeFile` one at a time
 * (nothing kept: returns undefined), or, without it, every file sorted by path. */
export function emitBundle(plan: Plan, o: EmitBundleOptions): RenderedFile[] | undefined {
  const index = bundler({ copies: o.copies, generatedBy: o.generatedBy, specSha256: plan.specSha256, clusterName: plan.cluster.name });
  const kept: RenderedFile[] = [];
  const sink = o.writeFile ?? ((f: RenderedFile) => void kept.push(f));
  emitEach(plan, o.templates, o.optIn, (f) => {
    index.add(f);
    const { chunks: _chunks, ...file } = f; // summed: the caller needs the content only
    sink(file);
  });
  for (const f of index.finish()) sink(f);
  return o.writeFile ? undefined : kept.sort(byPath);
}

const byPath = (a: RenderedFile, b: RenderedFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
