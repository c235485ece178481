import { createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import type { VerificationKey } from "../provenance/index.js";
import { UsageError } from "./cli-io.js";
import { getFromLeash } from "./http-client.js";

/**
 * leash's public keys for verifying its own bundles: a `--key` file (a JWKS, one JWK, or a PEM
 * public key), else the JWKS of the server at `LEASH_URL`. A PEM names no key id, so it is
 * trusted under the key hints the bundles carry (`hints`).
 */
export async function readLeashKeys(
  keyFile: string | undefined,
  server: string | undefined,
  hints: readonly string[],
): Promise<VerificationKey[]> {
  if (keyFile) return fromText(readText(keyFile), hints, keyFile);
  // Offline unless a bundle needs leash's keys: Sigstore bundles never touch the server.
  if (!server || hints.length === 0) return [];
  const answer = await getFromLeash(server, ".well-known/jwks.json").catch(() => {
    throw new UsageError(
      `cannot fetch leash's keys from ${server}; pass --key FILE to verify offline`,
    );
  });
  if (answer.status !== 200)
    throw new UsageError(`${server} answered ${answer.status} for its JWKS`);
  return fromJwks(answer.body, `${server}/.well-known/jwks.json`);
}

function fromText(text: string, hints: readonly string[], source: string): VerificationKey[] {
  if (text.includes("-----BEGIN")) {
    const publicKey = toKey(() => createPublicKey(text), source);
    return hints.map((keyid) => ({ keyid, publicKey }));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${source}: neither a PEM public key nor JSON (a JWKS or a JWK)`);
  }
  const doc = json as Record<string, unknown>;
  return fromJwks(Array.isArray(doc["keys"]) ? doc : { keys: [doc] }, source);
}

function fromJwks(doc: Record<string, unknown>, source: string): VerificationKey[] {
  const keys = Array.isArray(doc["keys"]) ? (doc["keys"] as Record<string, unknown>[]) : [];
  if (keys.length === 0) throw new UsageError(`${source}: no keys`);
  return keys.map((jwk) => {
    if (typeof jwk["kid"] !== "string") throw new UsageError(`${source}: a key has no kid`);
    // Only public members are read: a private JWK passed by mistake yields its public half.
    const { kty, crv, x, y, n, e } = jwk;
    const publicJwk = Object.fromEntries(
      Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined),
    );
    const publicKey = toKey(() => createPublicKey({ key: publicJwk, format: "jwk" }), source);
    return { keyid: jwk["kid"], publicKey };
  });
}

function toKey(make: () => KeyObject, source: string): KeyObject {
  try {
    return make();
  } catch {
    throw new UsageError(`${source}: not a usable public key`);
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new UsageError(`--key ${path}: cannot read the file`);
  }
}
