// Help texts, all derived from the command table.
import { HELP_OPTION, VERSION_OPTION } from './args.js';
import type { CommandDef } from './command.js';
import { optionLabel, SPEC_OPTIONS } from './commands/options.js';

const EXIT_CODES = `Exit codes: 0 ok, 1 the spec has errors (or warnings with --strict), 2 usage or I/O error,
4 (verify) the bundle is not intact, 130/143 interrupted (SIGINT/SIGTERM).`;

function optionLines(options: readonly { long: string; short?: string; value?: string; summary: string; choices?: readonly string[] }[]): string {
  const labels = options.map((o) => optionLabel(o as never));
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  return options.map((o, i) => `  ${labels[i]!.padEnd(width)} ${o.summary}${o.choices ? ` [${o.choices.join('|')}]` : ''}`).join('\n');
}

export function mainHelp(commands: readonly CommandDef[]): string {
  const width = Math.max(...commands.map((c) => c.usage.split(' [')[0]!.length)) + 2;
  return `pbxplan — compile a PortSIP PBX v22 cluster spec into an offline install bundle

Usage: pbxplan <command> [options]

Commands:
${commands.map((c) => `  ${c.usage.split(' [')[0]!.padEnd(width)} ${c.summary}`).join('\n')}

Options of the commands that read a spec (validate, compile, plan, artifacts):
${optionLines(SPEC_OPTIONS)}

Options:
${optionLines([HELP_OPTION, VERSION_OPTION])}

${EXIT_CODES}
Run 'pbxplan <command> --help' for a command's options.
`;
}

export function usageLine(c: CommandDef): string {
  return `Usage: pbxplan ${c.usage}`;
}

export function commandHelp(c: CommandDef): string {
  const options = [...c.options, HELP_OPTION];
  return `${usageLine(c)}

${c.description}

Options:
${optionLines(options)}
`;
}
