// Node-only: consistent snapshots of the database (`npm run cli -- backup`) and restoring one
// (`npm run cli -- restore`), for an embedded `file:` database and a remote libSQL server alike.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createClient, type Client, type InStatement, type InValue, type ResultSet } from "@libsql/client";
import { DATA_MIGRATIONS, runDataMigrations } from "./db/data-migrations";
import { migrate } from "./db/migrate";
import { loadMigrations } from "./db/migrations-fs";
import { openDatabase } from "./node-db";

/** A refusal the operator can act on: the CLI prints the message and exits 2. */
export class BackupRefused extends Error {}

export interface Summary {
  path: string;
  bytes?: number;
  integrity?: string;
  migrations: string[];
  tables: Record<string, number>;
}

type Exec = { execute(stmt: InStatement): Promise<ResultSet> };
interface SchemaEntry {
  type: string;
  name: string;
  sql: string;
}

const PAGE = 500;
const MIGRATIONS = "_migrations";
/** Printed before every restore: the restore overwrites whatever the server writes meanwhile. */
export const RESTORE_NOTICE = "恢复期间请停止服务：恢复过程中服务写入的数据会被备份内容覆盖。";

export const isRemoteUrl = (url: string) => /^(https?|libsql|wss?):/i.test(url);
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function localPath(url: string): string {
  if (!url.startsWith("file:")) throw new BackupRefused(`不支持的数据库地址：${url}`);
  const path = url.slice("file:".length).split("?")[0]!;
  if (!path || path === ":memory:") throw new BackupRefused("内存数据库无法备份");
  return path;
}

/** Tables, indexes, views and triggers, tables first; SQLite's and libSQL's own objects left out. */
async function readSchema(db: Exec): Promise<SchemaEntry[]> {
  const rs = await db.execute(
    `SELECT type, name, sql FROM sqlite_master
     WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'libsql\\_%' ESCAPE '\\'
       AND name NOT LIKE '\\_litestream%' ESCAPE '\\'
     ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, name`,
  );
  return rs.rows.map((r) => ({ type: String(r.type), name: String(r.name), sql: String(r.sql) }));
}

const tablesOf = (schema: SchemaEntry[]) => schema.filter((s) => s.type === "table");

async function integrityCheck(db: Exec): Promise<string> {
  const rs = await db.execute("PRAGMA integrity_check");
  return rs.rows.map((r) => String(r[0])).join("; ");
}

/** Row counts of the application tables (bookkeeping `_migrations` reported as a list instead). */
async function summarise(db: Exec, path: string): Promise<Summary> {
  const tables: Record<string, number> = {};
  for (const t of tablesOf(await readSchema(db))) {
    if (t.name === MIGRATIONS) continue;
    const rs = await db.execute(`SELECT count(*) FROM ${quote(t.name)}`);
    tables[t.name] = Number(rs.rows[0]![0]);
  }
  const rs = await db.execute(`SELECT tag FROM ${MIGRATIONS} ORDER BY tag`).catch(() => undefined);
  return { path, migrations: rs ? rs.rows.map((r) => String(r[0])) : [], tables };
}

/**
 * Pages through a table in a stable order (rowid keyset; OFFSET for WITHOUT ROWID tables), calling
 * `sink` with each page's column names and rows. Inside one transaction the pages are consistent.
 */
