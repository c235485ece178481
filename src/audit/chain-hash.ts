import { sha256Hex, toCanonicalJson } from "../encoding/index.js";

/** The hash before the first record of a chain. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * The link of the hash chain: SHA-256 over the canonical JSON (RFC 8785) of the record's
 * place (chain, seq), the previous hash and the record body. Editing, deleting, inserting
 * or reordering any record changes every later hash.
 */
export function computeChainHash(
  chain: string,
  seq: number,
  prevHash: string,
  body: string,
): string {
  return sha256Hex(
    toCanonicalJson({ chain, seq, prev_hash: prevHash, record_sha256: sha256Hex(body) }),
  );
}
