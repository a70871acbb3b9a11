// Recognising a secret pasted into the spec, and showing it without revealing it. Tokens and
// passwords belong in a `{ env: NAME }` or `{ file: /path }` reference, read on the host at run
// time; a spec (and the bundle, logs and CI output made from it) must never hold one.

/** Shortest run of token characters that is taken for a secret. */
export const SECRET_MIN_LENGTH = 24;
/** Shortest run of hexadecimal digits that is taken for a secret (a 128-bit key). */
export const HEX_SECRET_MIN_LENGTH = 32;
/** Shortest upper-case alphanumeric run taken for a secret: the PortSIP portal's IM token is 48. */
export const UPPER_SECRET_MIN_LENGTH = 32;

export type SecretShape = 'base32' | 'base64' | 'hexadecimal' | 'capitals-and-digits';

export interface SecretLike {
  token: string;
  shape: SecretShape;
  /** Where the token starts in the value (UTF-16 index). */
  index: number;
}

const BASE32 = /^[A-Z2-7]+=*$/;
const BASE64 = /^[A-Za-z0-9+/_-]+=*$/;
const HEX = /^[0-9A-Fa-f]+$/;
const UPPER = /^[A-Z0-9]+$/;
/** A digest written the usual way (`sha256:…`, as in image digests) is a checksum, not a secret. */
const DIGEST_LABEL = /(?:^|[^A-Za-z0-9])(md5|sha1|sha224|sha256|sha384|sha512):$/i;
const DIGEST_LENGTH: Record<string, number> = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128 };

/** Mean length of the runs of characters matching `re`; generated text has short runs, words long ones. */
function meanRun(s: string, re: RegExp): number {
  const runs = s.match(re) ?? [];
  return runs.length ? runs.reduce((n, r) => n + r.length, 0) / runs.length : 0;
}

/** Share of vowels among the letters: about 19% in random letters, near 40% in words. */
function vowelShare(s: string): number {
  const letters = s.replace(/[^A-Za-z]/g, '');
  return letters.length ? (letters.match(/[AEIOUaeiou]/g)?.length ?? 0) / letters.length : 0;
}

/** How many different characters; random tokens use many, repeated words few. */
function distinct(s: string): number {
  return new Set(s).size;
}

function isLabelledDigest(value: string, index: number, run: string): boolean {
  const m = DIGEST_LABEL.exec(value.slice(Math.max(0, index - 8), index));
  return !!m && DIGEST_LENGTH[m[1]!.toLowerCase()] === run.length;
}

/** The shape of one run if it looks generated rather than written. */
function shapeOf(run: string, value: string, index: number): SecretShape | undefined {
  if (run.length >= SECRET_MIN_LENGTH) {
    if (BASE32.test(run) && (run.match(/[2-7]+/g)?.length ?? 0) >= 2 && vowelShare(run) < 0.35 && distinct(run) >= 12) return 'base32';
    if (
      BASE64.test(run) &&
      /[A-Z]/.test(run) &&
      /[0-9]/.test(run) &&
      meanRun(run, /[a-z]+/g) > 0 &&
      meanRun(run, /[a-z]+/g) <= 2.7 &&
      vowelShare(run) < 0.4 &&
      distinct(run) >= 14
    ) {
      return 'base64';
    }
  }
  // Hexadecimal keys and tokens (an API key of 128 bits is 32 hex digits); a digest labelled
  // as one (`sha256:…` of the right length) is left alone.
  if (run.length >= HEX_SECRET_MIN_LENGTH && HEX.test(run) && /[0-9]/.test(run) && /[A-Fa-f]/.test(run) && distinct(run) >= 10) {
    return isLabelledDigest(value, index, run) ? undefined : 'hexadecimal';
  }
  // The PortSIP portal's IM token (Generate Token): 48 upper-case letters and digits, the
  // base64 of a UUID in upper case. Words of that length in capitals have far more vowels.
  if (run.length >= UPPER_SECRET_MIN_LENGTH && UPPER.test(run) && /[0-9]/.test(run) && /[A-Z]/.test(run) && vowelShare(run) < 0.34 && distinct(run) >= 14) {
    return 'capitals-and-digits';
  }
  return undefined;
}

