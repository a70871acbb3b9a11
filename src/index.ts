// Library API: the faces in one (the CLI imports the faces themselves, so that a command loads
// only what it runs: startup.ts for every command line, compiler.ts with a spec, bundles.ts
// with a written bundle).
export * from './compiler.js';
export * from './bundles.js';
export { createToolchain } from './assets.js';
export { formatBytes, progressLine, showsProgress, silentProgress, type Progress, type ProgressOptions, type ProgressStream } from './progress.js';
