// The bundles face: reading, judging and archiving a written bundle (verify, the reproducible
// archive, the rules of replacing an earlier bundle). Apart from the compiler face, so that
// checking a spec (`pbxplan validate`) never loads this code or tar-stream.
export { gzipStream, tarEntries, tarStream } from './phases/6-bundle/archive.js';
export { MAX_RATIO, readArchive, type ArchiveRead } from './phases/6-bundle/read-archive.js';
export {
  MAX_INDEX_BYTES,
  expectedSize,
  formatReport,
  judgeBundle,
  parseIndex,
  replaceProblem,
  shownPath,
  type BundleEntry,
  type BundleIndex,
  type EntryKind,
  type Finding,
  type VerifyReport,
} from './phases/6-bundle/verify.js';
