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
      // No severity anywhere: not scored is not clean, so it counts as critical.
      { id: "PYSEC-2023-301", package: "report-kit", version: "0.1.0", severity: "critical" },
      // No GHSA severity: the group's CVSS score decides.
      { id: "PYSEC-2023-192", package: "urllib3", version: "1.26.5", severity: "high" },
    ],
    counts: { low: 0, moderate: 2, high: 2, critical: 2, unknown: 0 },
  });
});

const v3 = (metrics: string) => ({ type: "CVSS_V3", score: `CVSS:3.1/${metrics}` });
const V4 = {
  type: "CVSS_V4",
  score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
};
/** A malicious-package record as OSV publishes them (ossf/malicious-packages): no severity. */
const MAL_RECORD = {
  modified: "2024-10-21T08:37:52Z",
  published: "2024-10-21T08:37:52Z",
  schema_version: "1.5.0",
  id: "MAL-2024-10167",
  summary: "Malicious code in p (npm)",
  details: "\n---\n_-= Per source details. Do not edit below this line.=-_\n",
  affected: [{ package: { ecosystem: "npm", name: "p" }, versions: ["1.0.0"] }],
  database_specific: {
    "malicious-packages-origins": [{ source: "ghsa-malware", sha256: "0".repeat(64) }],
  },
};

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
    [
      "CVSS 0 is no score, and no score counts as critical",
      report([{ id: "G" }], [{ ids: ["G"], max_severity: "0" }]),
      ["critical"],
    ],
    [
      "no severity anywhere counts as critical",
      report([{ id: "G" }], [{ ids: ["G"], max_severity: "" }]),
      ["critical"],
    ],
    [
      "a malicious-package record (MAL-) carries no severity and is critical",
      report(
        [MAL_RECORD],
        [{ ids: ["MAL-2024-10167"], aliases: ["MAL-2024-10167"], max_severity: "" }],
      ),
      ["critical"],
    ],
    [
      "a MAL- alias makes the group critical whatever its score",
      report(
        [
          {
            id: "GHSA-9x64-5r7x-2q53",
            aliases: ["MAL-2024-10167"],
            database_specific: { severity: "LOW" },
          },
        ],
        [
          {
            ids: ["GHSA-9x64-5r7x-2q53"],
            aliases: ["GHSA-9x64-5r7x-2q53", "MAL-2024-10167"],
            max_severity: "2.0",
          },
        ],
      ),
      ["critical"],
    ],
    ["an ungrouped MAL- record is critical", report([MAL_RECORD], []), ["critical"]],
    [
      "a CVSS v3.1 vector alone is scored (9.8)",
      report(
        [{ id: "G", severity: [v3("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")] }],
        [{ ids: ["G"], max_severity: "" }],
      ),
      ["critical"],
    ],
    [
      "a CVSS v3.0 vector alone is scored (5.3), also without groups",
      report(
        [
          {
            id: "G",
            severity: [{ type: "CVSS_V3", score: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L" }],
          },
        ],
        [],
      ),
      ["moderate"],
    ],
    [
      "the higher of a vector's score and the GHSA word",
      report(
        [
          {
            id: "G",
            severity: [v3("AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L")],
            database_specific: { severity: "HIGH" },
          },
        ],
        [{ ids: ["G"] }],
      ),
      ["high"],
    ],
    [
      "a CVSS v4 vector alone cannot be scored here: critical",
      report([{ id: "G", severity: [V4] }], [{ ids: ["G"], max_severity: "" }]),
      ["critical"],
    ],
    [
      "a CVSS v4 vector beside a scored v3 vector: the v3 score",
      report(
        [{ id: "G", severity: [V4, v3("AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N")] }],
        [{ ids: ["G"], max_severity: "" }],
      ),
      ["moderate"],
    ],
    [
      "a CVSS v4 vector with the scanner's own max_severity: that score",
      report([{ id: "G", severity: [V4] }], [{ ids: ["G"], max_severity: "6.9" }]),
      ["moderate"],
    ],
    [
      "a malformed vector alone is critical",
      report(
        [{ id: "G", severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N" }] }],
        [{ ids: ["G"] }],
      ),
      ["critical"],
    ],
    [
      "an Ubuntu priority word is a severity",
      report([{ id: "UBUNTU-CVE-2024-1", severity: [{ type: "Ubuntu", score: "medium" }] }], []),
      ["moderate"],
    ],
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
