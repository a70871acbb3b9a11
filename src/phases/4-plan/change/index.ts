// Change bundles (issue #12 item 2): `compile NEW --from OLD` where anything but the release
// changed. src/compile-change.ts takes the diff, then asks planChange for the change Plan.
export { identityOf, planChange, planHash, type ChangeOptions as ChangePlanOptions, type HostPairs } from './plan.js';
