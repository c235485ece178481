import type { StoreLocation } from "../config/index.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

/** Opens the store a config names. PostgreSQL arrives with the scaling work. */
export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.kind === "sqlite") return openSqliteStore(location.path);
  throw new Error("PostgreSQL store is not available yet; use store.url: sqlite:PATH");
}
