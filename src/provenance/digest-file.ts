import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import type { ArtifactDigest } from "./verify-subject-digest.js";

const CHUNK_BYTES = 1 << 20;

/** Digests a file in 1 MiB chunks (memory stays flat for large artifacts). I/O errors propagate. */
export function digestFile(path: string, algorithm: ArtifactDigest["algorithm"]): ArtifactDigest {
  const hash = createHash(algorithm);
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return { algorithm, hex: hash.digest("hex") };
}
