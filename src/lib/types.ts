import type { Db } from "../db/client";
import type { Role } from "../domain/roles";

/**
 * A sheet to write. Every sheet gets column widths from its content. With `headerRow` (1-based) the
 * rows above it and it stay in view when scrolling and it carries an auto-filter; `lists` and `dates`
 * (columns 1-based) apply to the rows below it (below row 1 without a header row).
 */
export interface SheetOut {
  name: string;
  rows: (string | number | null)[][];
  headerRow?: number;
  /** A drop-down of allowed values; `strict: false` lets other text through (a list of several problems). */
  lists?: { column: number; values: readonly string[]; strict?: boolean }[];
  /** "date": YYYY-MM-DD text becomes a date cell; "datetime": an ISO instant or Beijing "YYYY-MM-DD HH:mm" text a date-time in Beijing time. */
  dates?: { column: number; kind: "date" | "datetime" }[];
}

/** XLSX reading/writing lives behind this port: exceljs on Node; absent on Workers. */
/**
 * An uploaded table's rows. `links` (XLSX only): cells that are hyperlinks to http(s) addresses, with
 * 1-based row and column and the link's target, for columns that expect a URL (the cells themselves
 * hold the display text, e.g. 微博主页).
 */
export type SheetRows = string[][] & { links?: { row: number; col: number; target: string }[] };

export interface SpreadsheetCodec {
  readRows(data: Uint8Array): Promise<SheetRows>;
  write(sheets: SheetOut[]): Promise<Uint8Array>;
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
