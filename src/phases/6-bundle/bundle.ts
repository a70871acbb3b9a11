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

/** Adds manifest.json and SHA256SUMS; returns every rendered file sorted by path. */
export function bundle({ files, copies = [], generatedBy, specSha256, clusterName }: BundleInput): RenderedFile[] {
  const entries = [
    ...files.map((f) => ({ path: f.path, size: Buffer.byteLength(f.content, 'utf8'), mode: f.mode, sha256: sha256(f.content) })),
    ...copies.map((c) => ({ path: c.path, size: c.size, mode: c.mode, sha256: c.sha256 })),
  ].sort(byPath);
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
  return [...files, manifestFile, { path: 'SHA256SUMS', content: sums, mode: 0o644 }].sort(byPath);
}
