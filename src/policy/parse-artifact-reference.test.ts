import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseArtifactReference } from "./parse-artifact-reference.js";

const HEX = "e3".repeat(32);
const cases: [raw: string, name: string, digest: string | null][] = [
  [`sha256:${HEX}`, "", `sha256:${HEX}`],
  [`ghcr.io/acme/app@sha256:${HEX}`, "ghcr.io/acme/app", `sha256:${HEX}`],
  [`localhost:5000/app:1.2@sha256:${HEX}`, "localhost:5000/app", `sha256:${HEX}`],
  ["ghcr.io/acme/app:1.2", "ghcr.io/acme/app", null],
  ["app:latest", "app", null],
  ["app", "app", null],
  ["app@sha256:e3b0", "app", null],
  [`app@sha256:${HEX.toUpperCase()}`, "app", null],
  [`app@sha512:${HEX}${HEX}`, "app", null],
  [`@sha256:${HEX}`, "", null],
  ["", "", null],
];

describe("parseArtifactReference", () => {
  for (const [raw, name, digest] of cases) {
    it(`reads ${JSON.stringify(raw)}`, () => {
      const ref = parseArtifactReference(raw);
      assert.equal(ref.digest, digest);
      assert.equal(ref.name, name);
    });
  }
});
