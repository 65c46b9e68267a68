// Node-only: the embedded libSQL file (or :memory:) behind one in-process write gate.
//
// SQLite allows one writer at a time. @libsql/client gives every transaction its own pooled
// connection, and its busy wait is a synchronous native call: two writers in one process either fail
// with SQLITE_BUSY or freeze the event loop while the other cannot move. So every write (a
// transaction, a batch, an autocommit statement) waits its turn on an async gate, on one dedicated
// writer connection configured once (WAL, foreign keys); plain SELECTs go to a reader pool that WAL
// lets run beside the writer. Another process (a `npm run job` beside `npm start`) is met with a short
// native busy wait and then async retries, never a long synchronous one.
import type { Client, InArgs, InStatement, ResultSet, Transaction, TransactionMode } from "@libsql/client";
import { createClient } from "@libsql/client";

export interface EmbeddedOptions {
  /** Native busy wait per attempt (blocks the event loop), kept short. */
  busySliceMs?: number;
  /** Total time to keep retrying a write that another process blocks. */
  busyRetryMs?: number;
  /** Longest wait for this process's own gate before giving up (a stuck transaction, not load). */
  gateWaitMs?: number;
  readers?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The write gate could not be had in time, or another process held the database too long. */
export class DatabaseBusyError extends Error {
  readonly code = "DATABASE_BUSY";
}

/**
 * A FIFO async mutex: each holder gets a release function, called exactly once. When it has been
 * handed from holder to holder without a break for `sliceMs`, the next holder first waits `pauseMs`:
 * back-to-back writes would otherwise keep the file locked without a gap, and another process (a
 * `npm run job` beside the server) would never get its turn.
 */
export class WriteGate {
  #tail: Promise<void> = Promise.resolve();
  #waiting = 0;
  #busySince: number | null = null;

  constructor(
    readonly sliceMs = 100,
    readonly pauseMs = 20,
  ) {}

  async acquire(timeoutMs: number): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const before = this.#tail;
    this.#tail = before.then(() => mine);
    this.#waiting++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    try {
      await Promise.race([
        before,
        new Promise<void>((_, reject) => {
          timer = setTimeout(() => {
            timedOut = true;
            reject(new DatabaseBusyError(`write gate not free after ${timeoutMs} ms`));
          }, timeoutMs);
        }),
      ]);
    } catch (e) {
      // Keep the queue intact: our turn is passed on as soon as it comes.
      if (timedOut) void before.then(release);
      throw e;
    } finally {
      clearTimeout(timer);
      this.#waiting--;
    }
    const t = Date.now();
    if (this.#busySince === null) this.#busySince = t;
    else if (t - this.#busySince > this.sliceMs) {
      await sleep(this.pauseMs);
      this.#busySince = Date.now();
    }
    let done = false;
    return () => {
      if (!done) {
        done = true;
        if (this.#waiting === 0) this.#busySince = null;
        release();
      }
    };
  }
}

function isBusy(e: unknown): boolean {
  for (let err: unknown = e, depth = 0; err instanceof Error && depth < 4; err = err.cause, depth++) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) return true;
    if (/SQLITE_BUSY|database is locked/.test(err.message)) return true;
  }
  return false;
}

/**
 * Retries an all-or-nothing step (BEGIN IMMEDIATE, an autocommit write, a batch) while another process
 * writes. `afterBusy` runs before each retry.
 */
async function whileBusy<T>(step: () => Promise<T>, retryMs: number, afterBusy?: () => Promise<void>): Promise<T> {
  const deadline = Date.now() + retryMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (e) {
      if (!isBusy(e) || Date.now() > deadline) throw isBusy(e) ? new DatabaseBusyError("database held by another process", { cause: e }) : e;
      await afterBusy?.();
      await sleep(Math.min(10 * 2 ** attempt, 200) * (0.5 + Math.random()));
    }
  }
}

function sqlOf(stmt: InStatement | string): string {
  return typeof stmt === "string" ? stmt : stmt.sql;
}

/** A statement that only reads: served by the reader pool. Anything else takes the gate. */
export function isReadOnly(sql: string): boolean {
  return /^\s*(select|explain)\b/i.test(sql);
}

