// The compiler face: compiling and checking a spec, and what the commands around it need (the
// diagnostics catalog, artifact lists, inventories, source maps, diff). The CLI loads it with a
// command that reads a spec; the library face (index.ts) re-exports it.
export { compile, type CompileOptions, type CompileResult, type CompilerHost, type ArtifactSource } from './compile.js';
export type { Toolchain } from './assets.js';
export { packageVersion } from './startup.js';
export { readSchema, starterSpecs } from './spec-assets.js';
export { checkToolchain, loadToolchain } from './toolchain.js';
export { formatDiagnostics, summary, type DiagnosticFormat } from './diagnostics/format.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export { CODES, isCode, type Code } from './diagnostics/codes.js';
export { closest } from './diagnostics/suggest.js';
export { ARTIFACT_NAME, ARTIFACT_WHAT, artifactFile, howToObtain, sourcePath } from './model/artifacts.js';
export type { ArtifactCopy, RenderedFile, SuppliedArtifacts, SuppliedFile } from './model/bundle.js';
export { PLAN_FORMAT_VERSION, type Plan } from './model/plan.js';
export { renderInventory } from './phases/5-emit/ansible/index.js';
export type { Spec } from './model/spec.js';
export { ARTIFACTS_FORMAT_VERSION, artifactSummary, missingArtifactCount, renderArtifactList, type ArtifactListOptions } from './phases/5-emit/artifacts/index.js';
export { COMPLETION_SHELLS, renderCompletion, type CompletionCommand, type CompletionOption, type CompletionShell, type CompletionTable, type Completes } from './completion.js';

import { compile, type CompileOptions, type CompileResult } from './compile.js';

/** Load, validate and check a spec without planning or rendering. */
export function validate(text: Parameters<typeof compile>[0], opts: Omit<CompileOptions, 'checkOnly'>): CompileResult {
  return compile(text, { ...opts, checkOnly: true });
}
export { compileUpgrade, comparePlans, isReleaseOnlyChange, isUpgrade, nonReleaseDifferences, upgradeRefusal, type UpgradeFrom, type UpgradeResult } from './compile-upgrade.js';
export { SOURCEMAP_FORMAT_VERSION, SOURCEMAP_PATH, type SourceMap, type SourceMapFile, type SourceMapItem, type SourceMapSection, type SourceMapStep } from './phases/5-emit/sourcemap/index.js';
export { describeRegion, describeSection, isStepRegion, parseSourceMap, regionSpan, traceLine, type TraceResult } from './phases/5-emit/sourcemap/trace.js';
export { ACTIONS, REASONS, bundleKind, denied, diff, diffExitCode, formatDiffJson, formatDiffText, isReason, loadSide, type Action, type BundleKind, type DiffResult, type Reason, type SideInput } from './diff/index.js';
export { compileChange, type ChangeFrom, type ChangeOptions, type ChangeResult } from './compile-change.js';
