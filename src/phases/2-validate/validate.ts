// Phase 2: document → Spec, via ajv against schema/cluster.schema.json. Every ajv error
// becomes one catalog diagnostic at the YAML place it refers to.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { stringify } from 'yaml';
import type { DiagnosticBag, YamlPath } from '../../diagnostics/diagnostic.js';
import { closest } from '../../diagnostics/suggest.js';
import { formatPath, pointerToPath } from '../../diagnostics/yaml-path.js';
import { maskSecret } from '../../model/secrets.js';
import type { Spec } from '../../model/spec.js';
import { isCidr4, isDate, isIpv4 } from './formats.js';

/** The options the schema is compiled with; the build compiles it the same way (standalone code). */
export const AJV_OPTIONS = { allErrors: true, strict: true, strictRequired: false, verbose: true, allowUnionTypes: true } as const;

/** Our keywords and formats, on an ajv instance (at build time, or in tests that compile from source). */
export function configureAjv(ajv: Ajv2020): Ajv2020 {
  ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
  // Marks a YAML path (a waiver's `path`): its brackets are indexes, not glob characters.
  ajv.addKeyword({ keyword: 'x-yaml-path', schemaType: 'boolean' });
  ajv.addFormat('ipv4', isIpv4);
  ajv.addFormat('cidr4', isCidr4);
  ajv.addFormat('date', isDate);
  return ajv;
}

/** Compiles the schema; the compiled function is immutable and may be reused across runs. */
export function createValidator(schema: Record<string, unknown>): ValidateFunction {
  return configureAjv(new Ajv2020({ ...AJV_OPTIONS })).compile(schema);
}

export function validate(data: unknown, validator: ValidateFunction, bag: DiagnosticBag): Spec | undefined {
  if (validator(data)) return data as Spec;
  const root = validator.schema as Schema;
  for (const err of relevant(validator.errors ?? [])) report(err, data, bag, root);
  return undefined;
}

type Schema = Record<string, unknown>;

/** Follows local `$ref`s (`#/$defs/name`). */
function deref(schema: Schema | undefined, root: Schema): Schema | undefined {
  let s = schema;
  for (let i = 0; s && typeof s['$ref'] === 'string' && i < 8; i++) {
    const name = (s['$ref'] as string).replace(/^#\/\$defs\//, '');
    s = ((root['$defs'] ?? {}) as Record<string, Schema>)[name];
  }
  return s;
}

/** The schema of the value at a YAML path, through `properties`, `items` and `$ref`. */
export function schemaAt(root: Schema, path: YamlPath): Schema | undefined {
  let s: Schema | undefined = root;
  for (const seg of path) {
    s = deref(s, root);
    if (!s) return undefined;
    s = typeof seg === 'number' ? (s['items'] as Schema | undefined) : ((s['properties'] ?? {}) as Record<string, Schema>)[seg];
  }
  return s;
}

/**
 * A valid example value for a schema, as YAML flow text: the schema's own `examples`, else those
 * of what it refers to, else its `const` or first `enum` value. The schema is the one place
 * examples live; hints (`add ebsVolumeId: vol-0123456789abcdef0 to aws`) and x-hints
 * (`… e.g. {example}`) take them from there.
 */
export function exampleOf(schema: Schema | undefined, root: Schema): string | undefined {
  for (let s = schema, i = 0; s && i < 8; i++) {
    const examples = s['examples'];
    if (Array.isArray(examples) && examples.length) return flow(examples[0]);
    if ('const' in s) return flow(s['const']);
    if (Array.isArray(s['enum']) && s['enum'].length) return flow(s['enum'][0]);
    if (typeof s['$ref'] !== 'string') return undefined;
    s = deref({ $ref: s['$ref'] }, root);
  }
  return undefined;
}

function flow(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow' }).trim();
}

/** An x-hint with its `{example}` filled from the same schema. */
function xHintOf(schema: Schema, root: Schema): string {
  const hint = typeof schema['x-hint'] === 'string' ? (schema['x-hint'] as string) : '';
  return hint.includes('{example}') ? hint.replace('{example}', exampleOf(schema, root) ?? '…') : hint;
}

/**
 * Drops the wrapper errors that only say "an if/then failed" (the inner error says what), and a
 * "missing key" whose misspelling is already reported as an unknown key with "did you mean".
 */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  const misspelt = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const allowed = Object.keys(((e.parentSchema ?? {}) as Record<string, unknown>)['properties'] ?? {});
    const near = closest(key, allowed);
    if (near) misspelt.add(`${e.instancePath}|${near}`);
  }
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    if (e.keyword === 'required' && misspelt.has(`${e.instancePath}|${(e.params as { missingProperty: string }).missingProperty}`)) return false;
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const JSON_TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'nothing',
};

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? `the number ${v}` : `the number ${v}`;
  if (typeof v === 'boolean') return `${v}`;
  return `the string ${JSON.stringify(v)}`;
}

