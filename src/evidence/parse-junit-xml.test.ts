import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { hasCode, type LeashError } from "../errors/index.js";
import { parseJunitXml } from "./parse-junit-xml.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../src/evidence/fixtures/${name}`, import.meta.url), "utf8");

test("JUnit reports from real runners become test results", () => {
  const cases: [string, Record<string, number | boolean>][] = [
    ["jest-junit.xml", { total: 7, passed: 5, failures: 1, errors: 0, skipped: 1, ok: false }],
    ["pytest-junit.xml", { total: 5, passed: 3, failures: 0, errors: 1, skipped: 1, ok: false }],
    [
      "pytest-junit-xunit1.xml",
      { total: 3, passed: 3, failures: 0, errors: 0, skipped: 0, ok: true },
    ],
  ];
  for (const [name, expected] of cases) {
    assert.deepEqual(parseJunitXml(fixture(name)), { kind: "test-result", ...expected }, name);
  }
});

test("JUnit counts come from testcases; attributes only for a summary-only suite", () => {
  const cases: [string, string, Record<string, number | boolean>][] = [
    [
      "attributes that lie about a passing run are ignored",
      '<testsuite tests="10" failures="0"><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>',
      { total: 2, passed: 1, failures: 1, errors: 0, skipped: 0, ok: false },
    ],
    [
      "a suite that declares failures its testcases don't show failed",
      '<testsuites failures="2"><testsuite failures="2"><testcase name="a"/></testsuite></testsuites>',
      { total: 2, passed: 0, failures: 2, errors: 0, skipped: 0, ok: false },
    ],
    [
      "nested suites are summed",
      '<testsuites><testsuite><testsuite><testcase/><testcase><error message="x"/></testcase></testsuite></testsuite><testsuite><testcase/></testsuite></testsuites>',
      { total: 3, passed: 2, failures: 0, errors: 1, skipped: 0, ok: false },
    ],
    [
      "a failure outranks an error and a skip on the same testcase",
      "<testsuite><testcase><skipped/><error/><failure/></testcase></testsuite>",
      { total: 1, passed: 0, failures: 1, errors: 0, skipped: 0, ok: false },
    ],
    [
      "a suite that failed to load counts by its attributes",
      '<testsuites><testsuite name="a"><testcase/></testsuite><testsuite name="b" tests="0" errors="1"/></testsuites>',
      { total: 2, passed: 1, failures: 0, errors: 1, skipped: 0, ok: false },
    ],
    [
      "no tests at all is not ok",
      '<testsuites name="empty"></testsuites>',
      { total: 0, passed: 0, failures: 0, errors: 0, skipped: 0, ok: false },
    ],
    [
      "all skipped is ok by the contract (total > 0, no failures); policy also reads passed",
      "<testsuite><testcase><skipped/></testcase></testsuite>",
      { total: 1, passed: 0, failures: 0, errors: 0, skipped: 1, ok: true },
    ],
  ];
  for (const [name, xml, expected] of cases) {
    assert.deepEqual(parseJunitXml(xml), { kind: "test-result", ...expected }, name);
  }
});

