import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sealingError } from "./sealing-errors.js";

const MASTER_KEY_BYTES = 32;
export const MASTER_KEY_FILE = "master.key";

/**
 * The key-encryption key that seals private signing keys and secrets at rest.
 * From `LEASH_MASTER_KEY` (32 bytes, base64) when set — required when several instances
 * share a store — else a 0600 file in the state folder, generated on first use.
 * Throws ERR_SEALING_MASTER_KEY_INVALID; the message never shows the key.
 */
export function loadMasterKey(opts: { envValue: string | undefined; stateDir: string }): Buffer {
  if (opts.envValue !== undefined && opts.envValue !== "") {
    const key = Buffer.from(opts.envValue.trim(), "base64");
    if (key.length !== MASTER_KEY_BYTES) {
      throw sealingError(
        "ERR_SEALING_MASTER_KEY_INVALID",
        `LEASH_MASTER_KEY must be ${MASTER_KEY_BYTES} random bytes in base64 (got ${key.length} bytes); create one with: openssl rand -base64 32`,
      );
    }
    return key;
  }
  return loadOrCreateKeyFile(join(opts.stateDir, MASTER_KEY_FILE));
}

function loadOrCreateKeyFile(path: string): Buffer {
  try {
    const key = Buffer.from(readFileSync(path, "utf8").trim(), "base64");
    if (key.length !== MASTER_KEY_BYTES) {
      throw sealingError(
        "ERR_SEALING_MASTER_KEY_INVALID",
        `${path} does not hold a ${MASTER_KEY_BYTES}-byte base64 key`,
      );
    }
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  const key = randomBytes(MASTER_KEY_BYTES);
  // wx: never overwrite a key another process created a moment ago.
  try {
    writeFileSync(path, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateKeyFile(path);
    throw err;
  }
  return key;
}
