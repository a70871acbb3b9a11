// The start-up face: what every command line needs before a command runs (the version, "did you
// mean", the completion shells and what a word completes to). It imports nothing heavy, so that
// `--help`, `--version` and a usage error load no compiler, schema or template (the library face
// is src/index.ts; the CLI loads it with the command that needs it).
export { VERSION } from './generated/version.js';
export { closest } from './diagnostics/suggest.js';
export { COMPLETION_SHELLS, type CompletionShell, type Completes } from './completion-shells.js';
// The progress line of long work (compile --artifacts --archive, verify): light, and shared by both.
export { formatBytes, progressLine, showsProgress, silentProgress, type Progress, type ProgressOptions, type ProgressStream } from './progress.js';

import { VERSION } from './generated/version.js';

/** The package version from package.json (e.g. "0.1.0"). */
export function packageVersion(): string {
  return VERSION;
}
