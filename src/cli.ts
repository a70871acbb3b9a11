#!/usr/bin/env node
// The only module that touches argv, stdio, the file system and exit codes.
// Exit codes: 0 ok · 1 the spec has errors (or warnings under --strict) · 2 usage or I/O error.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compile, createToolchain, type CompileResult } from './compile.js';
import { CODES, isCode } from './diagnostics/codes.js';
import { formatDiagnostics, summary, type DiagnosticFormat } from './diagnostics/format.js';
import { closest } from './diagnostics/suggest.js';
import { readSchema } from './phases/2-validate/validate.js';
import { TEMPLATES_DIR } from './phases/5-render/render.js';
import { packageVersion } from './version.js';

class UsageError extends Error {}

const HELP: Record<string, string> = {
  main: `pbxplan — compile a PortSIP PBX v22 cluster spec into an offline install bundle

Usage: pbxplan <command> [options]

Commands:
  validate SPEC           check the spec; print every problem (SPEC - reads stdin)
  compile SPEC -o DIR     check, then write the bundle to DIR
  plan SPEC               print the plan (plan.json) to stdout
  schema                  print the JSON Schema of the spec
  explain CODE            explain a diagnostic code
  init [-o FILE]          print (or write) a commented starter spec

Common options:
  --format pretty|short|json   how diagnostics are printed (default pretty)
  --strict                     treat warnings as errors
  --today YYYY-MM-DD           the date checks compare against (default: today, UTC)
  --color auto|always|never    colour in pretty output (NO_COLOR is honoured)
  -h, --help                   help for a command

Exit codes: 0 ok, 1 the spec has errors (or warnings with --strict), 2 usage or I/O error.
Run 'pbxplan <command> --help' for details.
`,
  validate: `Usage: pbxplan validate SPEC [--format pretty|short|json] [--strict] [--today YYYY-MM-DD]

Loads SPEC, validates it against the schema and checks every invariant. Prints all problems
found in one run. Writes nothing. Exit 0 when valid, 1 when not, 2 on usage or I/O errors.
`,
  compile: `Usage: pbxplan compile SPEC -o DIR [--force] [--format …] [--strict] [--today YYYY-MM-DD]

Checks SPEC and writes the bundle (RUNBOOK.md, plan.json, manifest.json, SHA256SUMS and
hosts/<hostname>/install.sh) to DIR. Refuses a non-empty DIR unless --force is given. The
bundle is written to a temporary directory beside DIR and moved into place only when complete,
so a failed run leaves nothing half-written. The same spec always gives the same bytes.
`,
  plan: `Usage: pbxplan plan SPEC [--format …] [--strict] [--today YYYY-MM-DD]

Prints the plan, the document written as plan.json, to stdout. Diagnostics go to stderr.
`,
  schema: `Usage: pbxplan schema

Prints the JSON Schema (2020-12) of the cluster spec, for editors and other tools.
`,
  explain: `Usage: pbxplan explain CODE

Prints what a diagnostic code means and how to fix it. 'pbxplan explain --list' lists every code.
`,
  init: `Usage: pbxplan init [-o FILE] [--force]

Prints a commented starter spec (a PBX with one server of each cluster role) that compiles as
it is. With -o, writes it to FILE instead (refusing to overwrite without --force).
`,
};

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  stderrIsTty: boolean;
  env: NodeJS.ProcessEnv;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** `-` reads the spec from standard input. */
function readSpec(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function useColor(flag: string | undefined, io: Io): boolean {
  if (flag === 'always') return true;
  if (flag === 'never') return false;
  if (flag !== undefined && flag !== 'auto') throw new UsageError(`--color takes auto, always or never, not "${flag}"`);
  return io.stderrIsTty && !io.env['NO_COLOR'];
}

function formatOf(flag: string | undefined): DiagnosticFormat {
  const f = flag ?? 'pretty';
  if (f !== 'pretty' && f !== 'short' && f !== 'json') throw new UsageError(`--format takes pretty, short or json, not "${f}"`);
  return f;
}

const SPEC_OPTIONS = {
  format: { type: 'string' },
  strict: { type: 'boolean' },
  today: { type: 'string' },
  color: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function runSpecCommand(cmd: 'validate' | 'compile' | 'plan', argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...SPEC_OPTIONS, out: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
  });
  if (values.help) {
    io.out(HELP[cmd]!);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`${cmd} takes exactly one SPEC file`);
  if (cmd !== 'compile' && (values.out !== undefined || values.force)) throw new UsageError(`-o and --force belong to compile`);
  if (cmd === 'compile' && !values.out) throw new UsageError('compile needs -o DIR');
  const day = values.today ?? today();
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day)) throw new UsageError(`--today takes YYYY-MM-DD, not "${day}"`);
  const format = formatOf(values.format);
  const color = useColor(values.color, io);
  const file = positionals[0] === '-' ? '<stdin>' : positionals[0]!;
  const text = readSpec(positionals[0]!);
  if (cmd === 'compile') checkOutDir(values.out!, values.force ?? false);

  const generatedBy = io.env['PBXPLAN_GENERATED_BY'] || `pbxplan ${packageVersion()}`;
  const result: CompileResult = compile(text, { today: day, generatedBy, strict: values.strict ?? false, checkOnly: cmd === 'validate', toolchain: createToolchain() });
  const diagText = formatDiagnostics(result.diagnostics, format, { file, source: text, color });
  if (format === 'json') {
    (cmd === 'validate' ? io.out : io.err)(diagText);
  } else if (result.diagnostics.length || cmd === 'validate') {
    io.err(diagText.endsWith('\n') ? diagText : diagText + '\n');
  }
  if (!result.ok) return 1;
  if (cmd === 'plan') io.out(JSON.stringify(result.plan, null, 2) + '\n');
  if (cmd === 'compile') {
    writeBundle(values.out!, result.files!);
    const hosts = result.plan!.hosts.length;
    io.err(`wrote ${result.files!.length} files for ${hosts} host${hosts === 1 ? '' : 's'} to ${values.out}; start with ${join(values.out!, 'RUNBOOK.md')}\n`);
  }
  return 0;
}

