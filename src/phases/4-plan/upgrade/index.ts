// Upgrade bundles (issue "Upgrade bundles"): `compile NEW --from OLD` where only the release
// changed. The CLI asks isReleaseOnlyChange, then upgradeRefusal, then planUpgrade.
export { isReleaseOnlyChange, nonReleaseDifferences, upgradeRefusal } from './refuse.js';
export { backupDir, planUpgrade } from './plan.js';
