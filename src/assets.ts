// The assets: the schema validator, the templates, the starter specs and the version, compiled
// into code at build time (scripts/generate-assets.ts → src/generated/). Nothing is read from
// disk or compiled at start-up; compile() takes the Toolchain as input.
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { SCHEMA, STARTER_SPECS } from './generated/files.js';
import { VERSION } from './generated/version.js';
import { TEMPLATES } from './generated/templates.js';
import validateSpec from './generated/validator.js';
import { loadTemplates, type Templates } from './phases/5-emit/common/templates.js';

/** Compiled schema and templates: built once, reusable across compilations. */
export interface Toolchain {
  validator: ValidateFunction;
  templates: Templates;
  /** The package version, e.g. "0.1.0". */
  version: string;
}

/** The JSON Schema of the spec (schema/cluster.schema.json). */
export function readSchema(): Record<string, unknown> {
  return SCHEMA;
}

export { packageVersion } from './startup.js';

/** The starter specs of `pbxplan init`, by name (templates/init/<name>.yaml). */
export function starterSpecs(): Record<string, string> {
  return STARTER_SPECS;
}

/** The standalone validator with the `schema` an ajv-compiled one carries (phase 2 reads
 * examples and `$defs` from it for hints). */
const validator = Object.assign(validateSpec, { schema: SCHEMA }) as unknown as ValidateFunction;

export function createToolchain(): Toolchain {
  return { validator, templates: loadTemplates(TEMPLATES), version: VERSION };
}
