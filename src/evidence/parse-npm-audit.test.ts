import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { hasCode, type LeashError } from "../errors/index.js";
import { parseNpmAudit } from "./parse-npm-audit.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../src/evidence/fixtures/${name}`, import.meta.url), "utf8");

test("an npm audit v2 report becomes one finding per advisory per vulnerable package", () => {
  assert.deepEqual(parseNpmAudit(fixture("npm-audit-v2.json")), {
    kind: "vulnerability-scan",
    source: "npm-audit",
    findings: [
      { id: "GHSA-gxpj-cx7g-858c", package: "debug", severity: "moderate" },
      // express is also affected through debug: that advisory is counted on debug only.
      { id: "GHSA-rv95-896h-c2vc", package: "express", severity: "moderate" },
      { id: "GHSA-35jh-r3h4-6jhm", package: "lodash", severity: "high" },
      { id: "GHSA-29mw-wpgm-hmr9", package: "lodash", severity: "moderate" },
      { id: "GHSA-xvch-5gv4-984h", package: "minimist", severity: "critical" },
      // info → low; a non-GHSA advisory keeps npm's numeric id.
      { id: "npm:1089999", package: "json-schema", severity: "low" },
    ],
    counts: { low: 1, moderate: 3, high: 1, critical: 1, unknown: 0 },
  });
});

test("an empty npm audit report has no findings", () => {
  const facts = parseNpmAudit('{"auditReportVersion":2,"vulnerabilities":{},"metadata":{}}');
  assert.deepEqual(facts.findings, []);
  assert.deepEqual(facts.counts, { low: 0, moderate: 0, high: 0, critical: 0, unknown: 0 });
});

test("npm audit parsing refuses what it cannot read", () => {
  const cases: [string, string, string, string | undefined][] = [
    ["not JSON", "found 0 vulnerabilities", "ERR_EVIDENCE_MALFORMED", undefined],
    [
      "npm 6 report",
      '{"advisories":{},"metadata":{}}',
      "ERR_EVIDENCE_UNSUPPORTED_VERSION",
      "auditReportVersion",
    ],
    [
      "npm failed",
      '{"error":{"code":"ENOLOCK","summary":"no lockfile"}}',
      "ERR_EVIDENCE_INCOMPLETE",
      "error",
    ],
    [
      "no vulnerabilities map",
      '{"auditReportVersion":2}',
      "ERR_EVIDENCE_MALFORMED",
      "vulnerabilities",
    ],
    [
      "via is not a list",
      '{"auditReportVersion":2,"vulnerabilities":{"a":{"name":"a","via":"b"}}}',
      "ERR_EVIDENCE_MALFORMED",
      "vulnerabilities.a.via",
    ],
    [
      "unknown severity fails closed",
      '{"auditReportVersion":2,"vulnerabilities":{"a":{"name":"a","via":[{"source":1,"severity":"none"}]}}}',
      "ERR_EVIDENCE_MALFORMED",
      "vulnerabilities.a.via[0].severity",
    ],
    [
      // npm audit has no "unknown": an advisory without a severity is refused, never clean.
      "missing severity fails closed",
      '{"auditReportVersion":2,"vulnerabilities":{"a":{"name":"a","via":[{"source":1,"title":"x"}]}}}',
      "ERR_EVIDENCE_MALFORMED",
      "vulnerabilities.a.via[0].severity",
    ],
  ];
  for (const [name, text, code, path] of cases) {
    const err = catchError(() => parseNpmAudit(text));
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
