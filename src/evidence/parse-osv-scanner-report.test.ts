import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { hasCode, type LeashError } from "../errors/index.js";
import { parseOsvScannerReport } from "./parse-osv-scanner-report.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../src/evidence/fixtures/${name}`, import.meta.url), "utf8");

test("an OSV-Scanner report becomes one finding per alias group, with versions", () => {
  assert.deepEqual(parseOsvScannerReport(fixture("osv-scanner.json")), {
    kind: "vulnerability-scan",
    source: "osv",
    findings: [
      { id: "GHSA-xvch-5gv4-984h", package: "minimist", version: "1.2.5", severity: "critical" },
      { id: "GHSA-29mw-wpgm-hmr9", package: "lodash", version: "4.17.20", severity: "moderate" },
      { id: "GHSA-35jh-r3h4-6jhm", package: "lodash", version: "4.17.20", severity: "high" },
      // GHSA and PYSEC records of one flaw are one finding.
      { id: "GHSA-h5c8-rqwp-cp95", package: "jinja2", version: "3.1.2", severity: "moderate" },
      { id: "PYSEC-2023-301", package: "report-kit", version: "0.1.0", severity: "unknown" },
      // No GHSA severity: the group's CVSS score decides.
      { id: "PYSEC-2023-192", package: "urllib3", version: "1.26.5", severity: "high" },
    ],
    counts: { low: 0, moderate: 2, high: 2, critical: 1, unknown: 1 },
  });
});

test("OSV severity: the higher of GHSA and CVSS, score bands, ungrouped records", () => {
  const report = (vulns: object[], groups: object[]) =>
    JSON.stringify({
      results: [
        {
          packages: [{ package: { name: "p", version: "1.0.0" }, vulnerabilities: vulns, groups }],
        },
      ],
    });
  const cases: [string, string, string[]][] = [
    [
      "GHSA says low, CVSS 9.1",
      report(
        [{ id: "G", database_specific: { severity: "LOW" } }],
        [{ ids: ["G"], max_severity: "9.1" }],
      ),
      ["critical"],
    ],
    [
      "CVSS 4.0 is moderate",
      report([{ id: "G" }], [{ ids: ["G"], max_severity: "4.0" }]),
      ["moderate"],
    ],
    ["CVSS 0.1 is low", report([{ id: "G" }], [{ ids: ["G"], max_severity: "0.1" }]), ["low"]],
    ["CVSS 0 is unknown", report([{ id: "G" }], [{ ids: ["G"], max_severity: "0" }]), ["unknown"]],
    [
      "a record no group covers still counts",
      report([{ id: "G", database_specific: { severity: "HIGH" } }], []),
      ["high"],
    ],
  ];
  for (const [name, text, expected] of cases) {
    assert.deepEqual(
      parseOsvScannerReport(text).findings.map((f) => f.severity),
      expected,
      name,
    );
  }
  for (const empty of ['{"results":[]}', '{"results":null}']) {
    assert.deepEqual(parseOsvScannerReport(empty).findings, []);
  }
});

test("OSV parsing refuses what it cannot read", () => {
  const cases: [string, string, string, string | undefined][] = [
    ["not JSON", "No issues found", "ERR_EVIDENCE_MALFORMED", undefined],
    ["no results", '{"vulns":[]}', "ERR_EVIDENCE_MALFORMED", "results"],
    ["results not a list", '{"results":{}}', "ERR_EVIDENCE_MALFORMED", "results"],
    [
      "package without a name",
      '{"results":[{"packages":[{"package":{"version":"1"}}]}]}',
      "ERR_EVIDENCE_MALFORMED",
      "results[0].packages[0].package.name",
    ],
    [
      "group without ids",
      '{"results":[{"packages":[{"package":{"name":"a"},"groups":[{"ids":[]}]}]}]}',
      "ERR_EVIDENCE_MALFORMED",
      "results[0].packages[0].groups[0].ids[0]",
    ],
  ];
  for (const [name, text, code, path] of cases) {
    const err = catchError(() => parseOsvScannerReport(text));
    assert.ok(hasCode(err, code), `${name}: ${err.code}`);
    assert.equal(err.detail?.["path"], path, name);
  }
});

function catchError(fn: () => unknown): LeashError {
  try {
    fn();
  } catch (err) {
    return err as LeashError;
  }
  throw new Error("expected a throw");
}
