import { XMLParser, XMLValidator } from "fast-xml-parser";
import { type EvidenceWhere, refuseEvidence } from "./evidence-error.js";
import type { TestResultFacts } from "./facts.js";
import { type JsonObject, throwMalformed, toLineColumn } from "./read-json.js";
import { verifyEvidenceSize } from "./verify-evidence-size.js";

const WHERE: EvidenceWhere = { kind: "junit" };
const MAX_XML_DEPTH = 64;
/** Either may hold the other: naive report merging wraps whole `<testsuites>` documents. */
const SUITE_ELEMENTS = new Set(["testsuites", "testsuite"]);

// Entities are never expanded (no DOCTYPE is accepted at all, see verifyNoDoctype), values stay
// strings, and the bodies of outcome and output elements are not parsed: we only count them.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  attributesGroupName: "@",
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => SUITE_ELEMENTS.has(name) || name === "testcase",
  stopNodes: ["..failure", "..error", "..skipped", "..system-out", "..system-err"],
  maxNestedTags: MAX_XML_DEPTH,
});

interface Counts {
  total: number;
  failures: number;
  errors: number;
  skipped: number;
}

/**
 * JUnit XML (a `<testsuites>` or bare `<testsuite>` root) → TestResultFacts, summed over nested
 * suites: `<testsuite>` and `<testsuites>` at any depth inside each other (merged reports), and
 * testcases nested in testcases. Counts come from the `<testcase>` elements, not the suite
 * attributes, which tools get wrong; only a suite with no testcases and no child suites
 * contributes its attributes.
 * Throws ERR_EVIDENCE_TOO_LARGE, ERR_EVIDENCE_XML_DOCTYPE (any DOCTYPE, so no entity is ever
 * declared or expanded) or ERR_EVIDENCE_MALFORMED with the line.
 */
export function parseJunitXml(text: string): TestResultFacts {
  verifyEvidenceSize(text, WHERE);
  verifyNoDoctype(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throwMalformed(WHERE, `the XML is not well-formed (${valid.err.code})`, {
      line: valid.err.line,
      column: valid.err.col,
    });
  }
  const counts = countDocument(parseXml(text));
  const passed = counts.total - counts.failures - counts.errors - counts.skipped;
  const ok = counts.total > 0 && counts.failures === 0 && counts.errors === 0;
  return { kind: "test-result", ...counts, passed, ok };
}

/**
 * Refuses `<!DOCTYPE` and `<!ENTITY` anywhere outside CDATA and comments: one linear scan over
 * the `<!` markers, so a failure message quoting HTML in CDATA is still accepted.
 */
function verifyNoDoctype(text: string): void {
  let i = text.indexOf("<!");
  while (i !== -1) {
    if (text.startsWith("<![CDATA[", i)) i = skipPast(text, "]]>", i);
    else if (text.startsWith("<!--", i)) i = skipPast(text, "-->", i);
    else {
      const word = text.slice(i + 2, i + 9).toUpperCase();
      if (word === "DOCTYPE" || word.startsWith("ENTITY")) {
        throw refuseEvidence(
          "ERR_EVIDENCE_XML_DOCTYPE",
          WHERE,
          "the XML declares a DOCTYPE or entity, which leash never processes",
          toLineColumn(text, i),
        );
      }
      i += 2;
    }
    i = i === -1 ? -1 : text.indexOf("<!", i);
  }
}

function skipPast(text: string, end: string, from: number): number {
  const at = text.indexOf(end, from + 2);
  return at === -1 ? -1 : at + end.length;
}

function parseXml(text: string): JsonObject {
  try {
    return parser.parse(text) as JsonObject;
  } catch {
    // The parser's message may quote a tag name from the input; it is untrusted, so not echoed.
    return throwMalformed(
      WHERE,
      `the XML nests deeper than ${MAX_XML_DEPTH} or uses a reserved name`,
      {},
    );
  }
}

