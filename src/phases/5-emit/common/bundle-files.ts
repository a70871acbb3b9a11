// Which files of the bundle a host uses: its install.sh, the files beside it (vars.yml) and the
// artifacts bundled for it. install.sh checks exactly these against SHA256SUMS; the Ansible play
// copies exactly these (and SHA256SUMS) to the host.
import type { Plan, PlanHost } from '../../../model/plan.js';

/** The bundle folder of a host's files: hosts/<hostname>. */
export const hostDir = (host: PlanHost) => host.script.slice(0, host.script.lastIndexOf('/'));

/** Bundle paths, the script first, then its own files, then its artifacts in plan order. */
export function hostBundleFiles(plan: Plan, host: PlanHost): string[] {
  const artifacts = plan.airgap.artifacts.filter((a) => a.state === 'bundled' && a.hosts.includes(host.hostname));
  return [host.script, ...host.files.map((f) => `${hostDir(host)}/${f.name}`), ...artifacts.flatMap((a) => a.files)];
}
