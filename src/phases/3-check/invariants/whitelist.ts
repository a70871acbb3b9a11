// C23: every cluster server is whitelisted with a long expiry that lies in the future; entries
// the portal already holds (portal.whitelist) last at least as long, and belong to this cluster.
import { virtualAddresses } from '../../../model/hosts.js';
import type { Rule } from '../context.js';

/** YYYY-MM-DD plus whole years; compares correctly as a string even for 02-29. */
function addYears(day: string, years: number): string {
  return `${String(Number(day.slice(0, 4)) + years).padStart(4, '0')}${day.slice(4)}`;
}

const suggestFrom = (today: string) => `${Number(today.slice(0, 4)) + 10}-12-31`;

export const whitelistExpiry: Rule = ({ spec, bag, today }) => {
  const servers = spec.servers ?? [];
  if (!spec.whitelist) {
    if (servers.length) bag.add('whitelist_expiry_missing', [], {});
    return;
  }
  const expires = spec.whitelist.expires;
  const path = ['whitelist', 'expires'];
  if (expires <= today) bag.add('whitelist_expiry_past', path, { expires, today, suggest: suggestFrom(today) });
  else if (expires < addYears(today, 1)) bag.add('whitelist_expiry_soon', path, { expires, today, suggest: suggestFrom(today) });
};

export const portalWhitelist: Rule = ({ spec, hosts, bag, today }) => {
  const entries = spec.portal?.whitelist;
  if (!entries) return;
  const known = new Set([...hosts.flatMap((h) => h.addresses.map((a) => a.ip)), ...virtualAddresses(spec).map((a) => a.ip)]);
  const target = spec.whitelist?.expires;
  const inAYear = addYears(today, 1);
  entries.forEach((e, i) => {
    const base = ['portal', 'whitelist', i];
    if (!known.has(e.ip)) {
      bag.add('portal_whitelist_unknown_ip', [...base, 'ip'], { ip: e.ip });
      return; // its expiry does not matter to this cluster
    }
    let why: string | undefined;
    if (e.expires <= today) why = `so it has lapsed (today is ${today})`;
    else if (e.expires < inAYear) why = `less than a year from today (${today})`;
    else if (target && e.expires < target) why = `before whitelist.expires (${target})`;
    if (why) {
      const extendTo = target && target >= inAYear ? target : suggestFrom(today);
      bag.add('portal_whitelist_expiry_short', [...base, 'expires'], { ip: e.ip, expires: e.expires, why, extendTo });
    }
  });
};
