// C15: image tags read as versions; v22 only; Data Flow needs 22.3.
import semver from 'semver';
import { imageVersion } from '../../../model/release.js';
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
