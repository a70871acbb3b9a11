// What the commands that read a spec share: reading it, the options that shape compile(), and
// printing the diagnostics (json on stdout when it is the command's machine output, otherwise
// stderr).
import { checkToolchain, compile, formatDiagnostics, loadToolchain, packageVersion, type CompileOptions, type CompileResult, type CompilerHost, type DiagnosticFormat } from '../../compiler.js';
import type { CommandContext } from '../command.js';
import { UsageError } from '../errors.js';
import { decodeSpec, readSpec } from '../io/spec-file.js';
import { useColor, type Io } from '../io/terminal.js';

/** A real calendar date in YYYY-MM-DD (2026-02-31 and 1999-13-45 are not). */
export function isCalendarDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export interface SpecRun {
  file: string; // as named, for diagnostics
  text: string;
  format: DiagnosticFormat;
  color: boolean;
  options: CompileOptions;
}

/** Checks the common options and reads the spec (the only positional argument). */
export async function openSpec(ctx: CommandContext, checkOnly = false): Promise<SpecRun> {
  const { values, positionals, io } = ctx;
  const day = (values['today'] as string | undefined) ?? new Date().toISOString().slice(0, 10);
  if (!isCalendarDate(day)) throw new UsageError(`--today takes a real calendar date as YYYY-MM-DD, not "${day}"`, ctx.command);
  const format = ((values['format'] as string | undefined) ?? 'pretty') as DiagnosticFormat;
  const input = await readSpec(positionals[0]!);
  const text = decodeSpec(input);
  const generatedBy = io.env['PBXPLAN_GENERATED_BY'] || `pbxplan ${packageVersion()}`;
  return {
    file: input.file,
    text,
    format,
    color: useColor(values['color'] as string | undefined, io),
    // Origins name the spec by its base name (compile keeps no more of the path).
    options: { today: day, generatedBy, strict: values['strict'] === true, checkOnly, toolchain: checkOnly ? checkToolchain() : await loadToolchain(), ...(input.file === '<stdin>' ? {} : { specName: input.file }) },
  };
}

export function compileSpec(run: SpecRun, host: CompilerHost = {}): CompileResult {
  return compile(run.text, { ...run.options, host });
}

/**
 * Prints the diagnostics: json goes to stdout when `jsonOnStdout` (the command's own machine
 * output), else to stderr like pretty and short. Pretty and short print nothing when there is
 * nothing to say, unless `always` (validate's "ok" line).
 */
/** json and sarif: documents for programs, printed on stdout when they are the command's output. */
export const isMachineFormat = (f: DiagnosticFormat) => f === 'json' || f === 'sarif';

export function printDiagnostics(run: SpecRun, result: CompileResult, io: Io, o: { jsonOnStdout: boolean; always?: boolean }): void {
  const text = formatDiagnostics(result.diagnostics, run.format, { file: run.file, source: run.text, color: run.color, toolVersion: packageVersion() });
  if (isMachineFormat(run.format)) (o.jsonOnStdout ? io.out : io.err)(text);
  else if (result.diagnostics.length || o.always) io.err(text.endsWith('\n') ? text : text + '\n');
}