/**
 * Every run that looks generated rather than written, in order. base32: upper case and the
 * digits 2–7, digits in two or more places, few vowels. base64 and base64url: upper case, lower
 * case and digits, lower-case letters in short runs (about 1.7 in random text, 3 or more in
 * words) and few vowels. Hexadecimal: 32 or more hex digits with letters and digits (unless
 * labelled as a digest, `sha256:…`). Upper-case alphanumeric: 32 or more capitals and digits
 * with few vowels, the form of the portal's IM token. A heuristic tuned against false alarms:
 * host names, paths, CamelCase words, environment-variable names and image references do not
 * match; it finds about 93% of random 24-character base64 tokens and 99% of 44-character ones.
 */
export function findSecrets(value: string): SecretLike[] {
  const found: SecretLike[] = [];
  // Every shape lies within one run and has a minimum length: most values (names, addresses,
  // paths) have no run that long, and one test says so.
  if (!LONG_RUN.test(value)) return found;
  for (const m of value.matchAll(/[A-Za-z0-9+/=_-]+/g)) {
    const token = m[0];
    const at = m.index;
    const whole = shapeOf(token, value, at);
    if (whole) {
      found.push({ token, shape: whole, index: at });
      continue;
    }
    // A base64 token holds '/', '+', '-' and '_', but so do paths and names: look at each
    // piece between separators as well as the whole run.
    for (const p of token.matchAll(/[^/_=-]+/g)) {
      if (p[0] === token) continue;
      const shape = shapeOf(p[0], value, at + p.index);
      if (shape) found.push({ token: p[0], shape, index: at + p.index });
    }
  }
  return found;
}

/** A run of token characters long enough to hold a secret of any shape (that many in a row: an
 * open-ended repeat would backtrack through a 10 MB run). */
const LONG_RUN = new RegExp(`[A-Za-z0-9+/=_-]{${Math.min(SECRET_MIN_LENGTH, HEX_SECRET_MIN_LENGTH, UPPER_SECRET_MIN_LENGTH)}}`);

/** The first run that looks like a secret (see findSecrets). */
export function findSecretLike(value: string): SecretLike | undefined {
  return findSecrets(value)[0];
}

/** `JBSWY3DPEHPK3PXP…` → `JBSW…`: enough to recognise it, not enough to use it. */
export function maskSecret(s: string): string {
  return s.length <= 8 ? '…' : `${s.slice(0, 4)}…`;
}

/** Every secret-looking run of `text` replaced by its mask (`JBSW…`), for messages. */
export function maskSecretsIn(text: string): string {
  return replaceSecrets(text, maskSecret);
}

/** Every secret-looking run kept to its first four characters and stars, same length, for
 * source excerpts whose columns must stay put. */
export function starSecretsIn(text: string): string {
  return replaceSecrets(text, starMask);
}

export function starMask(s: string): string {
  return s.slice(0, 4) + '*'.repeat(Math.max(0, s.length - 4));
}

function replaceSecrets(text: string, mask: (s: string) => string): string {
  const found = findSecrets(text);
  if (!found.length) return text;
  let out = '';
  let from = 0;
  for (const f of found) {
    out += text.slice(from, f.index) + mask(f.token);
    from = f.index + f.token.length;
  }
  return out + text.slice(from);
}

// ---- references that can never name a secret ----------------------------------------------------

/** Variables the system, the shell, sudo, SSH or the generated script itself set: a secret
 * "read" from one of them is whatever the host happens to hold, and may be printed or passed on. */
