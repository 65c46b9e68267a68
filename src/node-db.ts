// Node-only: open the embedded libSQL file (or a remote URL) and migrate it (schema, then data).
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { createDb } from "./db/client";
import { runDataMigrations } from "./db/data-migrations";
import { openEmbedded } from "./db/embedded";
import { migrate } from "./db/migrate";
import { loadMigrations } from "./db/migrations-fs";

export function isEmbeddedUrl(url: string): boolean {
  return url.startsWith("file:") || url === ":memory:";
}

/** The raw client: the embedded file behind its write gate, or a libSQL server (which orders writes itself). */
export async function openClient(url: string, authToken?: string): Promise<Client> {
  if (!isEmbeddedUrl(url)) return createClient({ url, authToken });
  const path = url.startsWith("file:") ? url.slice("file:".length).split("?")[0]! : "";
  if (path && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  return openEmbedded(url);
}

export async function openDatabase(url: string, authToken?: string) {
  const client = await openClient(url, authToken);
  await migrate(client, loadMigrations());
  // Then the data migrations (re-keying stored rows), in short batches beside any running server.
  // Reported on stderr: stdout belongs to commands that print JSON (backup, restore).
  for (const r of await runDataMigrations(client)) {
    console.error(`data migration ${r.tag}: ${Object.entries(r.counts).map(([k, n]) => `${k} ${n}`).join(", ")}`);
  }
  return { client, db: createDb(client) };
}
