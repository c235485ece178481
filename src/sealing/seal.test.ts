import assert from "node:assert/strict";
import { createCipheriv, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { seal, unseal } from "./seal.js";

const kek = randomBytes(32);
const sealed = seal(kek, Buffer.from("secret-value"), "aad");
const [v, nonce, body, tag] = sealed.split(".") as [string, string, string, string];
const b64 = (b: Buffer) => b.toString("base64url");
const bytes = (t: string) => Buffer.from(t, "base64url");

/** A blob GCM itself would open: sealed by hand with the same key and aad, another nonce size. */
function sealedWithNonce(nonceBytes: number): string {
  const iv = randomBytes(nonceBytes);
  const cipher = createCipheriv("aes-256-gcm", kek, iv);
  cipher.setAAD(Buffer.from("aad", "utf8"));
  const out = Buffer.concat([cipher.update("secret-value"), cipher.final()]);
  return ["v1", iv, out, cipher.getAuthTag()]
    .map((p) => (typeof p === "string" ? p : b64(p)))
    .join(".");
}

describe("seal / unseal", () => {
  it("opens what it sealed, with the same key and aad", () => {
    assert.equal(unseal(kek, sealed, "aad").toString(), "secret-value");
    assert.equal(unseal(kek, seal(kek, Buffer.alloc(0), "x"), "x").length, 0);
  });

  // Every malformed or forged blob fails the same way: ERR_SEALING_UNSEAL_FAILED.
  const refused: { name: string; blob: string; key?: Buffer; aad?: string }[] = [
    {
      name: "a 4-byte tag (GCM would check only 32 bits)",
      blob: [v, nonce, body, b64(bytes(tag).subarray(0, 4))].join("."),
    },
    { name: "a 12-byte tag", blob: [v, nonce, body, b64(bytes(tag).subarray(0, 12))].join(".") },
    { name: "a 15-byte tag", blob: [v, nonce, body, b64(bytes(tag).subarray(0, 15))].join(".") },
    {
      name: "a 17-byte tag",
      blob: [v, nonce, body, b64(Buffer.concat([bytes(tag), Buffer.alloc(1)]))].join("."),
    },
    { name: "an 8-byte nonce", blob: [v, b64(bytes(nonce).subarray(0, 8)), body, tag].join(".") },
    {
      name: "a 16-byte nonce",
      blob: [v, b64(Buffer.concat([bytes(nonce), Buffer.alloc(4)])), body, tag].join("."),
    },
    { name: "junk in the base64url", blob: [v, nonce, body, `${tag}!`].join(".") },
    { name: "a fifth part", blob: `${sealed}.x` },
    { name: "no tag", blob: [v, nonce, body].join(".") },
    { name: "another version", blob: ["v2", nonce, body, tag].join(".") },
    {
      name: "a flipped tag bit",
      blob: [
        v,
        nonce,
        body,
        b64(Buffer.from(bytes(tag).map((x, i) => (i === 0 ? x ^ 1 : x)))),
      ].join("."),
    },
    { name: "the wrong key", blob: sealed, key: randomBytes(32) },
    { name: "the wrong aad", blob: sealed, aad: "other" },
    // GCM would authenticate these: only the nonce-size rule refuses them.
    { name: "a valid blob with an 8-byte nonce", blob: sealedWithNonce(8) },
    { name: "a valid blob with a 16-byte nonce", blob: sealedWithNonce(16) },
  ];
  for (const c of refused) {
    it(`refuses ${c.name} (ERR_SEALING_UNSEAL_FAILED)`, () => {
      assert.throws(() => unseal(c.key ?? kek, c.blob, c.aad ?? "aad"), {
        code: "ERR_SEALING_UNSEAL_FAILED",
      });
    });
  }
});
