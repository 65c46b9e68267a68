import type { Client } from "@libsql/client";

export interface Migration {
  tag: string;
  sql: string;
}

/**
 * Applies drizzle-kit's generated migrations that have not run yet, each in one batch with its
 * bookkeeping row, so an interrupted start leaves either all or none of a migration.
 * Runtime-neutral: the caller supplies the files (read from drizzle/ on Node).
 */
export async function migrate(client: Client, migrations: readonly Migration[]): Promise<string[]> {
  await client.execute(
    "CREATE TABLE IF NOT EXISTS _migrations (tag TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)",
  );
  const done = new Set((await client.execute("SELECT tag FROM _migrations")).rows.map((r) => String(r.tag)));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.tag)) continue;
    const statements = m.sql
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter(Boolean);
    await client.batch(
      [
        ...statements,
        { sql: "INSERT INTO _migrations (tag, applied_at) VALUES (?, ?)", args: [m.tag, new Date().toISOString()] },
      ],
      "write",
    );
    applied.push(m.tag);
  }
  return applied;
}
