import type { CommandDef } from '../command.js';

export const verify: CommandDef = {
  name: 'verify',
  summary: 'check a bundle directory or archive against its manifest.json (exit 4 if not intact)',
  usage: 'verify PATH',
  description: `Checks a bundle directory, or a bundle archive written by 'compile --archive', against its
own manifest.json and SHA256SUMS: every listed file must be there with its size, mode and
sha256, and nothing else; only regular files and folders (no symbolic link, FIFO or device);
no setuid, setgid or world-writable mode; in an archive every entry owned by root and no path
leaving the bundle. An archive is read as a stream, never unpacked, and its decompression is
bounded (a decompression bomb stops it early). Prints one line per finding on stdout.
Exit 0 when intact, 4 when not, 2 when PATH cannot be read. Inside a bundle, ./verify.sh checks
the same with bash and coreutils only.`,
  options: [],
  positionals: { min: 1, max: 1, what: 'one PATH (a bundle directory or archive)', completes: { kind: 'file' } },
  load: () => import('./verify.run.js'),
};
