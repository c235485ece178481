import type { Provider, WorkloadIdentity } from "../identity/index.js";
import { writesOrVouches, type Zone } from "../zones/index.js";
import { describePattern, matchPattern } from "./compile-pattern.js";
import { trustError } from "./trust-errors.js";
import type { Grant, TrustRule } from "./trust-rule.js";

/** Events that run with a privileged token on untrusted input; never for a rule that writes or vouches by default. */
const DANGEROUS_EVENTS = new Set(["pull_request_target", "workflow_run"]);

/** Why a rule did not match: the first claim that failed. */
export interface RuleMiss {
  rule: string;
  claim: string;
  expected: string;
  actual: string | undefined;
  matchedClaims: number;
}

/**
 * Finds the grant for `identity` in `zone`: the first rule for that zone and issuer whose
 * claims all match, narrowed to `requestedActions` when given. Throws ERR_TRUST_* naming the
 * closest rule and the failing claim when none matches, or when a built-in guard refuses.
 */
export function matchTrust(
  rules: readonly TrustRule[],
  identity: WorkloadIdentity,
  zone: Zone,
  requestedActions: readonly string[] | undefined,
): Grant {
  const candidates = rules.filter((r) => r.zone === zone && r.issuer === identity.issuerName);
  let closest: RuleMiss | undefined;
  for (const rule of candidates) {
    const miss = findMiss(rule, identity);
    if (!miss) return toGrant(guard(rule, identity), requestedActions);
    if (!closest || miss.matchedClaims > closest.matchedClaims) closest = miss;
  }
  throw noMatch(zone, identity, closest);
}

function findMiss(rule: TrustRule, identity: WorkloadIdentity): RuleMiss | undefined {
  let matched = 0;
  for (const [claim, pattern] of rule.claims) {
    const actual = identity.claims[claim];
    if (actual === undefined || !matchPattern(pattern, actual)) {
      return {
        rule: rule.name,
        claim,
        expected: describePattern(pattern),
        actual,
        matchedClaims: matched,
      };
    }
    matched++;
  }
  return undefined;
}

/**
 * The built-in guards, for rules that write or vouch: an attestation is the evidence another
 * zone's write is let through on, so untrusted code must not be able to produce one either.
 */
function guard(rule: TrustRule, identity: WorkloadIdentity): TrustRule {
  if (!writesOrVouches(rule.actions)) return rule;
  if (DANGEROUS_EVENTS.has(identity.event) && !rule.allowEvents.includes(identity.event)) {
    throw trustError(
      "ERR_TRUST_EVENT_NOT_ALLOWED",
      `event ${identity.event} runs untrusted input with a privileged token, so rule ${rule.name} (zone ${rule.zone}), whose actions write or vouch, refuses it; use a safer trigger, or list the event in the rule's allow_events after review`,
      { rule: rule.name, event: identity.event },
    );
  }
  if (!rule.allowSelfHosted) guardRunner(rule, identity);
  return rule;
}

/** The runner_environment value a provider's own hosted runners send. */
const HOSTED_RUNNER: Readonly<Record<Provider, string | undefined>> = {
  github: "github-hosted",
  gitlab: "gitlab-hosted",
  // A generic OIDC issuer has no runner claim, so this guard can't apply (docs/config.md).
  generic: undefined,
};

/**
 * Only the provider's hosted runners pass: GitLab's runner_environment is optional, and an
 * unknown runner may be anyone's machine, so it is refused like a self-hosted one.
 */
function guardRunner(rule: TrustRule, identity: WorkloadIdentity): void {
  const actual = identity.runnerEnvironment;
  if (actual === "self-hosted") {
    throw trustError(
      "ERR_TRUST_SELF_HOSTED_RUNNER",
      `the job ran on a self-hosted runner, which rule ${rule.name} (zone ${rule.zone}), whose actions write or vouch, refuses; run it on a hosted runner or set allow_self_hosted: true on the rule`,
      { rule: rule.name },
    );
  }
  const hosted = HOSTED_RUNNER[identity.provider];
  if (hosted === undefined || actual === hosted) return;
  const seen =
    actual === ""
      ? "the token has no runner_environment claim"
      : `runner_environment is ${JSON.stringify(actual)}`;
  throw trustError(
    "ERR_TRUST_RUNNER_UNKNOWN",
    `the job's runner environment is unknown (${seen}; only "${hosted}" counts as hosted), so rule ${rule.name} (zone ${rule.zone}), whose actions write or vouch, refuses it as it would a self-hosted runner; run the job on a ${hosted} runner, or, if its runners are trusted, set allow_self_hosted: true on the rule after review`,
    { rule: rule.name, runner_environment: actual, expected: hosted },
  );
}

function toGrant(rule: TrustRule, requested: readonly string[] | undefined): Grant {
  let actions = [...rule.actions];
  if (requested && requested.length > 0) {
    const outside = requested.filter((a) => !rule.actions.includes(a));
    if (outside.length > 0) {
      throw trustError(
        "ERR_TRUST_ACTION_NOT_GRANTED",
        `rule ${rule.name} does not grant ${outside.join(", ")} in zone ${rule.zone}; it grants ${rule.actions.join(", ")}`,
        { rule: rule.name, actions: outside },
      );
    }
    actions = [...new Set(requested)];
  }
  return {
    rule: rule.name,
    zone: rule.zone,
    actions,
    ttlSeconds: rule.ttlSeconds,
    requireDpop: rule.proof === "dpop",
  };
}

function noMatch(zone: Zone, identity: WorkloadIdentity, closest: RuleMiss | undefined) {
  if (!closest) {
    return trustError(
      "ERR_TRUST_NO_MATCHING_RULE",
      `no trust rule for zone ${zone} and issuer ${identity.issuerName}; add one to leash.yaml`,
      { zone, issuer: identity.issuerName },
    );
  }
  const actual =
    closest.actual === undefined ? "is missing" : `is ${JSON.stringify(closest.actual)}`;
  return trustError(
    "ERR_TRUST_NO_MATCHING_RULE",
    `no trust rule for zone ${zone} matches this job; closest is ${closest.rule}, where claim ${closest.claim} ${actual} but the rule wants ${closest.expected}`,
    {
      zone,
      closest_rule: closest.rule,
      failed_claim: closest.claim,
      expected: closest.expected,
      actual: closest.actual,
    },
  );
}
