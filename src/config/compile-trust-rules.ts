import {
  type ClaimPattern,
  compileAnchoredRegex,
  compileGlob,
  type TrustRule,
} from "../trust/index.js";
import {
  MAX_WRITE_TTL_SECONDS,
  maxTtlSeconds,
  writesOrVouches,
  ZONE_ACTIONS,
} from "../zones/index.js";
import type { ConfigProblem } from "./config-errors.js";
import type { RawIssuer, RawTrustRule } from "./config-schema.js";
import { parseDurationSeconds } from "./parse-duration.js";

/**
 * Claims a rule that writes or vouches must pin by exact id, per provider, so a renamed,
 * deleted or re-registered repository, project or owner can't inherit the grant (names and
 * GitLab project paths are reused; ids are not). A generic issuer has no known id claims.
 */
const ID_CLAIMS: Readonly<Record<RawIssuer["provider"], readonly string[]>> = {
  github: ["repository_id", "repository_owner_id"],
  gitlab: ["project_id", "namespace_id"],
  generic: [],
};

/** Compiles trust rules, collecting every problem with its key path instead of stopping at the first. */
export function compileTrustRules(
  raw: readonly RawTrustRule[],
  issuers: readonly RawIssuer[],
  problems: ConfigProblem[],
): TrustRule[] {
  const rules: TrustRule[] = [];
  raw.forEach((r, i) => {
    const at = (key: string) => `trust[${i}]${key ? `.${key}` : ""}`;
    const before = problems.length;
    const issuer = issuers.find((x) => x.name === r.issuer);
    if (!issuer)
      problems.push({
        path: at("issuer"),
        message: `no issuer named ${JSON.stringify(r.issuer)} is configured`,
      });
    const claims = compileClaims(r, at, problems);
    checkActions(r, at, problems);
    const ttlSeconds = checkTtl(r, at, problems);
    checkNotEmpty(r, at, problems);
    if (issuer && writesOrVouches(r.actions))
      checkIdPins(r, ID_CLAIMS[issuer.provider], at, problems);
    if (problems.length === before) {
      rules.push({
        name: r.name,
        issuer: r.issuer,
        claims,
        zone: r.zone,
        actions: r.actions,
        ttlSeconds: ttlSeconds as number,
        allowEvents: r.allow_events,
        allowSelfHosted: r.allow_self_hosted,
        proof: r.proof,
      });
    }
  });
  checkUniqueNames(raw, problems);
  return rules;
}

function compileClaims(r: RawTrustRule, at: (k: string) => string, problems: ConfigProblem[]) {
  const out: (readonly [string, ClaimPattern])[] = [];
  for (const [claim, value] of Object.entries(r.claims)) {
    const path = at(`claims.${claim}`);
    try {
      if (typeof value === "string") out.push([claim, { kind: "exact", value }]);
      else if ("glob" in value)
        out.push([claim, { kind: "glob", glob: value.glob, re: compileGlob(value.glob) }]);
      else
        out.push([
          claim,
          { kind: "regex", source: value.regex, re: compileAnchoredRegex(value.regex) },
        ]);
    } catch (err) {
      problems.push({ path, message: `not a valid pattern (${(err as Error).message})` });
    }
    const text = typeof value === "string" ? "" : "glob" in value ? value.glob : value.regex;
    if (claim === "sub" && /@(\*|\.\*|\[)/.test(text)) {
      problems.push({
        path,
        message:
          "an owner/repository id wildcard (@*) in a subject pattern accepts any re-registered owner; pin the id",
      });
    }
  }
  return out;
}

function checkActions(r: RawTrustRule, at: (k: string) => string, problems: ConfigProblem[]) {
  const allowed = ZONE_ACTIONS[r.zone];
  r.actions.forEach((a, j) => {
    if (!allowed.includes(a)) {
      problems.push({
        path: at(`actions[${j}]`),
        message: `${a} is not an action of zone ${r.zone} (it takes ${allowed.join(", ")})`,
      });
    }
  });
}

function checkTtl(
  r: RawTrustRule,
  at: (k: string) => string,
  problems: ConfigProblem[],
): number | undefined {
  const ttl = parseDurationSeconds(r.ttl);
  if (ttl === undefined) {
    problems.push({
      path: at("ttl"),
      message: `${JSON.stringify(r.ttl)} is not a duration; write e.g. 10m, 90s`,
    });
    return undefined;
  }
  const cap = maxTtlSeconds(r.actions);
  if (ttl > cap) {
    const why =
      cap === MAX_WRITE_TTL_SECONDS
        ? "rules whose actions write or vouch (attest) live at most 15m"
        : "capabilities live at most 1h";
    problems.push({ path: at("ttl"), message: `${r.ttl} is too long: ${why}` });
  }
  return ttl;
}

/** A rule with no claims matches every token its issuer signs for leash's audience: any repository. */
function checkNotEmpty(r: RawTrustRule, at: (k: string) => string, problems: ConfigProblem[]) {
  if (Object.keys(r.claims).length > 0) return;
  problems.push({
    path: at("claims"),
    message:
      "a rule with no claims matches every job of every repository its issuer serves that asks for leash's audience; constrain it, at least by owner id (repository_owner_id on GitHub, namespace_id on GitLab)",
  });
}

function checkIdPins(
  r: RawTrustRule,
  idClaims: readonly string[],
  at: (k: string) => string,
  problems: ConfigProblem[],
) {
  if (idClaims.length === 0 || idClaims.some((c) => typeof r.claims[c] === "string")) return;
  problems.push({
    path: at("claims"),
    message: `the rule's actions write or vouch (attest), so it must pin ${idClaims.join(" or ")} (exact ids, not names or patterns)`,
  });
}

function checkUniqueNames(raw: readonly RawTrustRule[], problems: ConfigProblem[]) {
  const seen = new Set<string>();
  raw.forEach((r, i) => {
    if (seen.has(r.name))
      problems.push({ path: `trust[${i}].name`, message: `duplicate rule name ${r.name}` });
    seen.add(r.name);
  });
}
