import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { KeyRing } from "../capability/index.js";
import { DEFAULT_POLICY_DIR } from "../policy/index.js";
import type { Store, StoreChannel } from "../store/index.js";
import type { PolicyHolder } from "./policy-holder.js";

/** How often the fallback re-checks what a notification would have announced. */
export const STORE_POLL_INTERVAL_MS = 5000;

export interface WatchStoreOptions {
  store: Store;
  keyRing: KeyRing;
  policy: PolicyHolder;
  policyDirs: readonly string[] | undefined;
  intervalMs?: number;
  log?: (line: string) => void;
}

export interface StoreWatch {
  /** The holder to serve with: a reload through it is also announced to the other instances. */
  policy: PolicyHolder;
  close(): Promise<void>;
}

/**
 * Keeps this instance's cached signing keys and policies in step with the other instances on
 * the store: a `keys` notification reloads the key ring, a `policy` one reloads the policies.
 * Notifications are an optimization, so a timer also compares a cheap fingerprint of the key
 * rows (always) and, while notifications are unavailable on a shared store, of the policy
 * files, and retries the subscription. Revocations need nothing here: they are read per request.
 */
export async function watchStoreChanges(opts: WatchStoreOptions): Promise<StoreWatch> {
  const log = opts.log ?? ((line) => void process.stderr.write(line));
  const dirs = opts.policyDirs ?? [DEFAULT_POLICY_DIR];
  let keysSeen = fingerprintKeys(await opts.store.listSigningKeys());
  let policySeen = fingerprintPolicyDirs(dirs);
  const reloadKeys = async () => {
    await opts.keyRing.load();
    keysSeen = fingerprintKeys(await opts.store.listSigningKeys());
  };
  const reloadPolicy = () => {
    policySeen = fingerprintPolicyDirs(dirs);
    reloadPolicyQuietly(opts.policy, log);
  };
  // Our own announcements come back to us on the listening connection; skip those echoes.
  let echoes = 0;
  const handlers: Record<"keys" | "policy", () => void> = {
    keys: () => void reloadKeys().catch(() => {}),
    policy: () => (echoes > 0 ? void echoes-- : reloadPolicy()),
  };
  const subscription = createSubscription(opts.store, handlers);
  await subscription.ensure();

  const timer = everyInterval(opts.intervalMs ?? STORE_POLL_INTERVAL_MS, async () => {
    if (fingerprintKeys(await opts.store.listSigningKeys()) !== keysSeen) await reloadKeys();
    if (subscription.active() || !opts.store.subscribe) return;
    if (fingerprintPolicyDirs(dirs) !== policySeen) reloadPolicy();
    // Back on notifications: whatever was announced meanwhile was missed, so resync once.
    if (await subscription.ensure()) {
      echoes = 0;
      for (const fn of Object.values(handlers)) fn();
    }
  });
  const announce = () => {
    if (!opts.store.notify) return;
    const echoing = subscription.active();
    if (echoing) echoes++;
    // Best effort: when it fails the store is down, and the other instances keep their set.
    opts.store.notify("policy").catch(() => {
      if (echoing) echoes = Math.max(0, echoes - 1);
    });
  };
  return {
    policy: announcingReloads(opts.policy, announce),
    async close() {
      clearInterval(timer);
      await subscription.close();
    },
  };
}

/** Runs `fn` every `ms`, never two at once; a failure (the store is down) waits for the next turn. */
function everyInterval(ms: number, fn: () => Promise<void>): NodeJS.Timeout {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    fn()
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, ms);
  // Never what keeps the process alive.
  timer.unref();
  return timer;
}

/** The store's subscriptions, opened together; `ensure` retries them while they are down. */
function createSubscription(store: Store, handlers: Record<"keys" | "policy", () => void>) {
  let offs: (() => Promise<void>)[] | undefined;
  return {
    active: () => offs !== undefined,
    /** Resolves true when this call (re)opened the subscriptions. */
    async ensure(): Promise<boolean> {
      if (offs || !store.subscribe) return false;
      const opened: (() => Promise<void>)[] = [];
      try {
        for (const [channel, fn] of Object.entries(handlers))
          opened.push(await store.subscribe(channel as StoreChannel, fn));
        offs = opened;
        return true;
      } catch {
        await Promise.all(opened.map((off) => off().catch(() => {})));
        return false;
      }
    },
    async close() {
      const list = offs ?? [];
      offs = undefined;
      await Promise.all(list.map((off) => off().catch(() => {})));
    },
  };
}

function reloadPolicyQuietly(policy: PolicyHolder, log: (line: string) => void): void {
  try {
    const sets = policy.reload();
    log(
      `leash: policies reloaded on another instance's announcement (${sets.digest.slice(0, 12)})\n`,
    );
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    log(`leash: policy reload failed, keeping the last good set (${String(code ?? "error")})\n`);
  }
}

/** The same holder, announcing each successful reload (POST /v1/policy/reload, SIGHUP). */
function announcingReloads(policy: PolicyHolder, announce: () => void): PolicyHolder {
  return {
    get active() {
      return policy.active;
    },
    get shadow() {
      return policy.shadow;
    },
    reload() {
      const sets = policy.reload();
      announce();
      return sets;
    },
  };
}

function fingerprintKeys(rows: readonly { kid: string; retiredMs: number | null }[]): string {
  return rows.map((r) => `${r.kid}:${r.retiredMs ?? ""}`).join(",");
}

/** Names, sizes and modification times of the .cedar files: cheap to read every few seconds. */
function fingerprintPolicyDirs(dirs: readonly string[]): string {
  const parts: string[] = [];
  for (const dir of dirs) {
    try {
      for (const name of readdirSync(dir)
        .filter((n) => n.endsWith(".cedar"))
        .sort()) {
        const st = statSync(join(dir, name));
        parts.push(`${dir}/${name}:${st.size}:${st.mtimeMs}`);
      }
    } catch {
      parts.push(`${dir}:missing`);
    }
  }
  return parts.join("|");
}
