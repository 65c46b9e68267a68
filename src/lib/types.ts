import type { Db } from "../db/client";
import type { Role } from "../domain/roles";

/** XLSX reading/writing lives behind this port: exceljs on Node; absent on Workers. */
export interface SpreadsheetCodec {
  readRows(data: Uint8Array): Promise<string[][]>;
  write(sheets: { name: string; rows: (string | number | null)[][] }[]): Promise<Uint8Array>;
}

export interface AppDeps {
  db: Db;
  /** "Now" is a parameter so tests and jobs can run at any date. */
  now: () => Date;
  spreadsheet?: SpreadsheetCodec;
  /** Hosts a webhook URL may point at even if private (tests, intranet robots). */
  webhookAllowHosts?: string[];
  /** PUBLIC_URL: where users reach the web UI; https there means Secure cookies. */
  publicUrl?: string;
  /** TRUST_PROXY: believe X-Forwarded-Proto/Host from a reverse proxy. */
  trustProxy?: boolean;
}

export interface Actor {
  tokenId: string;
  orgId: string;
  orgPath: string;
  role: Role;
}

export interface AppEnv {
  Variables: { deps: AppDeps; actor: Actor };
}
