// Whether two compiled plans differ only in their release, and whether that release change is an
// upgrade the vendor documents (within v22, forwards): anything else gets a refusal in words.
import semver from 'semver';
import type { Plan } from '../../../model/plan.js';
import { imageVersion } from '../../../model/release.js';

/** What must be equal for a release-only change: everything a host or the site is, not the images. */
function shape(p: Plan) {
  return {
    // The description changes no host: the upgrade bundle carries the new one.
    cluster: { ...p.cluster, description: '' },
    paths: p.paths,
    hosts: p.hosts.map((h) => ({ hostname: h.hostname, role: h.role, serverName: h.serverName, privateIp: h.privateIp, publicIp: h.publicIp })),
    registry: p.airgap.registry,
    registryMirror: p.airgap.registryMirror,
    whitelistExpires: p.whitelistExpires,
  };
}

/** The places where OLD and NEW differ besides the release (empty: only the release changed). */
export function nonReleaseDifferences(oldPlan: Plan, newPlan: Plan): string[] {
  const a = shape(oldPlan) as Record<string, unknown>;
  const b = shape(newPlan) as Record<string, unknown>;
  return Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

export function isReleaseOnlyChange(oldPlan: Plan, newPlan: Plan): boolean {
  return nonReleaseDifferences(oldPlan, newPlan).length === 0 && JSON.stringify(oldPlan.release) !== JSON.stringify(newPlan.release);
}

/** Why OLD → NEW is not an upgrade this tool builds, or null when it is one. */
export function upgradeRefusal(oldPlan: Plan, newPlan: Plan): string | null {
  const diff = nonReleaseDifferences(oldPlan, newPlan);
  if (diff.length) {
    // Change bundles (issue #12 item 2) are not built yet: --from makes upgrade bundles only.
    const what = JSON.stringify(oldPlan.release) === JSON.stringify(newPlan.release) ? 'changes' : 'changes more than the release';
    return `the new spec ${what} (${diff.join(', ')}); compile --from builds upgrade bundles only (change bundles are not built yet). Run 'pbxplan diff OLD NEW' to see what the change does, apply it with the new spec's full bundle (README, "Changing a running cluster"), then compile a release change alone with --from`;
  }
  if (JSON.stringify(oldPlan.release) === JSON.stringify(newPlan.release)) return 'the release is the same in both specs: there is nothing to upgrade';
  const from = imageVersion(oldPlan.release.pbxImage);
  const to = imageVersion(newPlan.release.pbxImage);
  for (const [which, v, image] of [['old', from, oldPlan.release.pbxImage], ['new', to, newPlan.release.pbxImage]] as const) {
    // A floating tag (22) names whatever the registry holds that day: neither the running version
    // nor the direction of the change can be checked.
    if (!v.version || v.majorOnly) return `the ${which} release.pbxImage ${image} is not pinned to a minor version: write it as e.g. ${v.repository}:22.4 so that the running version can be checked`;
  }
  if (semver.major(from.version!) !== semver.major(to.version!)) {
    return `${oldPlan.release.pbxImage} → ${newPlan.release.pbxImage} crosses a major version: that is a rebuild, not an upgrade (the vendor's v16 → v22 guide: new hosts, then the data copied in)`;
  }
  if (semver.lt(to.version!, from.version!)) {
    return `${newPlan.release.pbxImage} is older than ${oldPlan.release.pbxImage}: the vendor has no downgrade; restore the backup taken before the upgrade instead (RUNBOOK.md of the upgrade bundle, "Rollback")`;
  }
  return null;
}
