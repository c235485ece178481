import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasCode } from "../../errors/index.js";
import { encodePktLine } from "./encode-pkt-line.js";
import { isValidRefName, parsePushCommands } from "./parse-push-commands.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const Z = "0".repeat(40);
const pkts = (...lines: (string | null)[]) =>
  Buffer.concat(lines.map((l) => (l === null ? Buffer.from("0000") : encodePktLine(l))));

describe("parsePushCommands", () => {
  it("reads commands, the first one's capabilities, and where the pack starts", () => {
    const head = pkts(
      `${A} ${B} refs/heads/agent/fix\0report-status side-band-64k agent=git/2.39`,
      `${Z} ${B} refs/heads/agent/new\n`,
      `${A} ${Z} refs/heads/agent/old`,
      null,
    );
    const parsed = parsePushCommands(Buffer.concat([head, Buffer.from("PACK")]));
    assert.deepEqual(parsed, {
      commands: [
        { oldId: A, newId: B, ref: "refs/heads/agent/fix" },
        { oldId: Z, newId: B, ref: "refs/heads/agent/new" },
        { oldId: A, newId: Z, ref: "refs/heads/agent/old" },
      ],
      capabilities: ["report-status", "side-band-64k", "agent=git/2.39"],
      packOffset: head.length,
    });
  });

  it("reads git's auth probe (a lone flush) as no commands", () => {
    assert.deepEqual(parsePushCommands(Buffer.from("0000")), {
      commands: [],
      capabilities: [],
      packOffset: 4,
    });
  });

  it("skips the shallow lines a shallow clone sends first", () => {
    const parsed = parsePushCommands(
      pkts(`shallow ${A}`, `${A} ${B} refs/heads/agent/x\0report-status`, null),
    );
    assert.equal(parsed?.commands.length, 1);
  });

  it("asks for more when the command list has not ended", () => {
    assert.equal(parsePushCommands(pkts(`${A} ${B} refs/heads/agent/x\0report-status`)), null);
    assert.equal(parsePushCommands(Buffer.from("00")), null);
  });

  const malformed: [string, Buffer][] = [
    ["not pkt-lines", Buffer.from("PACK....")],
    ["a short object id", pkts(`abc ${B} refs/heads/x\0report-status`, null)],
    ["ids of two lengths", pkts(`${A} ${"b".repeat(64)} refs/heads/x`, null)],
    ["a ref outside refs/", pkts(`${A} ${B} HEAD`, null)],
    ["a ref with ..", pkts(`${A} ${B} refs/heads/agent/../main`, null)],
    ["the same ref twice", pkts(`${A} ${B} refs/heads/a`, `${B} ${A} refs/heads/a`, null)],
    [
      "capabilities on a later command",
      pkts(`${A} ${B} refs/heads/a`, `${A} ${B} refs/heads/b\0x`, null),
    ],
    ["push options", pkts(`${A} ${B} refs/heads/a\0report-status push-options`, null)],
    ["a signed push", pkts(`${A} ${B} refs/heads/a\0push-cert=abc`, null)],
    ["a delimiter", Buffer.from("0001")],
  ];
  for (const [name, head] of malformed) {
    it(`refuses ${name} with ERR_GIT_PUSH_MALFORMED`, () => {
      assert.throws(
        () => parsePushCommands(head),
        (e) => hasCode(e, "ERR_GIT_PUSH_MALFORMED"),
      );
    });
  }
});

describe("isValidRefName", () => {
  const cases: [string, boolean][] = [
    ["refs/heads/agent/fix", true],
    ["refs/tags/v1.0.0", true],
    ["refs/heads/agent/fix.lock", false],
    ["refs/heads/.hidden", false],
    ["refs/heads//x", false],
    ["refs/heads/x/", false],
    ["refs/heads/a@{1}", false],
    ["refs/heads/a b", false],
    ["refs/heads/a~1", false],
    ["refs/heads/a\u0001", false],
    ["heads/main", false],
  ];
  for (const [ref, ok] of cases) {
    it(`${JSON.stringify(ref)} is ${ok ? "" : "not "}a ref name`, () => {
      assert.equal(isValidRefName(ref), ok);
    });
  }
});
