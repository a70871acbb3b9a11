// The assets: the schema validator, the templates, the starter specs and the version, compiled
// into code at build time (scripts/generate-assets.ts → src/generated/). Nothing is read from
// disk or compiled at start-up; compile() takes the Toolchain as input. The schema side
// (spec-assets.ts) and the templates (template-assets.ts) are apart, so that a caller that only
// checks a spec never loads the templates (toolchain.ts: checkToolchain, loadToolchain).
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { VERSION } from './generated/version.js';
import type { Templates } from './phases/5-emit/common/templates.js';
import { specValidator } from './spec-assets.js';
import { builtTemplates } from './template-assets.js';

/** Compiled schema and templates: built once, reusable across compilations. */
export interface Toolchain {
  validator: ValidateFunction;
  templates: Templates;
  /** The package version, e.g. "0.1.0". */
  version: string;
}

export { readSchema, starterSpecs } from './spec-assets.js';
export { packageVersion } from './startup.js';


export function createToolchain(): Toolchain {
  return { validator: specValidator, templates: builtTemplates(), version: VERSION };
}
