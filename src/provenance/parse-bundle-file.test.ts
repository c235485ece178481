import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hasCode } from "../errors/index.js";
import { MAX_BUNDLES_PER_FILE, parseBundleFile } from "./parse-bundle-file.js";

const BUNDLE = {
  mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
  verificationMaterial: {},
};

describe("parseBundleFile", () => {
  const ok: { name: string; text: string; count: number }[] = [
    { name: "one bundle", text: JSON.stringify(BUNDLE), count: 1 },
    {
      name: "JSON lines",
      text: `${JSON.stringify(BUNDLE)}\n\n${JSON.stringify(BUNDLE)}\n`,
      count: 2,
    },
    {
      name: "npm attestations document",
      text: JSON.stringify({
        attestations: [
          { predicateType: "x", bundle: BUNDLE },
          { predicateType: "y", bundle: BUNDLE },
        ],
      }),
      count: 2,
    },
  ];
  for (const c of ok) {
    test(`reads ${c.name}`, () => assert.equal(parseBundleFile(c.text).length, c.count));
  }

  const bad: { name: string; text: string }[] = [
    { name: "empty file", text: "" },
    { name: "not JSON", text: "{nope" },
    { name: "a JSON line that is not JSON", text: `${JSON.stringify(BUNDLE)}\n{nope` },
    { name: "an object that is no bundle", text: JSON.stringify({ hello: 1 }) },
    {
      name: "an attestation without bundle",
      text: JSON.stringify({ attestations: [{ predicateType: "x" }] }),
    },
    { name: "no attestations", text: JSON.stringify({ attestations: [] }) },
    {
      name: "too many bundles",
      text: `${JSON.stringify(BUNDLE)}\n`.repeat(MAX_BUNDLES_PER_FILE + 1),
    },
  ];
  for (const c of bad) {
    test(`refuses ${c.name}`, () => {
      assert.throws(
        () => parseBundleFile(c.text),
        (e) => hasCode(e, "ERR_PROVENANCE_MALFORMED"),
      );
    });
  }
});
