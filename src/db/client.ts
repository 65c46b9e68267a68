import type { Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import * as schema from "./schema";

/** The database is injected: an embedded file on Node, a libSQL server (Turso/sqld) on Workers. */
export function createDb(client: Client) {
  return drizzle(client, { schema });
}
export type Db = ReturnType<typeof createDb>;
/** A transaction handle; the same query API as Db. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;
