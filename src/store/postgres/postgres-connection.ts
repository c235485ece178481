import pg from "pg";

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Schema that holds leash's tables, created if missing; default: the role's search_path. */
  schema?: string;
  /** Longest wait for a connection, new or from the pool (default 2000). */
  connectTimeoutMs?: number;
  /** Longest any one statement may run before it is cancelled (default 5000). */
  statementTimeoutMs?: number;
}

/** Validated connection settings; `target` names the server without user or password. */
export interface PostgresSettings {
  url: string;
  schema: string | undefined;
  poolSize: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  target: string;
  applicationName: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,39}$/;

/** Checks options and fills defaults. Throws TypeError on a schema name that is not a plain identifier. */
export function toPostgresSettings(url: string, opts: PostgresStoreOptions = {}): PostgresSettings {
  if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) {
    throw new TypeError(`schema must match ${SCHEMA_NAME}; got ${JSON.stringify(opts.schema)}`);
  }
  return {
    url,
    schema: opts.schema,
    poolSize: opts.poolSize ?? 10,
    connectTimeoutMs: opts.connectTimeoutMs ?? 2000,
    statementTimeoutMs: opts.statementTimeoutMs ?? 5000,
    target: describeTarget(url),
    // Names this store's connections in pg_stat_activity (and lets tests find them).
    applicationName: opts.schema ? `leash/${opts.schema}` : "leash",
  };
}

/** Client settings: bounded connect, statement and read times so a slow database fails a call instead of hanging it. */
export function toClientConfig(s: PostgresSettings, statementTimeoutMs = s.statementTimeoutMs) {
  return {
    connectionString: s.url,
    connectionTimeoutMillis: s.connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    // The server cancels at statement_timeout; this client-side bound covers a silent network.
    query_timeout: statementTimeoutMs + 1000,
    idle_in_transaction_session_timeout: statementTimeoutMs * 2,
    // Notices a silently dead peer (the listener's connection is idle for long stretches).
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: s.applicationName,
    // Set at connection start-up, so no statement can ever run with another search_path.
    options: s.schema ? `-c search_path=${s.schema}` : undefined,
  } satisfies pg.ClientConfig;
}

/** The pool. Errors on idle connections (a restarted server) drop that connection; the next call opens a new one. */
export function createPostgresPool(s: PostgresSettings): pg.Pool {
  const pool = new pg.Pool({ ...toClientConfig(s), max: s.poolSize, idleTimeoutMillis: 30_000 });
  // Without a listener an idle connection's error would crash the process; pg-pool has
  // already discarded the connection when this fires.
  pool.on("error", () => {});
  return pool;
}

/** Double-quotes an identifier for SQL. Only ever given validated names. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return u.host ? `${u.hostname}:${u.port || "5432"}` : "the configured database";
  } catch {
    return "the configured database";
  }
}
