// String formats the schema names. Strict on purpose: no leading zeros (which some tools read
// as octal), no IPv6 yet (the vendor scripts and guides are IPv4 only).

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

export function isIpv4(s: string): boolean {
  return IPV4.test(s);
}

export function isCidr4(s: string): boolean {
  const m = /^([^/]+)\/(3[0-2]|[12]?[0-9])$/.exec(s);
  return !!m && isIpv4(m[1]!);
}

export function isDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
