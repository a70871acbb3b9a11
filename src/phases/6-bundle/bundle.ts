// Phase 6: rendered files → the bundle: manifest.json and SHA256SUMS over every file.
import { createHash } from 'node:crypto';
import type { RenderedFile } from '../5-render/render.js';

export const MANIFEST_FORMAT_VERSION = 1;

export interface BundleInput {
  files: RenderedFile[];
  generatedBy: string;
  specSha256: string;
  clusterName: string;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Adds manifest.json and SHA256SUMS; returns every file sorted by path. */
export function bundle({ files, generatedBy, specSha256, clusterName }: BundleInput): RenderedFile[] {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest = {
    formatVersion: MANIFEST_FORMAT_VERSION,
    generatedBy,
    cluster: clusterName,
    specSha256,
    files: sorted.map((f) => ({
      path: f.path,
      size: Buffer.byteLength(f.content, 'utf8'),
      mode: '0' + f.mode.toString(8),
      sha256: sha256(f.content),
    })),
  };
  const manifestFile: RenderedFile = { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) + '\n', mode: 0o644 };
  const all = [...sorted, manifestFile].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const sums = all.map((f) => `${sha256(f.content)}  ${f.path}\n`).join('');
  return [...all, { path: 'SHA256SUMS', content: sums, mode: 0o644 }].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