test("JUnit reports merged naively (testsuites inside testsuites) count every nested suite", () => {
  const body = (name: string) => fixture(name).replace(/^<\?xml[^>]*\?>\s*/, "");
  const jest = body("jest-junit.xml"); // 7 tests: 1 failure, 1 skipped
  const pytest = body("pytest-junit.xml"); // 5 tests: 1 error, 1 skipped
  const xunit1 = body("pytest-junit-xunit1.xml"); // 3 passing tests, a bare <testsuite> root
  const cases: [string, string, Record<string, number | boolean>][] = [
    [
      "a passing suite beside a merged report with a failure",
      `<testsuites name="merged">${xunit1}${jest}</testsuites>`,
      { total: 10, passed: 8, failures: 1, errors: 0, skipped: 1, ok: false },
    ],
    [
      "two merged reports merged again",
      `<testsuites><testsuites name="a">${jest}</testsuites><testsuites name="b">${pytest}${xunit1}</testsuites></testsuites>`,
      { total: 15, passed: 11, failures: 1, errors: 1, skipped: 2, ok: false },
    ],
    [
      "the reviewer's minimal case",
      '<testsuites><testsuite><testcase name="ok"/></testsuite><testsuites><testsuite><testcase name="b"><failure/></testcase></testsuite></testsuites></testsuites>',
      { total: 2, passed: 1, failures: 1, errors: 0, skipped: 0, ok: false },
    ],
    [
      "a <testsuites> inside a <testsuite>",
      '<testsuite><testcase name="ok"/><testsuites><testsuite><testcase name="b"><error/></testcase></testsuite></testsuites></testsuite>',
      { total: 2, passed: 1, failures: 0, errors: 1, skipped: 0, ok: false },
    ],
    [
      "a summary-only nested <testsuites> counts by its attributes",
      '<testsuites><testsuite><testcase name="ok"/></testsuite><testsuites tests="3" failures="2"/></testsuites>',
      { total: 4, passed: 2, failures: 2, errors: 0, skipped: 0, ok: false },
    ],
    [
      "a testcase nested in a testcase is counted too",
      '<testsuite><testcase name="ok"><testcase name="b"><failure/></testcase></testcase></testsuite>',
      { total: 2, passed: 1, failures: 1, errors: 0, skipped: 0, ok: false },
    ],
  ];
  for (const [name, xml, expected] of cases) {
    assert.deepEqual(parseJunitXml(xml), { kind: "test-result", ...expected }, name);
  }
  const deep = `${"<testsuites>".repeat(70)}<testsuite><testcase/></testsuite>${"</testsuites>".repeat(70)}`;
  assert.throws(
    () => parseJunitXml(deep),
    (err) => hasCode(err, "ERR_EVIDENCE_MALFORMED"),
    "suites nested deeper than the limit are refused, not skipped",
  );
});

test("JUnit refuses DOCTYPEs, entities, malformed and oversized XML", () => {
  const deep = `<testsuite>${"<a>".repeat(80)}${"</a>".repeat(80)}</testsuite>`;
  const cases: [string, string, string][] = [
    [
      "external entity (XXE)",
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite><testcase name="&x;"/></testsuite>',
      "ERR_EVIDENCE_XML_DOCTYPE",
    ],
    [
      "billion laughs",
      '<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><testsuite>&b;</testsuite>',
      "ERR_EVIDENCE_XML_DOCTYPE",
    ],
    ["lower-case doctype", "<!doctype testsuite><testsuite/>", "ERR_EVIDENCE_XML_DOCTYPE"],
    [
      "DOCTYPE after the root opens",
      "<testsuite><!DOCTYPE x><testcase/></testsuite>",
      "ERR_EVIDENCE_XML_DOCTYPE",
    ],
    ["unclosed tag", '<testsuite><testcase name="a"></testsuite>', "ERR_EVIDENCE_MALFORMED"],
    ["not XML", "PASS src/a.test.ts", "ERR_EVIDENCE_MALFORMED"],
    ["empty", "", "ERR_EVIDENCE_MALFORMED"],
    ["wrong root", "<html><body/></html>", "ERR_EVIDENCE_MALFORMED"],
    ["prototype-polluting tag", "<testsuite><__proto__/></testsuite>", "ERR_EVIDENCE_MALFORMED"],
    ["nesting bomb", deep, "ERR_EVIDENCE_MALFORMED"],
    ["bad count attribute", '<testsuite tests="many"/>', "ERR_EVIDENCE_MALFORMED"],
    [
      "over 10 MiB",
      `<testsuite>${" ".repeat(10 * 1024 * 1024)}</testsuite>`,
      "ERR_EVIDENCE_TOO_LARGE",
    ],
  ];
  for (const [name, xml, code] of cases) {
    assert.throws(
      () => parseJunitXml(xml),
      (err) => hasCode(err, code),
      name,
    );
  }
});

test("JUnit refusals name the line", () => {
  const err = catchError(() => parseJunitXml('<testsuite>\n  <testcase name="a">\n</testsuite>'));
  assert.equal(err.detail?.["kind"], "junit");
  assert.equal(err.detail?.["line"], 3);
  const doctype = catchError(() =>
    parseJunitXml('<?xml version="1.0"?>\n<!DOCTYPE x>\n<testsuite/>'),
  );
  assert.equal(doctype.detail?.["line"], 2);
});

function catchError(fn: () => unknown): LeashError {
  try {
    fn();
  } catch (err) {
    return err as LeashError;
  }
  throw new Error("expected a throw");
}
