import { hostname, userInfo } from "node:os";
import { auditError, createAuditLog, type DecisionRecord } from "../audit/index.js";
import type { KeyRing } from "../capability/index.js";
import type { Clock } from "../clock/index.js";
import type { LeashConfig } from "../config/index.js";
import { createId } from "../encoding/index.js";
import type { Store } from "../store/index.js";

/** The chain of admin actions done offline, straight on the store, by this instance's CLI. */
export function adminCliChain(config: LeashConfig): string {
  return `${config.server.instanceId}-cli`;
}

/**
 * Records an admin action the CLI did straight on the store (a signing-key rotation, a
 * master-key rotation), so the decision log holds it like any other: type "admin", the OS
 * user and host that ran it, what changed. It goes on a chain of its own, never the one a
 * running server appends to (that server keeps its chain's tail in memory), and a signed
 * checkpoint follows it at once, so `leash audit verify` catches its removal too. Call it
 * after the action: resolves with the decision id once the record is written; throws
 * ERR_AUDIT_WRITE_FAILED, saying the action was nevertheless done, when it can't be.
 */
export async function recordAdminAction(args: {
  config: LeashConfig;
  store: Store;
  ring: KeyRing;
  clock: Clock;
  action: string;
  detail: Record<string, unknown>;
}): Promise<string> {
  const { store, ring, clock } = args;
  const chain = adminCliChain(args.config);
  const record: DecisionRecord = {
    decision_id: createId("dec"),
    timestamp: new Date(clock.now()).toISOString(),
    type: "admin",
    result: "allow",
    action: args.action,
    principal: { zone: "admin", via: "cli", os_user: osUser(), host: hostname() },
    latency_ms: 0,
    detail: args.detail,
  };
  try {
    const audit = await createAuditLog({
      store,
      chain,
      clock,
      signer: { kid: () => ring.current().kid, privateKey: () => ring.current().privateKey },
    });
    await audit.append(record);
    // Nothing comes after this record to cover it, and a prune record counts only under a
    // signed checkpoint: one is written now, or the action reports its record failed.
    await audit.checkpoint();
  } catch (cause) {
    throw auditError(
      "ERR_AUDIT_WRITE_FAILED",
      `${args.action} was done, but its record could not be written to the decision log (chain ${chain}); check the store, and note the change where your team keeps such records`,
      { action: args.action },
      cause,
    );
  }
  return record.decision_id;
}

/** The OS account that ran the command; a container's bare uid has no name. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? "unknown"}`;
  }
}
