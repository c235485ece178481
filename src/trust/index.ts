/**
 * @module trust
 * Trust rules: which CI identity gets which zone, actions and TTL. Pure matching over rules
 * compiled at config load. Must never grant on a partial match or a pattern that isn't anchored.
 */
export type { ClaimPattern } from "./compile-pattern.js";
export {
  compileAnchoredRegex,
  compileGlob,
  describePattern,
  matchPattern,
} from "./compile-pattern.js";
export type { RuleMiss } from "./match-trust.js";
export { matchTrust } from "./match-trust.js";
export { TRUST_ERRORS, trustError } from "./trust-errors.js";
export type { Grant, TrustRule } from "./trust-rule.js";
