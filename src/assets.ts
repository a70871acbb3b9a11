// The assets: everything the compiler needs that lives in files of the package (the schema, the
// templates, the starter specs, the version), read once and compiled into a Toolchain. This is
// the only module of the library that reads the disk; compile() takes the Toolchain as input.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { createValidator } from './phases/2-validate/validate.js';
import { compileTemplates, type Templates } from './phases/5-emit/common/templates.js';

/** The package root: beside dist/ and src/ alike. */
const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Compiled schema and templates: built once, reusable across compilations. */
export interface Toolchain {
  validator: ValidateFunction;
  templates: Templates;
  /** "pbxplan 0.1.0": the package version. */
  version: string;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The JSON Schema of the spec (schema/cluster.schema.json). */
export function readSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schema', 'cluster.schema.json'), 'utf8')) as Record<string, unknown>;
}

/** The package version from package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The starter specs of `pbxplan init`, by name (templates/init/<name>.yaml). */
export function starterSpecs(): Record<string, string> {
  const dir = join(PACKAGE_ROOT, 'templates', 'init');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => [f.replace(/\.yaml$/, ''), readFileSync(join(dir, f), 'utf8')]),
  );
}

/** Every .hbs file under templates/, compiled. */
export function readTemplates(): Templates {
  const dir = join(PACKAGE_ROOT, 'templates');
  const sources = listFiles(dir)
    .filter((f) => f.endsWith('.hbs'))
    .map((f) => ({ name: relative(dir, f).split('\\').join('/'), text: readFileSync(f, 'utf8') }));
  return compileTemplates(sources);
}

export function createToolchain(): Toolchain {
  return { validator: createValidator(readSchema()), templates: readTemplates(), version: packageVersion() };
}
