import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodePktLine, FLUSH_PKT } from "./encode-pkt-line.js";
import { filterAdvertisement } from "./filter-advertisement.js";

const A = "a".repeat(40);
const advertisement = (caps: string, refs = [`${A} refs/heads/main\n`]) =>
  Buffer.concat([
    encodePktLine("# service=git-receive-pack\n"),
    FLUSH_PKT,
    encodePktLine(`${refs[0]?.trimEnd()}\0${caps}\n`),
    ...refs.slice(1).map((r) => encodePktLine(r)),
    FLUSH_PKT,
  ]);

describe("filterAdvertisement", () => {
  it("takes push-options and push-cert out of the capability list and keeps the rest", () => {
    const refs = [`${A} refs/heads/main\n`, `${A} refs/heads/dev\n`];
    const upstream = advertisement(
      "report-status push-options delete-refs push-cert=123-abc side-band-64k",
      refs,
    );
    const expected = advertisement("report-status delete-refs side-band-64k", refs);
    assert.deepEqual(filterAdvertisement(upstream), expected);
  });

  it("leaves an advertisement without withheld capabilities byte for byte", () => {
    const upstream = advertisement("report-status ofs-delta agent=git/2.39.5");
    assert.deepEqual(filterAdvertisement(upstream), upstream);
  });

  it("refuses what is not a pkt-line advertisement", () => {
    assert.equal(filterAdvertisement(Buffer.from("<html>login</html>")), null);
    assert.equal(
      filterAdvertisement(encodePktLine("# service=git-receive-pack\n").subarray(0, 10)),
      null,
    );
  });
});
