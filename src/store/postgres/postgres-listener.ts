import pg from "pg";
import type { StoreChannel } from "../store.js";
import { type PostgresSettings, quoteIdent, toClientConfig } from "./postgres-connection.js";
import { guardStore } from "./postgres-errors.js";

/** LISTEN/NOTIFY over one dedicated connection per store instance. */
export interface PostgresListener {
  subscribe(channel: StoreChannel, onEvent: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

/** The PostgreSQL channel name: per schema, so stores in different schemas never hear each other. */
export function toChannelName(schema: string | undefined, channel: StoreChannel): string {
  return schema ? `leash.${schema}.${channel}` : `leash.${channel}`;
}

/**
 * Opens the connection on the first subscribe. When it is lost it reconnects with
 * exponential backoff, listens again, then calls every subscriber once, because whatever
 * was announced in between was missed.
 */
export function createPostgresListener(s: PostgresSettings): PostgresListener {
  const handlers = new Map<string, Set<() => void>>();
  let client: pg.Client | undefined;
  let listening = new Set<string>();
  let connecting: Promise<void> | undefined;
  let retryMs = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const dispatch = (name: string) => {
    for (const fn of handlers.get(name) ?? []) {
      try {
        fn();
      } catch {
        // A subscriber's failure is its own; the others still hear the event.
      }
    }
  };

  const lost = (c: pg.Client) => {
    c.end().catch(() => {});
    if (client !== c) return;
    client = undefined;
    if (!closed) scheduleReconnect();
  };

  const scheduleReconnect = () => {
    timer = setTimeout(() => {
      timer = undefined;
      ensure().then(
        () => {
          retryMs = FIRST_RETRY_MS;
          for (const name of handlers.keys()) dispatch(name);
        },
        () => {
          retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
          if (!closed && !client) scheduleReconnect();
        },
      );
    }, retryMs);
    timer.unref();
  };

  const open = async () => {
    const c = new pg.Client(toClientConfig(s));
    c.on("notification", (msg) => dispatch(msg.channel));
    c.on("error", () => lost(c));
    c.on("end", () => lost(c));
    try {
      await c.connect();
      const names = [...handlers.keys()];
      for (const name of names) await c.query(`LISTEN ${quoteIdent(name)}`);
      listening = new Set(names);
    } catch (err) {
      c.end().catch(() => {});
      throw err;
    }
    if (closed) await c.end();
    else client = c;
  };

  const ensure = async () => {
    if (client || closed) return;
    connecting ??= open().finally(() => {
      connecting = undefined;
    });
    await connecting;
  };

  const listen = async (name: string) => {
    await ensure();
    if (client && !listening.has(name)) {
      await client.query(`LISTEN ${quoteIdent(name)}`);
      listening.add(name);
    }
  };

  const unlisten = async (name: string) => {
    listening.delete(name);
    await client?.query(`UNLISTEN ${quoteIdent(name)}`).catch(() => {});
  };

  return {
    async subscribe(channel, onEvent) {
      const name = toChannelName(s.schema, channel);
      const set = handlers.get(name) ?? new Set();
      handlers.set(name, set);
      set.add(onEvent);
      const unsubscribe = async () => {
        set.delete(onEvent);
        if (set.size > 0 || handlers.get(name) !== set) return;
        handlers.delete(name);
        await unlisten(name);
      };
      try {
        await guardStore(s.target, () => listen(name));
      } catch (err) {
        await unsubscribe();
        throw err;
      }
      return unsubscribe;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await connecting?.catch(() => {});
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
