// A finding in a golden bundle file, told at the spec line too: the tests that run shellcheck and
// `bash -n` on the golden scripts pass their output through `atSpec`, so a finding names the
// step and the spec places behind the line, as `pbxplan trace` would.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describeRegion, describeSection, parseSourceMap, traceLine, type SourceMap } from '../src/index.js';

const maps = new Map<string, SourceMap | null>();

function mapOf(bundleDir: string): SourceMap | null {
  if (!maps.has(bundleDir)) {
    const file = join(bundleDir, 'sourcemap.json');
    const parsed = existsSync(file) ? parseSourceMap(readFileSync(file, 'utf8')) : null;
    maps.set(bundleDir, typeof parsed === 'string' ? null : parsed);
  }
  return maps.get(bundleDir)!;
}

/** The bundle (an expected/ folder) a golden file is in. */
function bundleOf(file: string): string | null {
  for (let d = dirname(file); d !== dirname(d); d = dirname(d)) if (d.endsWith('/expected')) return d;
  return null;
}

/** "step 2 "pbx" of host pbx-main: …, from spec.yaml:15 pbx.host" for line `line` of `file`. */
export function atSpec(file: string, line: number): string {
  const bundle = bundleOf(file);
  const map = bundle ? mapOf(bundle) : null;
  if (!bundle || !map) return 'not in a bundle with a source map';
  const rel = relative(bundle, file).split('\\').join('/');
  const r = traceLine(map, rel, line);
  if (r.kind === 'region') return `${describeRegion(r.region)}, from ${r.region.origin.map((o) => `${map.spec.name}:${o.line} ${o.path}`).join(', ')}`;
  if (r.kind === 'outside') return `no step: ${describeSection(rel, r.section)}`;
  return r.kind === 'beyond' ? 'beyond the end of the file' : 'a file the source map does not cover';
}

/** Tool output with each `FILE:LINE:` (shellcheck's gcc format) or `FILE: line N:` (bash -n)
 * followed by what the line is in the spec. */
export function annotateFindings(output: string): string {
  return output
    .split('\n')
    .map((l) => {
      const m = /^(\/[^:]+):(?:([0-9]+):| line ([0-9]+):)/.exec(l);
      return m ? `${l}\n    at the spec: ${atSpec(m[1]!, Number(m[2] ?? m[3]))}` : l;
    })
    .join('\n');
}
