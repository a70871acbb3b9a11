// Phase 6: rendered files (and the artifact files the CLI copies in) → the bundle:
// manifest.json and SHA256SUMS over every file.
import { createHash } from 'node:crypto';
import type { ArtifactCopy, RenderedFile } from '../../model/bundle.js';

export const MANIFEST_FORMAT_VERSION = 1;

export interface BundleInput {
  files: RenderedFile[];
  /** Artifact files: listed with their size and sha256; their bytes never pass through here. */
  copies?: ArtifactCopy[];
  generatedBy: string;
  specSha256: string;
  clusterName: string;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

const byPath = <T extends { path: string }>(a: T, b: T) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

interface Entry {
  path: string;
  size: number;
  mode: number;
  sha256: string;
}

/** A file's UTF-8 size and sha256, for one file after another: from its chunks when its target
 * gave them (the pieces already UTF-8 are read as they are), else from its content. A text of up
 * to SCRATCH_CHARS characters (a host script: tens of kB; a bundle has thousands) is encoded
 * once, into a buffer kept for the next one, and both are read off those bytes; a larger one
 * (plan.json) is hashed from its text. */
const SCRATCH_CHARS = 1 << 20;

function summer(): (f: RenderedFile) => { size: number; sha256: string } {
  let scratch = Buffer.alloc(0);
  return (f) => {
    const hash = createHash('sha256');
    let size = 0;
    for (const chunk of f.chunks ?? [f.content]) {
      if (typeof chunk !== 'string') {
        hash.update(chunk);
        size += chunk.length;
      } else if (chunk.length > SCRATCH_CHARS) {
        hash.update(chunk, 'utf8');
        size += Buffer.byteLength(chunk, 'utf8');
      } else {
        // A UTF-16 code unit is at most 3 bytes of UTF-8, so the text always fits.
        if (scratch.length < chunk.length * 3) scratch = Buffer.allocUnsafe(Math.max(chunk.length * 3, 2 * scratch.length));
        const n = scratch.write(chunk, 0, 'utf8');
        hash.update(scratch.subarray(0, n));
        size += n;
      }
    }
    return { size, sha256: hash.digest('hex') };
  };
}

/** The bundle's index built file by file, so that a file's content can go (to disk, or away)
 * once it is summed: `add` each rendered file, then `finish` gives manifest.json and SHA256SUMS. */
export function bundler({ copies = [], generatedBy, specSha256, clusterName }: Omit<BundleInput, 'files'>) {
  const entries: Entry[] = copies.map((c) => ({ path: c.path, size: c.size, mode: c.mode, sha256: c.sha256 }));
  const summed = summer();
  return {
    add(f: RenderedFile): void {
      const { size, sha256 } = summed(f);
      entries.push({ path: f.path, size, mode: f.mode, sha256 });
    },
    finish(): RenderedFile[] {
      entries.sort(byPath);
      const manifest = {
        formatVersion: MANIFEST_FORMAT_VERSION,
        generatedBy,
        cluster: clusterName,
        specSha256,
        files: entries.map((e) => ({ path: e.path, size: e.size, mode: '0' + e.mode.toString(8), sha256: e.sha256 })),
      };
      const manifestFile: RenderedFile = { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) + '\n', mode: 0o644 };
      const summed = [...entries, { path: manifestFile.path, sha256: sha256(manifestFile.content) }].sort(byPath);
      const sums = summed.map((e) => `${e.sha256}  ${e.path}\n`).join('');
      return [manifestFile, { path: 'SHA256SUMS', content: sums, mode: 0o644 }];
    },
  };
}

/** Adds manifest.json and SHA256SUMS; returns every rendered file sorted by path. */
export function bundle({ files, ...rest }: BundleInput): RenderedFile[] {
  const b = bundler(rest);
  for (const f of files) b.add(f);
  return [...files.map(({ chunks: _chunks, ...f }) => f), ...b.finish()].sort(byPath);
}
