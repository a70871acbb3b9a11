// The artifacts listing (`pbxplan artifacts`): what an air-gapped site must carry, as text for
// people or as a versioned JSON document, rendered from the Plan alone. Not a bundle file: the
// CLI prints it.
import { ARTIFACT_WHAT, artifactFile, howToObtain, sourcePath } from '../../../model/artifacts.js';
import type { Plan } from '../../../model/plan.js';

/** Version of the `pbxplan artifacts --format json` document; bump when its shape changes. */
export const ARTIFACTS_FORMAT_VERSION = 1;

export interface ArtifactListOptions {
  /** The artifacts directory as the user named it, when the plan was made with one: each entry
   * then says whether the directory has it. */
  dir: string | null;
  format: 'text' | 'json';
}

/** The files needed that the artifacts directory lacks (0 without a directory). */
export function missingArtifactCount(plan: Plan): number {
  return plan.airgap.artifacts.reduce((n, a) => n + a.missing.length, 0);
}

/** One line for people, on how complete the artifacts directory is. */
export function artifactSummary(plan: Plan, dir: string): string {
  const missing = missingArtifactCount(plan);
  return `${dir}: ${missing ? `${missing} of the needed files missing` : 'every needed file present'}\n`;
}

export function renderArtifactList(plan: Plan, { dir, format }: ArtifactListOptions): string {
  const artifacts = plan.airgap.artifacts;
  if (format === 'json') {
    const doc = {
      formatVersion: ARTIFACTS_FORMAT_VERSION,
      cluster: plan.cluster.name,
      artifactsDir: dir,
      artifacts: artifacts.map((a) => ({
        id: a.id,
        kind: a.kind,
        path: sourcePath(a.path),
        bundlePath: a.path,
        required: a.required,
        image: a.image,
        why: a.why,
        hosts: a.hosts,
        state: a.state,
        files: a.files,
        missing: a.missing,
        obtain: a.required.map((name) => ({ file: artifactFile(a, name), how: howToObtain(a, name) })),
      })),
    };
    return JSON.stringify(doc, null, 2) + '\n';
  }
  const all = plan.hosts.length;
  const hostsText = (hosts: string[]) => (hosts.length === all && all > 1 ? `every host (${all})` : hosts.join(', '));
  // An upgrade bundle is compiled against the old spec or bundle (artifacts --from).
  const what = plan.upgrade ? `NEW --from OLD` : 'SPEC';
  let out = `Artifacts for ${plan.cluster.name}${plan.upgrade ? ` (upgrade ${plan.upgrade.fromImage} → ${plan.upgrade.toImage})` : ''}: put them into one directory with this layout, then run\n` + `  pbxplan compile ${what} -o OUT --artifacts <that directory>\n\n`;
  for (const a of artifacts) {
    for (const name of a.required) {
      const state = !dir ? '' : a.missing.includes(name) ? '[missing] ' : '[ok]      ';
      out += `${state}${artifactFile(a, name).padEnd(44)} ${hostsText(a.hosts)}\n`;
      out += `${' '.repeat(state.length)}    ${ARTIFACT_WHAT[a.kind]}${a.image ? ` ${a.image}` : ''}: ${howToObtain(a, name)}\n`;
    }
  }
  return out;
}