const SYSTEM_ENV = new Set([
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'PWD', 'OLDPWD', 'LANG', 'LANGUAGE', 'TERM', 'TERMINFO', 'COLORTERM',
  'TZ', 'TMPDIR', 'HOSTNAME', 'HOSTTYPE', 'OSTYPE', 'MACHTYPE', 'MAIL', 'MAILPATH', 'MAILCHECK', 'IFS', 'PS1', 'PS2',
  'PS3', 'PS4', 'ENV', 'CDPATH', 'SHLVL', 'UID', 'EUID', 'PPID', 'GROUPS', 'RANDOM', 'SRANDOM', 'SECONDS', 'LINENO',
  'OPTARG', 'OPTIND', 'OPTERR', 'REPLY', 'COLUMNS', 'LINES', 'EDITOR', 'VISUAL', 'PAGER', 'DISPLAY', 'POSIXLY_CORRECT',
  'SHELLOPTS', 'BASHOPTS', 'GLOBIGNORE', 'FUNCNEST', 'PROMPT_COMMAND', 'TIMEFORMAT', 'INVOCATION_ID', 'JOURNAL_STREAM',
  'NOTIFY_SOCKET', 'MANPATH', 'INFOPATH', 'MOTD_SHOWN', 'DEBIAN_FRONTEND', 'PBXPLAN_ROOT', 'BASH', 'HISTFILE', 'HISTFILESIZE',
  'HISTSIZE', 'HISTCONTROL', 'HISTIGNORE', 'HISTTIMEFORMAT', 'HISTCMD',
  // the generated install.sh's own globals (templates/; a test keeps this list complete)
  'ASSUME_YES', 'BUNDLE_DIR', 'BUNDLE_FILES', 'CHANGED', 'CLUSTER_NAME', 'CONFIRMED', 'FROM', 'FROM_INDEX', 'GENERATED_BY',
  'HA_ACCOUNT', 'HA_DIR', 'HOST_DIR', 'HOST_NAME', 'LOCK_FILE', 'LOG_DIR', 'LOG_ENABLED', 'LOG_FILE', 'MODE', 'ONLY',
  'PENDING', 'PORTAL_DONE', 'PREFLIGHT_FAILED', 'REBOOTING', 'REBOOT_POLLS', 'REBOOT_POLL_SECONDS', 'ROOT', 'SCRIPTS_DIR', 'STATE_DIR',
  'STEP_IDS', 'STEP_STAGES', 'STEP_TITLES', 'UNKNOWN', 'APT_CONFIG', 'COMPREPLY', 'GUARD_UNKNOWN', 'IFS', 'KEY', 'MANIFEST',
  'MASKED', 'MAX_INDEX_BYTES', 'RELAYED', 'SECRET_LABELS', 'SECRET_VALUES', 'SUMS', 'TZ', 'DOCKER_CONFIG', 'REDO', 'REDO_STEPS', 'REPORT', 'REPORT_OK', 'REPORT_PENDING', 'REPORT_CHANGED',
  'BASE_SPEC', 'BASE_PLAN', 'TARGET_SPEC', 'TARGET_PLAN',
]);
const SYSTEM_ENV_PREFIXES = ['LC_', 'LD_', 'SUDO_', 'SSH_', 'BASH_', 'XDG_', 'DBUS_', 'SYSTEMD_', 'LISTEN_'];

/** Account databases, sudo and SSH configuration, host identity and kernel/device trees. */
const SYSTEM_FILES = new Set([
  '/etc/shadow', '/etc/shadow-', '/etc/gshadow', '/etc/gshadow-', '/etc/passwd', '/etc/passwd-', '/etc/group', '/etc/group-',
  '/etc/sudoers', '/etc/hosts', '/etc/hostname', '/etc/fstab', '/etc/crontab', '/etc/environment', '/etc/machine-id',
  '/etc/os-release', '/etc/resolv.conf',
]);
const SYSTEM_DIRS = ['/proc/', '/sys/', '/dev/', '/boot/', '/etc/sudoers.d/', '/etc/ssh/', '/etc/ssl/private/', '/etc/pam.d/', '/etc/security/', '/var/log/'];
/** Folders of keys and credentials for other tools, wherever they are (`~/.ssh/id_ed25519`). */
const CREDENTIAL_SEGMENTS = new Set(['.ssh', '.gnupg', '.aws', '.docker', '.kube']);

/** Why a `{ env }` or `{ file }` reference cannot name a secret, or undefined when it can. */
export function systemSecretRef(ref: { env?: string; file?: string }): string | undefined {
  if (ref.env !== undefined) {
    const name = ref.env;
    if (SYSTEM_ENV.has(name) || SYSTEM_ENV_PREFIXES.some((p) => name.startsWith(p))) {
      return 'a variable that the system, the shell or the generated script sets';
    }
  }
  if (ref.file !== undefined) {
    const path = ref.file;
    if (path.endsWith('/')) return 'a directory, not a file';
    if (SYSTEM_FILES.has(path) || SYSTEM_DIRS.some((d) => path.startsWith(d) || path === d.slice(0, -1))) return 'a system file';
    if (path.split('/').some((seg) => CREDENTIAL_SEGMENTS.has(seg))) return 'a file of another tool\'s keys or credentials';
  }
  return undefined;
}
