// C9: names are unique per role; C12: one IM and one Data Flow at most.
import type { ServerRole } from '../../../model/spec.js';
import type { Rule } from '../context.js';

export const uniqueServerNames: Rule = ({ spec, bag }) => {
  const seen = new Map<string, number>();
  (spec.servers ?? []).forEach((s, i) => {
    const key = `${s.role}\u0000${s.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      bag.add('server_name_duplicate', ['servers', i, 'name'], { role: s.role, name: s.name }, { related: [{ message: 'first used here', path: ['servers', first, 'name'] }] });
    } else seen.set(key, i);
  });
};

const SINGLETONS: ServerRole[] = ['im', 'dataflow'];

export const singletonRoles: Rule = ({ spec, bag }) => {
  for (const role of SINGLETONS) {
    const idx = (spec.servers ?? []).flatMap((s, i) => (s.role === role ? [i] : []));
    if (idx.length < 2) continue;
    for (const i of idx.slice(1)) {
      bag.add('role_singleton', ['servers', i, 'role'], { role, count: idx.length }, { related: [{ message: `first ${role} server`, path: ['servers', idx[0]!, 'role'] }] });
    }
  }
};