async function eachPage(db: Exec, table: SchemaEntry, sink: (columns: string[], rows: InValue[][]) => Promise<void>) {
  const withoutRowid = /WITHOUT\s+ROWID/i.test(table.sql);
  let after: InValue = -(2n ** 63n);
  for (let offset = 0; ; offset += PAGE) {
    const rs = withoutRowid
      ? await db.execute({ sql: `SELECT * FROM ${quote(table.name)} LIMIT ? OFFSET ?`, args: [PAGE, offset] })
      : await db.execute({
          sql: `SELECT rowid AS "__backup_rowid", * FROM ${quote(table.name)} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
          args: [after, PAGE],
        });
    if (rs.rows.length === 0) return;
    const skip = withoutRowid ? 0 : 1;
    const rows = rs.rows.map((r) => Array.from({ length: rs.columns.length - skip }, (_, i) => r[i + skip] as InValue));
    if (!withoutRowid) after = rs.rows[rs.rows.length - 1]![0] as InValue;
    await sink(rs.columns.slice(skip), rows);
    if (rs.rows.length < PAGE) return;
  }
}

/** Multi-row INSERTs kept under SQLite's classic 999 bound parameters per statement. */
function insertStatements(table: string, columns: string[], rows: InValue[][]): InStatement[] {
  const perStatement = Math.max(1, Math.floor(999 / columns.length));
  const head = `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES `;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const out: InStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    out.push({ sql: head + chunk.map(() => tuple).join(", "), args: chunk.flat() });
  }
  return out;
}

/** Opens a finished snapshot file, checks it and counts its rows. */
async function inspectSnapshot(path: string): Promise<Summary> {
  const snap = createClient({ url: `file:${path}`, intMode: "bigint" });
  try {
    const integrity = await integrityCheck(snap);
    return { ...(await summarise(snap, path)), integrity, bytes: statSync(path).size };
  } finally {
    snap.close();
  }
}

/**
 * Writes a consistent snapshot of the database to `file` while the server keeps running.
 * A local file gets `VACUUM INTO` (one read transaction, WAL readers don't block writers); a remote
 * server would run VACUUM INTO on its own disk, so its tables are copied inside one read transaction.
 */
export async function backupDatabase(url: string, authToken: string | undefined, file: string, opts: { force: boolean }) {
  const target = resolve(file);
  if (existsSync(target) && !opts.force) throw new BackupRefused(`备份文件已存在：${target}（确认覆盖请加 --force）`);
  mkdirSync(dirname(target), { recursive: true });
  // Written beside the target and renamed at the end: a failed backup leaves no half file behind.
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  try {
    if (isRemoteUrl(url)) await copyRemote(url, authToken, partial);
    else await vacuumInto(url, target, partial);
    const summary = await inspectSnapshot(partial);
    if (summary.integrity !== "ok") throw new BackupRefused(`备份完整性检查失败：${summary.integrity}`);
    renameSync(partial, target);
    return { ...summary, path: target };
  } finally {
    rmSync(partial, { force: true });
  }
}

async function vacuumInto(url: string, target: string, partial: string) {
  const source = resolve(localPath(url));
  if (!existsSync(source)) throw new BackupRefused(`数据库文件不存在：${source}`);
  if (source === target) throw new BackupRefused("备份文件不能是数据库文件本身");
  // A plain client, not openDatabase: a backup must not migrate or otherwise write the live database.
  const client = createClient({ url: `file:${source}`, timeout: 10_000 });
  try {
    await client.execute({ sql: "VACUUM INTO ?", args: [partial] });
  } finally {
    client.close();
  }
}

async function copyRemote(url: string, authToken: string | undefined, partial: string) {
  const remote = createClient({ url, authToken, intMode: "bigint" });
  const local = createClient({ url: `file:${partial}`, intMode: "bigint" });
  try {
    const tx = await remote.transaction("read");
    try {
      const schema = await readSchema(tx);
      await local.batch(schema.map((s) => s.sql), "write");
      for (const table of tablesOf(schema)) {
        await eachPage(tx, table, (columns, rows) => local.batch(insertStatements(table.name, columns, rows), "write").then(() => {}));
      }
    } finally {
      tx.close();
    }
  } finally {
    local.close();
    remote.close();
  }
}

/**
 * Replaces the data in `url` with the snapshot's. The snapshot is checked and migrated (on a temp
 * copy) to this program's schema; the target is migrated by openDatabase; then one write transaction
 * clears the target (only with `force`) and inserts the snapshot's rows, table by table.
 */
export async function restoreDatabase(url: string, authToken: string | undefined, file: string, opts: { force: boolean }) {
  const source = resolve(file);
  if (!existsSync(source)) throw new BackupRefused(`找不到备份文件：${source}`);
  const work = mkdtempSync(join(tmpdir(), "govmedia-restore-"));
  const copy = join(work, "snapshot.db");
  copyFileSync(source, copy);
  if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${copy}-wal`);
  const snap = createClient({ url: `file:${copy}`, intMode: "bigint" });
  try {
    await prepareSnapshot(snap, source);
    const snapTables = tablesOf(await readSchema(snap)).filter((t) => t.name !== MIGRATIONS);
    const { client } = await openDatabase(url, authToken);
    try {
      await replaceRows(client, snap, snapTables, opts.force);
      return await summarise(client, isRemoteUrl(url) ? redact(url) : resolve(localPath(url)));
    } finally {
      client.close();
    }
  } finally {
    snap.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function prepareSnapshot(snap: Client, source: string) {
  const integrity = await integrityCheck(snap).catch((e: Error) => e.message);
  if (integrity !== "ok") throw new BackupRefused(`备份文件损坏或不是数据库（${source}）：${integrity}`);
  const schema = await readSchema(snap);
  if (!schema.some((s) => s.type === "table" && s.name === MIGRATIONS)) {
    throw new BackupRefused(`不是本系统的备份（缺少 ${MIGRATIONS} 表）：${source}`);
  }
  const known = loadMigrations();
  const knownTags = new Set([...known.map((m) => m.tag), ...DATA_MIGRATIONS.map((m) => m.tag)]);
  const rs = await snap.execute(`SELECT tag FROM ${MIGRATIONS}`);
  const unknown = rs.rows.map((r) => String(r[0])).filter((t) => !knownTags.has(t));
  if (unknown.length > 0) {
    throw new BackupRefused(`备份来自更新版本的程序（本程序不认识迁移 ${unknown.join(", ")}），请先升级程序再恢复`);
  }
  // An older snapshot is brought to this program's schema, so both sides have the same columns.
  await migrate(snap, known);
  // …and its rows to this program's rules (the target's _migrations already says they were applied).
  await runDataMigrations(snap);
}

async function replaceRows(target: Client, snap: Client, tables: SchemaEntry[], force: boolean) {
  const tx = await target.transaction("write");
  try {
    // Rows go in table by table; foreign keys, if any are added later, are checked at commit.
    await tx.execute("PRAGMA defer_foreign_keys = ON");
    const targetTables = tablesOf(await readSchema(tx)).filter((t) => t.name !== MIGRATIONS);
    const missing = tables.filter((t) => !targetTables.some((x) => x.name === t.name));
    if (missing.length > 0) throw new BackupRefused(`目标数据库缺少表：${missing.map((t) => t.name).join(", ")}`);
    for (const t of targetTables) {
      const rs = await tx.execute(`SELECT 1 FROM ${quote(t.name)} LIMIT 1`);
      if (rs.rows.length === 0) continue;
      if (!force) throw new BackupRefused(`目标数据库不是空的（表 ${t.name} 已有数据），拒绝恢复；确认用备份覆盖现有数据请加 --force`);
      await tx.execute(`DELETE FROM ${quote(t.name)}`);
    }
    for (const table of tables) {
      await eachPage(snap, table, (columns, rows) => tx.batch(insertStatements(table.name, columns, rows)).then(() => {}));
    }
    await tx.commit();
  } finally {
    tx.close();
  }
}

/** A remote URL without query string or credentials, for printing. */
function redact(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
}
