import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readPktLine } from "./read-pkt-line.js";
import { toReceivePackResult } from "./to-receive-pack-result.js";

/** Every data pkt-line of a buffer, as its payload. */
function payloads(buf: Buffer): (Buffer | null)[] {
  const out: (Buffer | null)[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const pkt = readPktLine(buf, offset);
    assert.ok(pkt);
    out.push(pkt.kind === "data" ? pkt.data : null);
    offset = pkt.end;
  }
  return out;
}

const report = {
  unpack: "ok",
  refs: [{ ref: "refs/heads/main", reason: "leash: protected_branch:\nnot here" }],
  messages: ["leash: refused", "leash: \u001b[31mred\u001b[0m"],
};

describe("toReceivePackResult", () => {
  it("answers report-status alone when the client asked for no side band", () => {
    const lines = payloads(toReceivePackResult(report, ["report-status"]));
    assert.deepEqual(
      lines.map((l) => l?.toString()),
      ["unpack ok\n", "ng refs/heads/main leash: protected_branch: not here\n", undefined],
    );
  });

  it("puts messages on channel 2 and the report on channel 1 with side-band-64k", () => {
    const lines = payloads(toReceivePackResult(report, ["report-status", "side-band-64k"]));
    assert.equal(lines.at(-1), null);
    const band = (n: number) =>
      Buffer.concat(
        lines.filter((l): l is Buffer => l !== null && l[0] === n).map((l) => l.subarray(1)),
      );
    assert.equal(band(2).toString(), "leash: refused\nleash:  [31mred [0m\n");
    const inner = payloads(band(1)).map((l) => l?.toString());
    assert.deepEqual(inner, [
      "unpack ok\n",
      "ng refs/heads/main leash: protected_branch: not here\n",
      undefined,
    ]);
  });

  it("splits a long message into side-band packets git accepts", () => {
    const long = { ...report, messages: ["x".repeat(200_000)] };
    const lines = payloads(toReceivePackResult(long, ["side-band-64k"]));
    assert.ok(lines.every((l) => l === null || l.length <= 65516));
    const small = payloads(toReceivePackResult(long, ["side-band"]));
    assert.ok(small.every((l) => l === null || l.length <= 1000));
  });
});
