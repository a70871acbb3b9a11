// Library API: the one face the CLI (and any other caller) uses.
export { compile, type CompileOptions, type CompileResult, type CompilerHost, type ArtifactSource } from './compile.js';
export { createToolchain, packageVersion, readSchema, starterSpecs, type Toolchain } from './assets.js';
export { formatDiagnostics, summary, type DiagnosticFormat } from './diagnostics/format.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export { CODES, isCode, type Code } from './diagnostics/codes.js';
export { closest } from './diagnostics/suggest.js';
export { ARTIFACT_NAME, ARTIFACT_WHAT, artifactFile, howToObtain, sourcePath } from './model/artifacts.js';
export type { ArtifactCopy, RenderedFile, SuppliedArtifacts, SuppliedFile } from './model/bundle.js';
export type { Plan } from './model/plan.js';
export type { Spec } from './model/spec.js';
export { gzipStream, TarParser, tarEntries, tarStream } from './phases/6-bundle/archive.js';
export { compareSums, formatReport, type VerifyReport } from './phases/6-bundle/verify.js';

import { compile, type CompileOptions, type CompileResult } from './compile.js';

/** Load, validate and check a spec without planning or rendering. */
export function validate(text: string, opts: Omit<CompileOptions, 'checkOnly'>): CompileResult {
  return compile(text, { ...opts, checkOnly: true });
}
