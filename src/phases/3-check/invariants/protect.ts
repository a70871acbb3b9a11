// protect: (docs/spec-format.md, Protection) names roles or host names; a name that is neither
// protects nothing, so it is reported rather than silently ignored.
import { ROLE_ORDER } from '../../../model/roles.js';
import { closest } from '../../../diagnostics/suggest.js';
import type { Rule } from '../context.js';

export const protectNames: Rule = ({ spec, hosts, bag }) => {
  const known = ['pbx', ...ROLE_ORDER, ...hosts.map((h) => h.hostname)];
  (spec.protect ?? []).forEach((name, i) => {
    if (known.includes(name)) return;
    const near = closest(name, known);
    bag.add('protect_name_unknown', ['protect', i], { name, suggestion: near ? `did you mean "${near}"?` : `name one of: ${known.join(', ')}` });
  });
};
