// The spec side of the assets: the spec's JSON Schema, its validator and the starter specs of
// `pbxplan init`, all generated at build time (src/generated/files.ts, validator.ts). No
// template and no ajv compiler.
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { SCHEMA, STARTER_SPECS } from './generated/files.js';
import validateSpec from './generated/validator.js';

/** The JSON Schema of the spec (schema/cluster.schema.json). */
export function readSchema(): Record<string, unknown> {
  return SCHEMA;
}

/** The standalone validator with the `schema` an ajv-compiled one carries (phase 2 reads
 * examples and `$defs` from it for hints). */
export const specValidator = Object.assign(validateSpec, { schema: SCHEMA }) as unknown as ValidateFunction;

/** The starter specs of `pbxplan init`, by name (templates/init/<name>.yaml). */
export function starterSpecs(): Record<string, string> {
  return STARTER_SPECS;
}
