// Library API. The CLI is a thin shell over these.
export { compile, createToolchain, type CompileOptions, type CompileResult, type Toolchain } from './compile.js';
export { formatDiagnostics, type DiagnosticFormat } from './diagnostics/format.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export { CODES, type Code } from './diagnostics/codes.js';
export type { Plan } from './model/plan.js';
export type { Spec } from './model/spec.js';

import { compile, type CompileOptions, type CompileResult } from './compile.js';

/** Load, validate and check a spec without planning or rendering. */
export function validate(text: string, opts: Omit<CompileOptions, 'checkOnly'>): CompileResult {
  return compile(text, { ...opts, checkOnly: true });
}
