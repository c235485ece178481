import pg from "pg";
import { internalError, LeashError } from "../../errors/index.js";

/**
 * SQLSTATE classes that mean "the database is not there for us right now": connection
 * exceptions, rejected credentials, missing database, insufficient resources, operator
 * intervention (shutdown, statement timeout), and lock timeouts.
 */
const UNAVAILABLE_SQLSTATES = ["08", "28", "3D", "53", "57", "55P03"];

/**
 * Maps a database failure to ERR_STORE_UNAVAILABLE (503) when the database is down, slow or
 * unreachable, so the decision path fails closed with a code; other errors (a constraint
 * violated, bad data) pass through unchanged, as they do from SQLite.
 */
export function toStoreError(err: unknown, target: string): unknown {
  if (err instanceof LeashError || !isUnavailable(err)) return err;
  return internalError(
    "ERR_STORE_UNAVAILABLE",
    `PostgreSQL at ${target} is unreachable or too slow, so the request was refused; leash reconnects by itself when it is back`,
    undefined,
    err,
  );
}

function isUnavailable(err: unknown): boolean {
  if (err instanceof pg.DatabaseError) {
    const code = err.code ?? "";
    return UNAVAILABLE_SQLSTATES.some((c) => code.startsWith(c));
  }
  // Anything else from pg is about the connection: refused, reset, timed out, terminated,
  // pool exhausted past its wait. Programming errors stay what they are.
  return !(err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError);
}

/** Runs `fn`, turning an unavailable database into ERR_STORE_UNAVAILABLE. */
export async function guardStore<T>(target: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toStoreError(err, target);
  }
}
