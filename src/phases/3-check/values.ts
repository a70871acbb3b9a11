// Every string value of the spec with its YAML path, for the rules that look at values wherever
// they are (a pasted token, a service-type name copied from a guide). Keys are not values.
import type { YamlPath } from '../../diagnostics/diagnostic.js';

export interface StringValue {
  path: YamlPath;
  value: string;
}

export function stringValues(root: unknown): StringValue[] {
  const out: StringValue[] = [];
  const walk = (node: unknown, path: YamlPath): void => {
    if (typeof node === 'string') out.push({ path, value: node });
    else if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
    else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) walk(v, [...path, k]);
    }
  };
  walk(root, []);
  return out;
}
