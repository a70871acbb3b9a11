// RUNBOOK.md comes from templates with conditional blocks, which leave runs of blank lines.

/** Every run of blank lines kept to one, and the text ending in exactly one newline (when it ends
 * in any). As `s.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n')`, but a megabyte of runbook is
 * searched for its runs with indexOf and copied in slices: the regular expressions cost more than
 * the template that rendered it. */
export function squeezeBlankLines(s: string): string {
  const kept: string[] = [];
  let from = 0;
  for (let at = s.indexOf('\n\n\n'); at !== -1; at = s.indexOf('\n\n\n', from)) {
    let end = at + 3;
    while (s.charCodeAt(end) === 10) end++;
    kept.push(s.slice(from, at + 2));
    from = end;
  }
  kept.push(s.slice(from));
  // Joined, the text is one flat string again, which the marker scan after it reads fastest.
  const out = kept.join('');
  // The squeezed text ends in at most two newlines.
  return out.endsWith('\n\n') ? out.slice(0, -1) : out;
}
