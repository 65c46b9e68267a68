// Node-only: open the embedded libSQL file (or a remote URL) and migrate it.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createClient } from "@libsql/client";
import { createDb } from "./db/client";
import { migrate } from "./db/migrate";
import { loadMigrations } from "./db/migrations-fs";

export async function openDatabase(url: string, authToken?: string) {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).split("?")[0]!;
    if (path && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  }
  const client = createClient({ url, authToken });
  if (url.startsWith("file:") || url === ":memory:") {
    // Wait instead of failing when a job and a request write at the same moment.
    await client.execute("PRAGMA busy_timeout = 5000");
    await client.execute("PRAGMA foreign_keys = ON");
  }
  await migrate(client, loadMigrations());
  return { client, db: createDb(client) };
}