function countDocument(doc: JsonObject): Counts {
  const roots = [...childList(doc, "testsuites"), ...childList(doc, "testsuite")];
  if (roots.length === 1) return countSuite(asElement(roots[0]), 1);
  return throwMalformed(WHERE, "the root element is neither <testsuites> nor <testsuite>", {
    line: 1,
  });
}

/**
 * Every suite element below is counted: a merged report's failures must not vanish because
 * they sit one `<testsuites>` deeper. The parser already refuses nesting past MAX_XML_DEPTH;
 * the depth check here keeps the recursion bounded on its own.
 */
function countSuite(suite: JsonObject, depth: number): Counts {
  if (depth > MAX_XML_DEPTH) {
    return throwMalformed(WHERE, `the XML nests suites deeper than ${MAX_XML_DEPTH}`, {});
  }
  const sum: Counts = { total: 0, failures: 0, errors: 0, skipped: 0 };
  const cases = childList(suite, "testcase");
  const children = [...childList(suite, "testsuite"), ...childList(suite, "testsuites")];
  for (const testcase of cases) addCase(sum, asElement(testcase), depth + 1);
  for (const child of children) addCounts(sum, countSuite(asElement(child), depth + 1));
  const declared = countFromAttributes(suite);
  if (cases.length === 0 && children.length === 0) addCounts(sum, declared);
  else {
    // A suite that says it failed failed, whatever its children show (a runner that wrote
    // the summary but lost the testcase, a merge that dropped one): more never counts less.
    sum.failures = Math.max(sum.failures, declared.failures);
    sum.errors = Math.max(sum.errors, declared.errors);
    sum.total = Math.max(sum.total, sum.failures + sum.errors + sum.skipped);
  }
  return sum;
}

/** A testcase and any testcases wrongly nested inside it (count everything, fail closed). */
function addCase(sum: Counts, testcase: JsonObject, depth: number): void {
  if (depth > MAX_XML_DEPTH) {
    throwMalformed(WHERE, `the XML nests testcases deeper than ${MAX_XML_DEPTH}`, {});
  }
  addOutcome(sum, testcase);
  for (const inner of childList(testcase, "testcase")) addCase(sum, asElement(inner), depth + 1);
}

/** One outcome per testcase: a failure outranks an error, which outranks a skip. */
function addOutcome(sum: Counts, testcase: JsonObject): void {
  sum.total += 1;
  if (Object.hasOwn(testcase, "failure")) sum.failures += 1;
  else if (Object.hasOwn(testcase, "error")) sum.errors += 1;
  else if (Object.hasOwn(testcase, "skipped")) sum.skipped += 1;
}

/** A summary-only suite (e.g. one that failed to load): its attributes, kept self-consistent. */
function countFromAttributes(suite: JsonObject): Counts {
  const attrs = asElement(Object.hasOwn(suite, "@") ? suite["@"] : undefined);
  const failures = attributeCount(attrs, "failures");
  const errors = attributeCount(attrs, "errors");
  const skipped = Math.max(attributeCount(attrs, "skipped"), attributeCount(attrs, "disabled"));
  const total = Math.max(attributeCount(attrs, "tests"), failures + errors + skipped);
  return { total, failures, errors, skipped };
}

function attributeCount(attrs: JsonObject, name: string): number {
  const raw = Object.hasOwn(attrs, name) ? attrs[name] : undefined;
  if (raw === undefined) return 0;
  const value = typeof raw === "string" && /^\d{1,9}$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (Number.isNaN(value)) {
    return throwMalformed(WHERE, `the suite attribute ${name} is not a non-negative integer`, {});
  }
  return value;
}

function addCounts(sum: Counts, more: Counts): void {
  sum.total += more.total;
  sum.failures += more.failures;
  sum.errors += more.errors;
  sum.skipped += more.skipped;
}

function childList(element: JsonObject, name: string): unknown[] {
  const value = Object.hasOwn(element, name) ? element[name] : undefined;
  return Array.isArray(value) ? value : [];
}

/** An element with neither attributes nor children parses to "" (or text): treat it as empty. */
function asElement(value: unknown): JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {};
}