function gatedTransaction(tx: Transaction, release: () => void): Transaction {
  const settle = async (op: () => Promise<void>) => {
    try {
      await op();
    } finally {
      release();
    }
  };
  return {
    execute: (stmt) => tx.execute(stmt),
    batch: (stmts) => tx.batch(stmts),
    executeMultiple: (sql) => tx.executeMultiple(sql),
    commit: () => settle(() => tx.commit()),
    rollback: () => settle(() => tx.rollback()),
    close: () => {
      try {
        tx.close();
      } finally {
        release();
      }
    },
    get closed() {
      return tx.closed;
    },
  };
}

/** Wraps a writer (one connection) and an optional reader pool as one Client with gated writes. */
export function gateWrites(writer: Client, reader: Client | null, opts: EmbeddedOptions = {}): Client & { gate: WriteGate } {
  const gate = new WriteGate();
  const retryMs = opts.busyRetryMs ?? 30_000;
  const gateWaitMs = opts.gateWaitMs ?? 60_000;
  // :memory: has no reader pool (a single connection): its reads take the gate as well.
  const readClient = reader;

  // A BEGIN refused with BUSY is left "in progress" by the driver (it finalises statements only on
  // garbage collection), and SQLite then refuses every later COMMIT on that connection ("cannot commit
  // transaction - SQL statements in progress"). A fresh writer connection drops it.
  const freshWriter = async () => {
    writer.reconnect();
    await writer.execute("PRAGMA foreign_keys = ON");
  };

  async function gated<T>(step: () => Promise<T>): Promise<T> {
    const release = await gate.acquire(gateWaitMs);
    try {
      return await whileBusy(step, retryMs, freshWriter);
    } finally {
      release();
    }
  }

  const client: Client & { gate: WriteGate } = {
    gate,
    execute: ((stmt: InStatement | string, args?: InArgs): Promise<ResultSet> => {
      const run = (c: Client) => (typeof stmt === "string" ? c.execute(stmt, args) : c.execute(stmt));
      if (readClient && isReadOnly(sqlOf(stmt))) return whileBusy(() => run(readClient), retryMs);
      // A lone write runs inside BEGIN IMMEDIATE: if another process holds the lock it fails at BEGIN,
      // before any statement starts. (A statement stopped half-way by BUSY stays "in progress" on
      // the connection and makes every later COMMIT fail.)
      const one: InStatement = typeof stmt === "string" ? { sql: stmt, args: args ?? [] } : stmt;
      if (/^\s*pragma\b/i.test(one.sql)) return gated(() => writer.execute(one));
      return gated(async () => (await writer.batch([one], "write"))[0]!);
    }) as Client["execute"],
    batch: (stmts, mode) => {
      if (mode === "read" && readClient) return whileBusy(() => readClient.batch(stmts, "read"), retryMs);
      return gated(() => writer.batch(stmts, mode === "read" ? "read" : "write"));
    },
    migrate: (stmts) => gated(() => writer.migrate(stmts)),
    transaction: async (mode?: TransactionMode) => {
      if (mode === "read" && readClient) return readClient.transaction("read");
      const release = await gate.acquire(gateWaitMs);
      try {
        // BEGIN IMMEDIATE: the write lock is taken at the start, so no later statement can meet BUSY.
        const tx = await whileBusy(() => writer.transaction(mode === "read" ? "read" : "write"), retryMs, freshWriter);
        return gatedTransaction(tx, release);
      } catch (e) {
        release();
        throw e;
      }
    },
    executeMultiple: (sql) => gated(() => writer.executeMultiple(sql)),
    sync: () => writer.sync(),
    close: () => {
      writer.close();
      reader?.close();
    },
    reconnect: () => {
      writer.reconnect();
      reader?.reconnect();
    },
    get closed() {
      return writer.closed;
    },
    get protocol() {
      return writer.protocol;
    },
  };
  return client;
}

/** Opens the embedded database: `file:…` (WAL, a reader pool) or `:memory:` (one connection). */
export async function openEmbedded(url: string, opts: EmbeddedOptions = {}) {
  const inMemory = url === ":memory:" || url === "file::memory:";
  const busySliceMs = opts.busySliceMs ?? 50;
  const writer = createClient({ url, concurrency: 1, timeout: busySliceMs });
  // Once, on the only writer connection: settings that are per connection apply to every write.
  await whileBusy(() => writer.execute("PRAGMA foreign_keys = ON"), opts.busyRetryMs ?? 30_000);
  if (!inMemory) await whileBusy(() => writer.execute("PRAGMA journal_mode = WAL"), opts.busyRetryMs ?? 30_000);
  const reader = inMemory ? null : createClient({ url, concurrency: opts.readers ?? 4, timeout: busySliceMs });
  return gateWrites(writer, reader, opts);
}
