// C23: every cluster server is whitelisted with a long expiry that lies in the future.
import type { Rule } from '../context.js';

export const whitelistExpiry: Rule = ({ spec, bag, today }) => {
  const servers = spec.servers ?? [];
  if (!spec.whitelist) {
    if (servers.length) bag.add('whitelist_expiry_missing', [], {});
    return;
  }
  const expires = spec.whitelist.expires;
  if (expires <= today) {
    const suggest = `${Number(today.slice(0, 4)) + 10}-12-31`;
    bag.add('whitelist_expiry_past', ['whitelist', 'expires'], { expires, today, suggest });
  }
};
