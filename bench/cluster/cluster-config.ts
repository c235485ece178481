import pg from "pg";

export const PG_URL =
  process.env["LEASH_TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

/** Every instance answers as the one service behind the load balancer. */
const PUBLIC_URL = "https://leash.bench.test";

/** A bench config: the store given, the issuer, one editing rule, a named audit chain. */
export function clusterConfigYaml(issuerUrl: string, storeUrl: string, instanceId: string): string {
  return `server: { host: 127.0.0.1, port: 0, public_url: "${PUBLIC_URL}", instance_id: ${instanceId} }
store: { url: ${JSON.stringify(storeUrl)} }
state_dir: state
issuers:
  - { name: ci, url: "${issuerUrl}", provider: github, audience: leash, allow_insecure_loopback: true }
trust:
  - name: editing
    issuer: ci
    claims: { repository_id: "74", repository_owner_id: "65", ref: { glob: "refs/heads/agent/*" } }
    zone: editing
    actions: [repo.read, code.write]
    ttl: 10m
`;
}

/** The store URL of a fresh schema (libpq `options` sets search_path; the schema must exist). */
export function schemaUrl(schema: string): string {
  const sep = PG_URL.includes("?") ? "&" : "?";
  return `${PG_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

export async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export const createSchema = (schema: string) =>
  withAdmin((c) => c.query(`CREATE SCHEMA "${schema}"`));
export const dropSchema = (schema: string) =>
  withAdmin((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));

/** On-disk bytes per decision record in `schema` (table, TOAST and indexes), and the count. */
export const measureDecisionBytes = (schema: string) =>
  withAdmin(async (c) => {
    const res = await c.query(
      `SELECT pg_total_relation_size($1::regclass)::float8 AS bytes, (SELECT count(*) FROM "${schema}".decisions)::float8 AS n,
              (SELECT avg(length(body)) FROM "${schema}".decisions)::float8 AS body`,
      [`"${schema}".decisions`],
    );
    const row = res.rows[0] as { bytes: number; n: number; body: number };
    return { records: row.n, bytesPerRecord: row.n ? row.bytes / row.n : 0, bodyBytes: row.body };
  });
