import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import {
  type AuditVerification,
  checkAuditAnchor,
  createAuditAnchor,
  parseAuditAnchor,
  verifyAuditLog,
} from "../../audit/index.js";
import { systemClock } from "../../clock/index.js";
import type { Store } from "../../store/index.js";
import { type CliIo, EXIT, UsageError } from "../cli-io.js";

/**
 * `leash audit anchor [--out FILE]`: the newest signed checkpoint of every chain, with the
 * keys that signed them, as JSON — to keep where whoever can write to leash's store cannot
 * (object storage with a retention lock). Only a log that verifies is anchored: anchoring a
 * tampered one would vouch for it. FILE is never overwritten; without it, stdout.
 */
export async function anchorAudit(
  store: Store,
  flags: { out?: string | undefined; json?: boolean | undefined },
  io: CliIo,
): Promise<number> {
  const outPath = flags.out === undefined ? undefined : resolve(io.cwd, flags.out);
  const verification = await verifyAuditLog(store);
  if (!verification.ok) {
    const p = verification.problem;
    io.err(
      `leash: the log does not verify (chain ${p?.chain}, record ${p?.seq}: ${p?.what}); nothing anchored — run leash audit verify\n`,
    );
    return EXIT.denied;
  }
  const anchor = await createAuditAnchor(store, systemClock.now());
  const text = `${JSON.stringify(anchor, null, 2)}\n`;
  if (!outPath) {
    io.out(text);
    return EXIT.ok;
  }
  writeNewFile(outPath, flags.out as string, text);
  io.err(`anchored ${anchor.checkpoints.length} chains in ${flags.out}\n`);
  return EXIT.ok;
}

/** Verifies the log, then checks it against each anchor file in turn; the first problem wins. */
export async function verifyWithAnchors(
  store: Store,
  files: readonly string[],
  io: CliIo,
): Promise<{ verification: AuditVerification; anchored: number }> {
  const anchors = files.map((f) => parseAuditAnchor(readAnchor(resolve(io.cwd, f), f), f));
  const verification = await verifyAuditLog(store);
  let anchored = 0;
  for (const anchor of anchors) {
    if (!verification.ok) break;
    const problem = await checkAuditAnchor(store, verification, anchor);
    if (problem) return { verification: { ...verification, ok: false, problem }, anchored };
    anchored += anchor.checkpoints.length;
  }
  return { verification, anchored };
}

function readAnchor(path: string, name: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new UsageError(`--anchor ${name}: the file can't be read`);
  }
}

/** Writes and fsyncs a file that must not exist yet (an anchor is evidence: never replaced). */
function writeNewFile(path: string, name: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o644);
  } catch (err) {
    const exists = (err as NodeJS.ErrnoException).code === "EEXIST";
    throw new UsageError(
      `--out ${name}: ${exists ? "the file exists; an anchor never overwrites one" : "the file can't be created"}`,
    );
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
