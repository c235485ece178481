import Database from "better-sqlite3";

/**
 * Runs one statement on a leash SQLite file from a connection of its own, as an operator (or
 * an attacker) with the file would: rows for a query, [] for anything else.
 */
export function runSql(path: string, text: string): Record<string, unknown>[] {
  const db = new Database(path);
  try {
    const statement = db.prepare(text);
    if (statement.reader) return statement.all() as Record<string, unknown>[];
    statement.run();
    return [];
  } finally {
    db.close();
  }
}

/**
 * Makes every insert into `table` of a leash SQLite file fail for real, as a full disk would
 * (a trigger that aborts), until the returned function is called.
 */
export function refuseInserts(path: string, table: string): () => void {
  const trigger = `refuse_${table}`;
  runSql(
    path,
    `CREATE TRIGGER ${trigger} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'disk is full'); END`,
  );
  return () => void runSql(path, `DROP TRIGGER ${trigger}`);
}
