import { type EvidenceWhere, refuseEvidence } from "./evidence-error.js";
import type { VulnerabilityFinding, VulnerabilityScanFacts } from "./facts.js";
import {
  expectArray,
  expectObject,
  expectString,
  type JsonObject,
  joinPath,
  ownValue,
  parseJsonText,
  throwMalformed,
} from "./read-json.js";
import { toSeverity, toVulnerabilityScanFacts } from "./to-vulnerability-scan-facts.js";

const WHERE: EvidenceWhere = { kind: "npm-audit" };

/**
 * `npm audit --json` (auditReportVersion 2) → VulnerabilityScanFacts: one finding per advisory
 * per vulnerable package. Entries that are only affected through a dependency (`via` names
 * another package) are not findings themselves; the advisory is counted on the package that
 * has it. npm audit does not report installed versions, so `version` is absent.
 * Throws ERR_EVIDENCE_TOO_LARGE, ERR_EVIDENCE_MALFORMED, ERR_EVIDENCE_INCOMPLETE (npm reported
 * an error) or ERR_EVIDENCE_UNSUPPORTED_VERSION (npm 6's report).
 */
export function parseNpmAudit(text: string): VulnerabilityScanFacts {
  return readNpmAudit(parseJsonText(text, WHERE));
}

/** The same, for a report already parsed from JSON (the HTTP body). */
export function readNpmAudit(json: unknown): VulnerabilityScanFacts {
  const root = expectObject(json, "", WHERE);
  if (ownValue(root, "error") !== undefined) {
    throw refuseEvidence(
      "ERR_EVIDENCE_INCOMPLETE",
      WHERE,
      "npm audit reported an error instead of a report",
      { path: "error" },
    );
  }
  const version = ownValue(root, "auditReportVersion");
  if (version !== 2) {
    const what =
      version === undefined && ownValue(root, "advisories") !== undefined
        ? "this is npm 6's audit format (auditReportVersion 1)"
        : "auditReportVersion must be 2";
    throw refuseEvidence("ERR_EVIDENCE_UNSUPPORTED_VERSION", WHERE, what, {
      path: "auditReportVersion",
    });
  }
  const vulnerabilities = expectObject(ownValue(root, "vulnerabilities"), "vulnerabilities", WHERE);
  const findings: VulnerabilityFinding[] = [];
  for (const [key, value] of Object.entries(vulnerabilities)) {
    findings.push(...readVulnerability(key, value, joinPath("vulnerabilities", key)));
  }
  return toVulnerabilityScanFacts("npm-audit", findings);
}

function readVulnerability(key: string, value: unknown, path: string): VulnerabilityFinding[] {
  const entry = expectObject(value, path, WHERE);
  const rawName = ownValue(entry, "name");
  const name = rawName === undefined ? key : expectString(rawName, joinPath(path, "name"), WHERE);
  const via = expectArray(ownValue(entry, "via"), joinPath(path, "via"), WHERE);
  const findings: VulnerabilityFinding[] = [];
  via.forEach((item, i) => {
    // A string names the dependency this package is vulnerable through: not an advisory here.
    if (typeof item === "string") return;
    const advisoryPath = joinPath(joinPath(path, "via"), i);
    findings.push(readAdvisory(name, expectObject(item, advisoryPath, WHERE), advisoryPath));
  });
  return findings;
}

function readAdvisory(name: string, advisory: JsonObject, path: string): VulnerabilityFinding {
  const severity = toSeverity(ownValue(advisory, "severity"));
  if (severity === undefined) {
    throwMalformed(WHERE, "severity must be info, low, moderate, high or critical", {
      path: joinPath(path, "severity"),
    });
  }
  return { id: advisoryId(advisory), package: name, severity };
}

/** The GHSA id from the advisory URL when there is one, else npm's numeric `source`. */
function advisoryId(advisory: JsonObject): string {
  const url = ownValue(advisory, "url");
  if (typeof url === "string") {
    const last = url.slice(url.lastIndexOf("/") + 1);
    if (last.startsWith("GHSA-")) return last;
  }
  const source = ownValue(advisory, "source");
  return typeof source === "number" || typeof source === "string" ? `npm:${source}` : "npm:unknown";
}
