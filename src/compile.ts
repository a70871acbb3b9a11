// The orchestrator: the phases in order, a fatal check between them. No other logic here.
import { DiagnosticBag, type Diagnostic } from './diagnostics/diagnostic.js';
import type { Plan } from './model/plan.js';
import { specHosts } from './model/hosts.js';
import { load } from './phases/1-load/load.js';
import { createValidator, validate } from './phases/2-validate/validate.js';
import { check } from './phases/3-check/check.js';
import { artifactCopies, reportArtifacts, type ArtifactCopy, type SuppliedArtifacts } from './phases/4-plan/offline.js';
import { plan } from './phases/4-plan/plan.js';
import { loadTemplates, render, type RenderedFile, type Templates } from './phases/5-render/render.js';
import { bundle, sha256 } from './phases/6-bundle/bundle.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';

/** Compiled schema and templates: built once, reusable across compilations. */
export interface Toolchain {
  validator: ValidateFunction;
  templates: Templates;
}

export function createToolchain(): Toolchain {
  return { validator: createValidator(), templates: loadTemplates() };
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
  toolchain?: Toolchain;
  /** What the CLI found in the --artifacts directory (names, sizes, sha256; never contents). */
  artifacts?: SuppliedArtifacts;
}

export interface CompileResult {
  ok: boolean;
  diagnostics: Diagnostic[]; // sorted by position
  plan?: Plan;
  files?: RenderedFile[]; // the rendered part of the bundle, sorted by path
  copies?: ArtifactCopy[]; // artifact files the CLI copies in (listed in manifest.json and SHA256SUMS), sorted by path
}

/** `input` is the spec as read: bytes (decoded strictly as UTF-8 by the load phase) or text. */
export function compile(input: string | Uint8Array, opts: CompileOptions): CompileResult {
  const toolchain = opts.toolchain ?? createToolchain();
  const bag = new DiagnosticBag();
  const stop = (): CompileResult => ({ ok: false, diagnostics: bag.sorted() });

  const loaded = load(input, bag);
  if (!loaded) return stop();
  const spec = validate(loaded.data, toolchain.validator, bag);
  if (!spec) return stop();
  check({ spec, hosts: specHosts(spec), bag, today: opts.today });
  if (bag.blocks(opts.strict ?? false)) return stop();
  if (opts.checkOnly) return { ok: true, diagnostics: bag.sorted() };

  const specSha256 = sha256(typeof input === 'string' ? input : Buffer.from(input)); // of the bytes as read
  const artifacts = opts.artifacts ?? null;
  const thePlan = plan({ spec, specSha256, generatedBy: opts.generatedBy, artifacts });
  reportArtifacts(thePlan, artifacts, bag);
  if (bag.blocks(opts.strict ?? false)) return stop();
  const copies = artifactCopies(thePlan, artifacts);
  const files = bundle({ files: render(thePlan, toolchain.templates), copies, generatedBy: opts.generatedBy, specSha256, clusterName: thePlan.cluster.name });
  return { ok: true, diagnostics: bag.sorted(), plan: thePlan, files, copies };
}
