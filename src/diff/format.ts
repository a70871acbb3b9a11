// The diff for people (summary, then every change worst first) and for programs (versioned JSON).
// Both read only the DiffResult; the text is plain ASCII-safe words and the spec's own values.
import { escapeControls } from '../diagnostics/safe-text.js';
import type { Change, DiffResult, Place } from './model.js';
import { ACTIONS, REASONS } from './reasons.js';

const at = (p: Place | null): string => (p === null ? '(none)' : `${p.file}${p.line === null ? '' : `:${p.line}`} (${p.path})`);

/** Spec values reach the terminal: control characters are shown escaped, never interpreted. */
const safe = (s: string): string => escapeControls(s);

function changeText(c: Change): string {
  const lines = [`${c.action.padEnd(8)} [${c.reason}] ${safe(c.hosts.join(', '))} — ${REASONS[c.reason].title}`, `    ${safe(c.detail)}`];
  if (c.versions) lines.push(`    version: ${safe(c.versions.from)} → ${safe(c.versions.to)}`);
  lines.push(`    old: ${safe(at(c.old))}`, `    new: ${safe(at(c.new))}`);
  if (c.forces.length) lines.push(`    forces: ${safe(c.forces.map((f) => `${f.action} ${f.host} (${f.what})`).join(', '))}`);
  if (c.manual) lines.push('    manual: the vendor documents no procedure for this; the runbook lists the work, no command is run');
  return lines.join('\n') + '\n';
}

export function formatDiffText(r: DiffResult): string {
  const s = r.summary;
  const out: string[] = [];
  out.push(`pbxplan diff ${safe(r.old.file)} → ${safe(r.new.file)}\n`);
  if (!s.changes) out.push('No changes to any host.\n');
  else {
    out.push(`${s.changes} change${s.changes === 1 ? '' : 's'}: ${[...ACTIONS].reverse().map((a) => `${s.byAction[a]} ${a}`).join(', ')}\n`);
    out.push(`hosts recreated: ${s.recreatedHosts}, hosts removed: ${s.removedHosts}, downtime-bearing steps: ${s.downtimeSteps}\n`);
  }
  if (s.waivers) out.push(`waiver changes: ${s.waivers} (not a change to any host)\n`);
  for (const e of r.errors) out.push(`\nerror[${e.reason}] ${safe(e.hosts.join(', '))}: ${safe(e.message)}\n    old: ${safe(at(e.old))}\n    new: ${safe(at(e.new))}\n`);
  for (const c of r.changes) out.push('\n' + changeText(c));
  for (const w of r.waivers) out.push(`\nwaiver ${w.change.padEnd(7)} [${w.reason}] ${safe(w.code)}${w.path ? ` at ${safe(w.path)}` : ''}\n    ${safe(w.detail)}\n    old: ${safe(at(w.old))}\n    new: ${safe(at(w.new))}\n`);
  return out.join('');
}

/** The JSON document (`--format json`): stable key order, the result as it is. */
export function formatDiffJson(r: DiffResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}
