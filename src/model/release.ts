import semver from 'semver';

export interface ImageVersion {
  repository: string;
  tag: string;
  /** Semver read from the tag (22 → 22.0.0), or null when the tag is not a version. */
  version: string | null;
  /** A major-only tag (`22`) floats: the registry decides which 22.x it is on install day. */
  majorOnly: boolean;
}

/** Splits `registry:5000/portsip/pbx:22.3` at the tag's colon (the last one after the last slash). */
export function imageVersion(image: string): ImageVersion {
  const slash = image.lastIndexOf('/');
  const colon = image.indexOf(':', slash + 1);
  const repository = colon === -1 ? image : image.slice(0, colon);
  const tag = colon === -1 ? 'latest' : image.slice(colon + 1);
  // Only tags that start with a number are versions; coerce would find "22" inside "build-22".
  const version = /^v?[0-9]+(\.[0-9]+){0,2}([-+][0-9A-Za-z.-]+)?$/.test(tag) ? (semver.coerce(tag, { includePrerelease: true })?.version ?? null) : null;
  return { repository, tag, version, majorOnly: version !== null && /^v?[0-9]+$/.test(tag) };
}
