import type { EvidenceWhere } from "./evidence-error.js";
import type { Severity, VulnerabilityFinding, VulnerabilityScanFacts } from "./facts.js";
import {
  expectArray,
  expectObject,
  expectString,
  type JsonObject,
  joinPath,
  ownValue,
  parseJsonText,
} from "./read-json.js";
import {
  maxSeverity,
  toSeverity,
  toSeverityFromScore,
  toVulnerabilityScanFacts,
} from "./to-vulnerability-scan-facts.js";

const WHERE: EvidenceWhere = { kind: "osv" };

/**
 * `osv-scanner --format json` → VulnerabilityScanFacts: one finding per alias group (OSV's
 * `groups`) per package version, plus any vulnerability no group covers. Severity is the higher
 * of the GHSA `database_specific.severity` of the group's records and the group's `max_severity`
 * CVSS score (fail closed when they disagree); "unknown" when neither is given.
 * Throws ERR_EVIDENCE_TOO_LARGE or ERR_EVIDENCE_MALFORMED with the JSON path.
 */
export function parseOsvScannerReport(text: string): VulnerabilityScanFacts {
  return readOsvScannerReport(parseJsonText(text, WHERE));
}

/** The same, for a report already parsed from JSON (the HTTP body). */
export function readOsvScannerReport(json: unknown): VulnerabilityScanFacts {
  const root = expectObject(json, "", WHERE);
  const raw = ownValue(root, "results");
  // Go writes an empty result list as null; a missing key is not a report.
  const results = raw === null ? [] : expectArray(raw, "results", WHERE);
  const findings: VulnerabilityFinding[] = [];
  results.forEach((result, r) => {
    const path = joinPath(joinPath("results", r), "packages");
    const packages = ownValue(expectObject(result, joinPath("results", r), WHERE), "packages");
    if (packages === undefined || packages === null) return;
    expectArray(packages, path, WHERE).forEach((item, p) => {
      findings.push(...readPackage(item, joinPath(path, p)));
    });
  });
  return toVulnerabilityScanFacts("osv", findings);
}

function readPackage(value: unknown, path: string): VulnerabilityFinding[] {
  const entry = expectObject(value, path, WHERE);
  const pkgPath = joinPath(path, "package");
  const pkg = expectObject(ownValue(entry, "package"), pkgPath, WHERE);
  const name = expectString(ownValue(pkg, "name"), joinPath(pkgPath, "name"), WHERE);
  const rawVersion = ownValue(pkg, "version");
  const version =
    rawVersion === undefined
      ? undefined
      : expectString(rawVersion, joinPath(pkgPath, "version"), WHERE);
  const severities = readVulnerabilitySeverities(entry, path);
  const findings: VulnerabilityFinding[] = [];
  const grouped = new Set<string>();
  for (const group of readGroups(entry, path)) {
    let severity = toSeverityFromScore(group.maxSeverity) ?? "unknown";
    for (const id of group.ids) {
      grouped.add(id);
      severity = maxSeverity(severity, severities.get(id) ?? "unknown");
    }
    findings.push(toFinding(group.ids[0]!, name, version, severity));
  }
  for (const [id, severity] of severities) {
    if (!grouped.has(id)) findings.push(toFinding(id, name, version, severity));
  }
  return findings;
}

/** id → the GHSA severity of each vulnerability record of a package ("unknown" when absent). */
function readVulnerabilitySeverities(entry: JsonObject, path: string): Map<string, Severity> {
  const severities = new Map<string, Severity>();
  const list = ownValue(entry, "vulnerabilities");
  if (list === undefined || list === null) return severities;
  const listPath = joinPath(path, "vulnerabilities");
  expectArray(list, listPath, WHERE).forEach((item, i) => {
    const vuln = expectObject(item, joinPath(listPath, i), WHERE);
    const id = expectString(ownValue(vuln, "id"), joinPath(joinPath(listPath, i), "id"), WHERE);
    const specific = ownValue(vuln, "database_specific");
    const word =
      typeof specific === "object" && specific !== null
        ? ownValue(specific as JsonObject, "severity")
        : undefined;
    severities.set(id, maxSeverity(severities.get(id) ?? "unknown", toSeverity(word) ?? "unknown"));
  });
  return severities;
}

function readGroups(entry: JsonObject, path: string): { ids: string[]; maxSeverity: unknown }[] {
  const list = ownValue(entry, "groups");
  if (list === undefined || list === null) return [];
  const listPath = joinPath(path, "groups");
  return expectArray(list, listPath, WHERE).map((item, i) => {
    const groupPath = joinPath(listPath, i);
    const group = expectObject(item, groupPath, WHERE);
    const idsPath = joinPath(groupPath, "ids");
    const ids = expectArray(ownValue(group, "ids"), idsPath, WHERE).map((id, j) =>
      expectString(id, joinPath(idsPath, j), WHERE),
    );
    if (ids.length === 0) expectString(undefined, joinPath(idsPath, 0), WHERE);
    return { ids, maxSeverity: ownValue(group, "max_severity") };
  });
}

function toFinding(
  id: string,
  name: string,
  version: string | undefined,
  severity: Severity,
): VulnerabilityFinding {
  return version === undefined
    ? { id, package: name, severity }
    : { id, package: name, version, severity };
}
