// How a step's vendor invocations are built: one constructor per way of calling vendor code, each
// complete (the site registry login and secret placeholders included), and the drift fingerprint
// taken from the call itself, so nothing downstream adds to or re-derives a call.
import type { CallSecret, VendorCall } from '../../model/plan.js';
import type { SecretRef } from '../../model/spec.js';
import { REGISTRY_PASSWORD_LABEL } from '../../model/artifacts.js';
import type { BasePlan } from './base.js';
import { fingerprint } from './fingerprint.js';

/** What argv holds in place of a secret: readable in plan.json, never the value. */
export const placeholder = (label: string) => `<${label}, read at run time>`;

export interface SecretArg {
  flag: string;
  label: string;
  ref: SecretRef;
}

function withSecrets(argv: string[], secrets: SecretArg[]): { argv: string[]; secrets: CallSecret[] } {
  const out = [...argv];
  const list: CallSecret[] = [];
  for (const s of secrets) {
    out.push(s.flag);
    list.push({ index: out.length, label: s.label, ref: s.ref });
    out.push(placeholder(s.label));
  }
  return { argv: out, secrets: list };
}

/** A control script (paths.scripts) run as root: `/bin/sh <script> <subcommand> <argv…>`. */
export function scriptCall(purpose: VendorCall['purpose'], script: string, subcommand: string | null, argv: string[], pulls: string[] = []): VendorCall {
  return { purpose, script, dir: 'scripts', as: 'root', subcommand, argv, secrets: [], pulls };
}

/** An HA package script (paths.haGuide) run as the HA account. */
export function haCall(purpose: VendorCall['purpose'], script: string, subcommand: string | null, argv: string[], pulls: string[] = []): VendorCall {
  return { purpose, script, dir: 'ha-guide', as: 'ha-account', subcommand, argv, secrets: [], pulls };
}

/**
 * A control script's `run`, with its secret flag (the IM token). A site registry is not its
 * business: the host logs in once beforehand (registryLoginCall), and the script's pull uses the
 * login Docker stored, so the password is never on a command line (-U/-P would put it on
 * docker's). Returns the call and the fingerprint the install is recorded with: everything but
 * the secret values.
 */
export function runCall(base: BasePlan, script: string, args: string[], pulls: string[], secret: SecretArg | null): { call: VendorCall; fingerprint: string } {
  const reg = base.registry;
  const { argv, secrets } = withSecrets(args, secret ? [secret] : []);
  const call: VendorCall = { purpose: 'action', script, dir: 'scripts', as: 'root', subcommand: 'run', argv, secrets, pulls };
  // C29: the arguments without secret values, and the registry the images come from (as
  // bundles recorded it when they passed -R/-U, so their installs are not taken for drift).
  const print = fingerprint([script, args, secret?.flag ?? null, ...(reg ? [{ registry: reg.server, username: reg.username }] : [])]);
  return { call, fingerprint: print };
}

/** The site registry's login, the password on standard input (Appendix B.3 (a), without -P). */
export function registryLoginCall(reg: NonNullable<BasePlan['registry']>): VendorCall {
  return {
    purpose: 'action',
    script: 'docker',
    dir: 'path',
    as: 'root',
    subcommand: 'login',
    argv: ['--username', reg.username, '--password-stdin', reg.server],
    secrets: [],
    stdin: { label: REGISTRY_PASSWORD_LABEL, ref: reg.passwordRef },
    pulls: [],
  };
}

/** The control scripts (paths.scripts) a host's steps call, in first-call order. */
export function controlScripts(steps: { calls: VendorCall[] }[]): string[] {
  const scripts = new Set<string>();
  for (const s of steps) for (const c of s.calls) if (c.dir === 'scripts') scripts.add(c.script);
  return [...scripts];
}

/** The secrets a host's steps read, once each, in first-use order. */
export function stepSecrets(steps: { calls: VendorCall[] }[]): { label: string; ref: SecretRef }[] {
  const seen = new Map<string, { label: string; ref: SecretRef }>();
  const read = (x: { label: string; ref: SecretRef }) => seen.set(`${x.label}\0${JSON.stringify(x.ref)}`, { label: x.label, ref: x.ref });
  for (const s of steps) {
    for (const c of s.calls) {
      for (const x of c.secrets) read(x);
      if (c.stdin) read(c.stdin);
    }
  }
  return [...seen.values()];
}
