// C15: image tags read as versions; v22 only; Data Flow needs 22.3; SBC 11.x with PBX 22.x.
// The other images are pinned by version tags too, so a bundle installs the same software every day.
import semver from 'semver';
import { imageVersion } from '../../../model/release.js';
import { DEFAULT_IMAGES } from '../../../model/roles.js';
import type { Rule } from '../context.js';

export const releaseVersions: Rule = ({ spec, bag }) => {
  const image = spec.release.pbxImage;
  const path = ['release', 'pbxImage'];
  const v = imageVersion(image);
  if (!v.version) {
    bag.add('release_tag_not_version', path, { tag: v.tag, image });
    return;
  }
  if (!semver.satisfies(v.version, '>=22.0.0 <23.0.0')) {
    bag.add('release_version_unsupported', path, { image, version: v.version, range: 'v22 (>= 22.0.0, < 23)' });
    return;
  }
  const df = (spec.servers ?? []).findIndex((s) => s.role === 'dataflow');
  if (df < 0) return;
  const related = [{ message: 'the Data Flow server', path: ['servers', df, 'role'] }];
  // A major-only tag such as the guides' portsip/pbx:22 reads as 22.0.0 but floats to the newest
  // 22.x; it cannot prove 22.3, so it warns, and the vendor script's label check decides on the host.
  if (v.majorOnly) bag.add('dataflow_version_unpinned', path, { image }, { related });
  else if (semver.lt(v.version, '22.3.0')) bag.add('dataflow_version_too_old', path, { image, version: v.version }, { related });
};

const OTHER_IMAGES = [
  { key: 'clickhouseImage', example: '25.8' },
  { key: 'postgresImage', example: '14.12' },
  { key: 'sbcImage', example: '11' },
] as const;

export const imageTags: Rule = ({ spec, bag }) => {
  for (const { key, example } of OTHER_IMAGES) {
    const image = spec.release[key];
    if (!image) continue;
    const v = imageVersion(image);
    if (!v.version) bag.add('image_tag_not_version', ['release', key], { key: `release.${key}`, tag: v.tag, image, example });
  }
};

/** PBX v22 works with SBC v11 only (SBC-INST); the default image applies when there are SBCs. */
export const sbcRelease: Rule = ({ spec, bag }) => {
  const sbc = (spec.servers ?? []).findIndex((s) => s.role === 'sbc');
  if (sbc < 0) return;
  const pbx = imageVersion(spec.release.pbxImage).version;
  if (!pbx || semver.major(pbx) !== 22) return; // release_version_unsupported or release_tag_not_version already
  const image = spec.release.sbcImage ?? DEFAULT_IMAGES.sbc;
  const v = imageVersion(image).version;
  if (!v || semver.major(v) === 11) return; // a tag that is not a version: image_tag_not_version
  bag.add('sbc_version_mismatch', ['release', 'sbcImage'], { image, version: v }, { related: [{ message: 'the first SBC server', path: ['servers', sbc, 'role'] }] });
};
