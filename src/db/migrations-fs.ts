// Node-only: reads drizzle-kit's output from drizzle/.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Migration } from "./migrate";

const dir = fileURLToPath(new URL("../../drizzle/", import.meta.url));

export function loadMigrations(): Migration[] {
  const journal = JSON.parse(readFileSync(dir + "meta/_journal.json", "utf8")) as {
    entries: { tag: string }[];
  };
  return journal.entries.map((e) => ({ tag: e.tag, sql: readFileSync(`${dir}${e.tag}.sql`, "utf8") }));
}
