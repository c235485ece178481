import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256Hex } from "../encoding/index.js";

export const ADMIN_TOKEN_FILE = "admin.token";

/** Where the admin token came from; `leash serve` prints the path (never the token). */
export interface AdminToken {
  /** Constant-time check of a presented token. */
  check(presented: string | undefined): boolean;
  source: { kind: "env" } | { kind: "file"; path: string };
}

/**
 * The admin token from `LEASH_ADMIN_TOKEN`, else a 0600 file under the state folder,
 * generated on first start. Compared by SHA-256 in constant time.
 */
export function loadAdminToken(envValue: string | undefined, stateDir: string): AdminToken {
  if (envValue) return toAdminToken(envValue, { kind: "env" });
  const path = join(stateDir, ADMIN_TOKEN_FILE);
  return toAdminToken(readOrCreate(path), { kind: "file", path });
}

/** Reads the admin token a local `leash serve` generated, for CLI commands run beside it. */
export function readAdminToken(envValue: string | undefined, stateDir: string): string | undefined {
  if (envValue) return envValue;
  try {
    return readFileSync(join(stateDir, ADMIN_TOKEN_FILE), "utf8").trim();
  } catch {
    return undefined;
  }
}

function readOrCreate(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  const token = `lsa_${randomBytes(32).toString("base64url")}`;
  try {
    writeFileSync(path, `${token}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(path, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return readOrCreate(path);
    throw err;
  }
  return token;
}

function toAdminToken(token: string, source: AdminToken["source"]): AdminToken {
  const expected = Buffer.from(sha256Hex(token), "hex");
  return {
    source,
    check(presented) {
      if (!presented) return false;
      return timingSafeEqual(Buffer.from(sha256Hex(presented), "hex"), expected);
    },
  };
}
