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
import { toCvssV3BaseScore } from "./to-cvss-v3-base-score.js";
import {
  maxSeverity,
  toSeverity,
  toSeverityFromScore,
  toVulnerabilityScanFacts,
} from "./to-vulnerability-scan-facts.js";

const WHERE: EvidenceWhere = { kind: "osv" };

/**
 * `osv-scanner --format json` → VulnerabilityScanFacts: one finding per alias group (OSV's
 * `groups`) per package version, plus any vulnerability no group covers. Severity is the highest
 * of the group's `max_severity` CVSS score and, per record, the GHSA `database_specific.severity`
 * and the CVSS v3 vectors (or Ubuntu priority) in `severity[]` (fail closed when they disagree).
 * A finding nothing scores, and any malicious-package finding (a `MAL-` id or alias), is
 * `critical`: this parser never reports `unknown`.
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
  const records = readRecords(entry, path);
  const findings: VulnerabilityFinding[] = [];
  const grouped = new Set<string>();
  for (const group of readGroups(entry, path)) {
    let severity = toSeverityFromScore(group.maxSeverity) ?? "unknown";
    let malicious = group.aliases.some(isMaliciousId);
    for (const id of group.ids) {
      grouped.add(id);
      const record = records.get(id);
      severity = maxSeverity(severity, record?.severity ?? "unknown");
      malicious ||= isMaliciousId(id) || record?.malicious === true;
    }
    findings.push(toFinding(group.ids[0]!, name, version, toFindingSeverity(severity, malicious)));
  }
  for (const [id, record] of records) {
    if (grouped.has(id)) continue;
    findings.push(
      toFinding(id, name, version, toFindingSeverity(record.severity, record.malicious)),
    );
  }
  return findings;
}

/**
 * Unknown must not pass as clean: policy blocks on high and critical only, so a finding with no
 * score we can read (no severity at all, only a CVSS v4 or v2 vector, a malformed one) counts
 * as critical, and so does malicious code, which OSV records (`MAL-…`) publish without severity.
 */
function toFindingSeverity(scored: Severity, malicious: boolean): Severity {
  return malicious || scored === "unknown" ? "critical" : scored;
}

/** `MAL-2024-1234`: an OpenSSF malicious-packages record. Installing it is the compromise. */
function isMaliciousId(id: string): boolean {
  return id.startsWith("MAL-");
}

interface OsvRecord {
  /** The highest severity the record's own fields give; "unknown" when none can be read. */
  severity: Severity;
  malicious: boolean;
}

/** id → what each vulnerability record of a package says about its severity. */
function readRecords(entry: JsonObject, path: string): Map<string, OsvRecord> {
  const records = new Map<string, OsvRecord>();
  const list = ownValue(entry, "vulnerabilities");
  if (list === undefined || list === null) return records;
  const listPath = joinPath(path, "vulnerabilities");
  expectArray(list, listPath, WHERE).forEach((item, i) => {
    const vuln = expectObject(item, joinPath(listPath, i), WHERE);
    const id = expectString(ownValue(vuln, "id"), joinPath(joinPath(listPath, i), "id"), WHERE);
    const severity = maxSeverity(readGhsaSeverity(vuln), readSeverityList(vuln));
    const malicious =
      isMaliciousId(id) || stringList(ownValue(vuln, "aliases")).some(isMaliciousId);
    const seen = records.get(id);
    records.set(id, {
      severity: maxSeverity(seen?.severity ?? "unknown", severity),
      malicious: malicious || seen?.malicious === true,
    });
  });
  return records;
}

function readGhsaSeverity(vuln: JsonObject): Severity {
  const specific = ownValue(vuln, "database_specific");
  const word =
    typeof specific === "object" && specific !== null
      ? ownValue(specific as JsonObject, "severity")
      : undefined;
  return toSeverity(word) ?? "unknown";
}

/**
 * The highest severity OSV's `severity[]` gives: CVSS v3.x vectors scored by the v3.1 formula,
 * Ubuntu priority words. CVSS v2/v4 vectors and entries of other shapes are not scored here
 * (the group's `max_severity`, computed by the scanner, may still score them).
 */
function readSeverityList(vuln: JsonObject): Severity {
  const list = ownValue(vuln, "severity");
  let severity: Severity = "unknown";
  for (const item of Array.isArray(list) ? list : []) {
    if (typeof item !== "object" || item === null) continue;
    const type = ownValue(item as JsonObject, "type");
    const score = ownValue(item as JsonObject, "score");
    if (typeof score !== "string") continue;
    const scored =
      type === "CVSS_V3"
        ? toSeverityFromScore(toCvssV3BaseScore(score))
        : type === "Ubuntu"
          ? toSeverity(score)
          : undefined;
    severity = maxSeverity(severity, scored ?? "unknown");
  }
  return severity;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];
}

interface OsvGroup {
  ids: string[];
  aliases: string[];
  maxSeverity: unknown;
}

function readGroups(entry: JsonObject, path: string): OsvGroup[] {
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
    const aliases = stringList(ownValue(group, "aliases"));
    return { ids, aliases, maxSeverity: ownValue(group, "max_severity") };
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
