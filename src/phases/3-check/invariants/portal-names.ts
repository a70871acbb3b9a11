// C9, E1, E4: a media, queue, meeting or IVR server comes online only when the web portal holds
// an entry of the same type with exactly its name. Compared when the spec records the portal's
// servers (portal.servers, an existing site); otherwise the runbook has the operator create them.
import { closest } from '../../../diagnostics/suggest.js';
import { CLUSTER_ROLES, isPortalRole } from '../../../model/roles.js';
import type { Rule } from '../context.js';

export const serverNamesInPortal: Rule = ({ spec, bag }) => {
  const portal = spec.portal?.servers;
  if (!portal) return;
  const servers = spec.servers ?? [];
  const has = (role: string, name: string) => servers.some((s) => s.role === role && s.name === name);
  const registered = (role: string, name: string) => portal.some((p) => p.role === role && p.name === name);
  // Portal entries no spec server claims: the candidates for "did you mean".
  const unclaimed = portal.map((p, i) => ({ ...p, i })).filter((p) => !has(p.role, p.name));

  servers.forEach((s, i) => {
    if (!isPortalRole(s.role) || registered(s.role, s.name)) return;
    const sameRole = unclaimed.filter((p) => p.role === s.role);
    const near = closest(s.name, sameRole.map((p) => p.name));
    const otherRole = portal.map((p, j) => ({ ...p, j })).find((p) => p.role !== s.role && p.name.toLowerCase() === s.name.toLowerCase());
    let suggestion: string;
    let related: { message: string; path: (string | number)[] }[] = [];
    if (near !== undefined) {
      const p = sameRole.find((q) => q.name === near)!;
      suggestion = `did you mean "${near}"? The portal lists that ${CLUSTER_ROLES[s.role].label} server`;
      related = [{ message: `"${near}" is registered here`, path: ['portal', 'servers', p.i, 'name'] }];
    } else if (otherRole) {
      suggestion = `the portal lists "${otherRole.name}" as a ${CLUSTER_ROLES[otherRole.role].label} server, not under ${CLUSTER_ROLES[s.role].menu}`;
      related = [{ message: `"${otherRole.name}" is registered here`, path: ['portal', 'servers', otherRole.j, 'role'] }];
    } else {
      suggestion = `add "${s.name}" under ${CLUSTER_ROLES[s.role].menu} and to portal.servers, or correct the name`;
    }
    bag.add('server_name_not_in_portal', ['servers', i, 'name'], { name: s.name, menu: CLUSTER_ROLES[s.role].menu, suggestion }, { related });
  });

  for (const p of unclaimed) {
    bag.add('portal_server_without_host', ['portal', 'servers', p.i, 'name'], { name: p.name, role: CLUSTER_ROLES[p.role].label });
  }
};
