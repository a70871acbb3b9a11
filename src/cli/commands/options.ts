// Options shared by the commands that read a spec.
import type { OptionDef } from '../command.js';

export const FORMAT: OptionDef = { long: 'format', value: 'FORMAT', choices: ['pretty', 'short', 'json', 'sarif'], summary: 'how diagnostics are printed (default pretty; json and sarif (SARIF 2.1.0) go to stdout)' };
export const STRICT: OptionDef = { long: 'strict', summary: 'treat warnings as errors' };
export const TODAY: OptionDef = { long: 'today', value: 'YYYY-MM-DD', summary: 'the date checks compare against (default today, UTC)' };
export const COLOR: OptionDef = { long: 'color', value: 'WHEN', choices: ['auto', 'always', 'never'], summary: 'colour in pretty diagnostics (NO_COLOR is honoured)' };
export const ARTIFACTS: OptionDef = { long: 'artifacts', value: 'ADIR', completes: 'dir', summary: 'the directory holding the files an air-gapped site needs' };
export const ALLOW_MISSING: OptionDef = { long: 'allow-missing', summary: 'missing artifacts are warnings, listed in the runbook' };
export const FORCE: OptionDef = { long: 'force', summary: 'replace an earlier pbxplan bundle (or archive) at the output' };

/** The options of every command that reads a spec. */
export const SPEC_OPTIONS: readonly OptionDef[] = [FORMAT, STRICT, TODAY, COLOR];

/** "-o, --out DIR" as help shows it. */
export function optionLabel(o: OptionDef): string {
  return `${o.short ? `-${o.short}, ` : ''}--${o.long}${o.value ? ` ${o.value}` : ''}`;
}