function checkOutDir(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a directory`);
  if (readdirSync(dir).length && !force) throw new UsageError(`${dir} is not empty; use --force to replace it`);
}

/** Writes beside the target and renames into place, so nothing half-written is ever left. */
function writeBundle(dir: string, files: { path: string; content: string; mode: number }[]): void {
  const target = resolve(dir);
  const parent = dirname(target);
  const tmp = join(parent, `.${basename(target)}.pbxplan-${process.pid}.tmp`);
  const old = join(parent, `.${basename(target)}.pbxplan-${process.pid}.old`);
  try {
    mkdirSync(parent, { recursive: true });
    rmSync(tmp, { recursive: true, force: true });
    for (const f of files) {
      const p = join(tmp, ...f.path.split('/'));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content, { mode: f.mode });
      chmodSync(p, f.mode); // the umask must not change the bundle's modes
    }
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    throw new UsageError(`cannot write ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function runExplain(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, list: { type: 'boolean' } } });
  if (values.help) {
    io.out(HELP['explain']!);
    return 0;
  }
  if (values.list) {
    for (const [code, e] of Object.entries(CODES)) io.out(`${code.padEnd(32)} ${e.severity}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('explain takes one CODE (or --list)');
  const code = positionals[0]!;
  if (!isCode(code)) {
    const near = closest(code, Object.keys(CODES));
    throw new UsageError(`unknown code "${code}"${near ? `; did you mean "${near}"?` : ''} ('pbxplan explain --list' lists them)`);
  }
  const e = CODES[code];
  io.out(`${code} (${e.severity})\n\n${e.doc}\n\nMessage: ${e.message}\nHint:    ${e.hint}\n`);
  return 0;
}

function runSchema(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(HELP['schema']!);
    return 0;
  }
  if (positionals.length) throw new UsageError('schema takes no arguments');
  io.out(JSON.stringify(readSchema(), null, 2) + '\n');
  return 0;
}

function runInit(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, out: { type: 'string', short: 'o' }, force: { type: 'boolean' } } });
  if (values.help) {
    io.out(HELP['init']!);
    return 0;
  }
  if (positionals.length) throw new UsageError('init takes no arguments (use -o FILE to write a file)');
  const text = readFileSync(join(TEMPLATES_DIR, 'init', 'cluster.yaml'), 'utf8');
  if (!values.out) {
    io.out(text);
    return 0;
  }
  if (existsSync(values.out) && !values.force) throw new UsageError(`${values.out} exists; use --force to overwrite it`);
  try {
    writeFileSync(values.out, text);
  } catch (e) {
    throw new UsageError(`cannot write ${values.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.err(`wrote ${values.out}; edit it, then run: pbxplan validate ${values.out}\n`);
  return 0;
}

export function main(argv: string[], io: Io): number {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(HELP['main']!);
        return cmd === undefined ? 2 : 0;
      case '--version':
      case '-V':
        io.out(`pbxplan ${packageVersion()}\n`);
        return 0;
      case 'validate':
      case 'compile':
      case 'plan':
        return runSpecCommand(cmd, rest, io);
      case 'explain':
        return runExplain(rest, io);
      case 'schema':
        return runSchema(rest, io);
      case 'init':
        return runInit(rest, io);
      default: {
        const near = closest(cmd, ['validate', 'compile', 'plan', 'schema', 'explain', 'init']);
        throw new UsageError(`unknown command "${cmd}"${near ? `; did you mean "${near}"?` : ''}`);
      }
    }
  } catch (e) {
    // parseArgs reports unknown options with a TypeError carrying an ERR_PARSE_ARGS_* code.
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (e instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`pbxplan: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}

// Run only when executed (the bin link, node dist/cli.js, tsx src/cli.ts), not when imported by tests.
const isEntry = !!process.argv[1] && existsSync(process.argv[1]) && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const code = main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    stderrIsTty: process.stderr.isTTY ?? false,
    env: process.env,
  });
  process.exitCode = code;
}
