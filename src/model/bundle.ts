// The bundle's files as data: what a target emits, what the artifacts directory holds and what is
// copied from it. Phases 5 and 6 and the library's callers share these shapes.

/** A file a target writes into the bundle. */
export interface RenderedFile {
  path: string; // bundle-relative, forward slashes
  content: string;
  mode: number; // 0o755 for scripts, 0o644 otherwise
  /** The lines that print a step or a runbook item, as the target rendered them: read by the
   * source-map target only, never written (phase 5 drops them before the bundle). */
  regions?: LineRegion[];
  /** The file's line count and its headings, when its target found them as it stripped the
   * region markers (one walk over the text); the source map counts any other file itself. Read
   * by the source-map target only, as `regions`. */
  lines?: number;
  headings?: Heading[];
  /** The content in the pieces its target put it together from, some already UTF-8 (the shell
   * library every host script holds): the bundle sums these bytes, the same as the content's,
   * without encoding that text again. */
  chunks?: readonly (string | Uint8Array)[];
}

/** A line of a rendered file that opens a part of it (a script's `# ---- title ----`). */
export interface Heading {
  line: number; // 1-based
  title: string;
}

/** Lines of a rendered file that print one step (of the file's host) or one runbook item. */
export interface LineRegion {
  kind: 'step' | 'item';
  id: string; // the step's or the item's id
  start: number; // first line, 1-based
  end: number; // last line, inclusive
}

/** A file found in the artifacts directory. */
export interface SuppliedFile {
  path: string; // relative to the artifacts directory, forward slashes: "images/portsip_pbx_22.3.tar"
  size: number; // bytes
  sha256: string;
}

/** What the directory given to --artifacts holds: names, sizes and checksums, never contents. */
export interface SuppliedArtifacts {
  dir: string; // as the user named it, for messages
  /** The candidate files (those the plan can use), hashed; sorted by path. */
  files: SuppliedFile[];
  /** Every file path under the directory, hashed or not, for "did you mean" hints. */
  names: string[];
  /** Missing artifacts are warnings instead of errors. */
  allowMissing: boolean;
}

/** A file the caller copies from the artifacts directory into the bundle. */
export interface ArtifactCopy {
  path: string; // bundle path
  from: string; // path relative to the artifacts directory
  size: number;
  sha256: string;
  mode: number;
}