/** Why a key is refused in one shape (a `false` subschema); text stays in this table. */
const NOT_ALLOWED_REASON: Record<string, string> = {
  host: 'pbx.host belongs to pbx.mode: single (HA uses pbx.nodes)',
  nodes: 'pbx.nodes belongs to pbx.mode: ha',
  virtualIp: 'a virtual IP belongs to pbx.mode: ha',
  dataDisk: 'the replicated data disk belongs to pbx.mode: ha',
  publicIp: 'with pbx.mode: single the public IP goes on pbx.host',
  maxCallSessions: 'only media servers take maxCallSessions',
  recording: 'only media servers take recording',
  maxRooms: 'only meeting servers take maxRooms',
  maxParticipants: 'only meeting servers take maxParticipants',
  chatFilesPath: 'only the IM server takes chatFilesPath',
  tokenRef: 'only the IM server takes a tokenRef',
  aws: 'the aws block belongs to platform: aws',
};

const UNSAFE: [RegExp, string][] = [
  [/\n|\r/, 'a newline'],
  [/[\x00-\x1f\x7f-\x9f]/, 'a control character'],
  [/\$\(/, '"$("'],
  [/\$/, '"$"'],
  [/`/, 'a backtick'],
  [/'/, 'a single quote'],
  [/"/, 'a double quote'],
  [/;/, '";"'],
  [/[|&]/, 'a pipe or "&"'],
  [/[<>]/, 'a redirection ("<" or ">")'],
  [/\\/, 'a backslash'],
  [/[*?[\]]/, 'a glob character'],
  [/^-/, 'a leading "-" (read as an option by commands)'],
];

function unsafeChar(v: unknown, yamlPath = false): string | undefined {
  if (typeof v !== 'string') return undefined;
  const text = yamlPath ? v.replace(/[[\]]/g, '') : v;
  return UNSAFE.find(([re]) => re.test(text))?.[1];
}

function valueAt(data: unknown, path: YamlPath): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function lastKey(path: YamlPath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return 'value';
}

/** The schema of a `{ env } | { file }` secret reference (`$defs/secretRef`). */
function isSecretRefSchema(schema: Record<string, unknown>): boolean {
  const props = schema['properties'] as Record<string, unknown> | undefined;
  return schema['type'] === 'object' && !!props && Object.keys(props).sort().join() === 'env,file';
}

function report(err: ErrorObject, data: unknown, bag: DiagnosticBag, root: Schema): void {
  const path = pointerToPath(err.instancePath);
  const parent = formatPath(path);
  const schema = (err.parentSchema ?? {}) as Record<string, unknown>;
  const value = valueAt(data, path);
  const xhint = xHintOf(schema, root);
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String((err.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((schema['properties'] ?? {}) as object);
      const near = closest(key, allowed);
      const suggestion = near ? `did you mean "${near}"?` : `allowed keys here: ${allowed.join(', ')}`;
      bag.add('schema_additional_property', [...path, key], { key, parent, suggestion }, { key: true });
      return;
    }
    case 'required': {
      const key = String((err.params as { missingProperty: string }).missingProperty);
      // The key's schema where the object is defined (a `then` that requires it has none).
      const props = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
      const keySchema = props[key] ?? schemaAt(root, [...path, key]);
      const desc = props[key]?.['description'];
      const example = exampleOf(keySchema, root) ?? '…';
      bag.add('schema_required', path, { key, parent, example, extra: typeof desc === 'string' ? ` (${desc})` : '' }, { key: path.length > 0 });
      return;
    }
    case 'false schema': {
      const key = lastKey(path);
      bag.add('schema_property_not_allowed', path, { key, reason: NOT_ALLOWED_REASON[key] ?? 'not part of this shape' }, { key: true });
      return;
    }
    case 'type': {
      // A string where a secret reference belongs is the secret itself: say how to reference it,
      // and never echo it (schema_type would quote the whole value).
      if ((typeof value === 'string' || typeof value === 'number') && isSecretRefSchema(schema)) {
        const secret = String(value);
        bag.add('secret_ref_literal', path, { key: lastKey(path), masked: maskSecret(secret), length: secret.length });
        return;
      }
      const t = String((err.params as { type: string | string[] }).type);
      bag.add('schema_type', path, { expected: JSON_TYPE_NAMES[t] ?? t, actual: typeOf(value) });
      return;
    }
    case 'enum':
    case 'const': {
      const allowed =
        err.keyword === 'enum'
          ? ((err.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String)
          : [String((err.params as { allowedValue: unknown }).allowedValue)];
      const near = typeof value === 'string' ? closest(value, allowed) : undefined;
      const suggestion = near ? `did you mean "${near}"?` : `use one of: ${allowed.join(', ')}`;
      bag.add('schema_enum', path, { value: String(value), allowed: allowed.join(', '), suggestion });
      return;
    }
    case 'pattern':
    case 'format': {
      const bad = unsafeChar(value, schema['x-yaml-path'] === true);
      const key = lastKey(path);
      const fix = xhint || `check the value of "${key}"`;
      if (bad) {
        bag.add('value_unsafe', path, { what: `the value of "${key}"`, char: bad, fix });
      } else if (err.keyword === 'format') {
        const format = String((err.params as { format: string }).format);
        const names: Record<string, string> = { ipv4: 'IPv4 address', cidr4: 'IPv4 network (address/prefix)', date: 'date (YYYY-MM-DD)' };
        bag.add('schema_format', path, { value: String(value), format: names[format] ?? format, fix });
      } else {
        bag.add('schema_pattern', path, { value: String(value), what: key, fix });
      }
      return;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
    case 'minProperties':
    case 'maxProperties': {
      const limit = (err.params as { limit: number }).limit;
      const words: Record<string, string> = {
        minimum: `at least ${limit}`,
        maximum: `at most ${limit}`,
        exclusiveMinimum: `more than ${limit}`,
        exclusiveMaximum: `less than ${limit}`,
        minItems: `a list of at least ${limit} item${limit === 1 ? '' : 's'}`,
        maxItems: `a list of at most ${limit} item${limit === 1 ? '' : 's'}`,
        minLength: `at least ${limit} characters long`,
        maxLength: `at most ${limit} characters long`,
        minProperties: limit === 1 ? 'one of its keys (env or file)' : `at least ${limit} keys`,
        maxProperties: limit === 1 ? 'exactly one key (env or file), not both' : `at most ${limit} keys`,
      };
      const bad = unsafeChar(value);
      if (bad && err.keyword === 'maxLength') return; // the pattern error on the same value says it better
      bag.add('schema_range', path, { what: `"${lastKey(path)}"`, bound: words[err.keyword] ?? err.keyword });
      return;
    }
    default:
      // A schema keyword without a mapping here is a bug in pbxplan, not in the spec.
      throw new Error(`unmapped schema keyword ${err.keyword} at ${err.instancePath}`);
  }
}
