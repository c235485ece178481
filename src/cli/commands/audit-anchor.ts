import { existsSync, readFileSync } from "node:fs";
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
import { writeNewFile } from "../write-new-file.js";

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
  const messages = {
    exists: `--out ${flags.out}: the file exists; an anchor never overwrites one`,
    cannotCreate: `--out ${flags.out}: the file can't be created`,
  };
  // Checked before the log is read too; writeNewFile refuses it again if one appears meanwhile.
  if (outPath && existsSync(outPath)) throw new UsageError(messages.exists);
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
  await writeNewFile(outPath, 0o644, messages, (write) => write(text));
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
