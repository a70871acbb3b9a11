// The CLI's failures, as exit codes and sentences. Every message names the path and says what to
// do; errno names (EACCES, EISDIR, …) never reach the user bare.

/** A failure that ends the command with a message and exit 2 (usage or I/O). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Bad arguments: the message, then the command's usage line. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly command: string | null = null,
  ) {
    super(message, 2);
  }
}

const WORDS: Record<string, string> = {
  ENOENT: 'it does not exist (or a folder on the way to it does not)',
  EACCES: 'permission denied; check the owner and mode of it and of the folders above it, or run as a user who may',
  EPERM: 'the operation is not permitted here (file attributes, or a mount that forbids it)',
  EISDIR: 'it is a directory, where a file is needed',
  ENOTDIR: 'a part of the path is a file, where a folder is needed',
  EBUSY: 'it is busy (in use by another program, or a mount point)',
  ENOSPC: 'the disk is full; free some space and run again',
  EDQUOT: 'the disk quota is exhausted; free some space and run again',
  EROFS: 'it is on a read-only file system; choose a writable place',
  ELOOP: 'it is, or passes through, a symbolic link that cannot be followed here (or a loop of links)',
  EEXIST: 'something already exists there',
  ENOTEMPTY: 'the directory is not empty',
  EMFILE: 'too many files are open; close some programs and run again',
  ENFILE: 'the system has too many files open; run again later',
  ENAMETOOLONG: 'the name is too long for the file system',
  EXDEV: 'it is on another file system than its temporary copy; choose an output on one file system',
  EIO: 'the device reported an input/output error; check the disk',
  ETXTBSY: 'it is a program that is running',
  EINVAL: 'the file system refused the operation (an invalid name or argument for it)',
  EAGAIN: 'it is not ready to be read (a FIFO or device that would block)',
  EFBIG: 'it is too large for the file system',
  ENXIO: 'it is a FIFO or device with no one on the other end',
};

/** An errno in words: "cannot <doing> <path>: <why>". */
export function ioError(e: unknown, doing: string, path: string): CliError {
  if (e instanceof CliError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const why = (code && WORDS[code]) ?? `the system reported an error${code ? ` (${code})` : ''}`;
  return new CliError(`cannot ${doing} ${path}: ${why}`);
}

const VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  lstat: 'look at',
  stat: 'look at',
  fstat: 'look at',
  scandir: 'list',
  mkdir: 'create the directory',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  write: 'write',
  copyfile: 'copy',
  link: 'link',
  symlink: 'link',
  realpath: 'resolve',
  chmod: 'set the mode of',
};

/** A Node file-system error that escaped without words: in words, from its syscall and path. */
export function fromSystemError(e: unknown): CliError | null {
  const x = e as NodeJS.ErrnoException | null;
  if (!x || typeof x !== 'object' || typeof x.code !== 'string' || typeof x.syscall !== 'string') return null;
  return ioError(e, VERBS[x.syscall] ?? x.syscall, x.path ?? 'a file');
}
