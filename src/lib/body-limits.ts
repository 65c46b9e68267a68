// Request-size limits for every route, applied before anything reads a body: a declared
// Content-Length over the limit is refused from the headers, and a chunked body is counted by Hono's
// bodyLimit as it streams in and refused the moment it passes the limit. At most the limit is ever
// held in memory. Refusals answer 413 with the shared error shape.
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorBody } from "./create-app";

const MB = 1024 * 1024;

/** JSON bodies of the API and form posts of the web UI (login included). */
export const FORM_BODY_LIMIT = 1 * MB;
/** The largest CSV/XLSX file accepted by an import. */
export const UPLOAD_FILE_LIMIT = 10 * MB;
/** An upload's whole body: the file plus room for the multipart envelope (boundaries, part headers). */
export const UPLOAD_BODY_LIMIT = UPLOAD_FILE_LIMIT + 64 * 1024;

/**
 * After refusing, the rest of the body is read and thrown away (up to these bounds) before the 413
 * goes out. Closing a connection with unread data makes TCP send a reset, and the client then shows
 * "connection reset" instead of our message; discarding costs time, not memory.
 */
const DISCARD_MS = 2_000;
const DISCARD_BYTES = 64 * MB;

// Every route that reads a file (readUpload, or formData in the web UI). Checked against the
// OpenAPI document by test/body-limits.test.ts, so a new import route cannot be missed silently.
const UPLOAD_PATHS: readonly RegExp[] = [
  /^\/api\/accounts\/import$/,
  /^\/api\/accounts\/[^/]+\/posts\/import$/,
  /^\/api\/sampling-rounds\/[^/]+\/inspections\/import$/,
  /^\/api\/word-rules\/import$/,
  /^\/import$/,
  /^\/sampling\/[^/]+\/import$/,
  /^\/accounts\/[^/]+\/posts\/import$/,
];

export const isUploadPath = (path: string) => UPLOAD_PATHS.some((re) => re.test(path));

const tooLarge = (message: string) => (c: Context) => c.json(errorBody("too_large", message), 413);
const formTooLarge = tooLarge(`请求内容超过 ${FORM_BODY_LIMIT / MB} MB，已拒绝`);
const uploadTooLarge = tooLarge(`上传文件超过 ${UPLOAD_FILE_LIMIT / MB} MB，请拆分后上传`);
const formLimit = bodyLimit({ maxSize: FORM_BODY_LIMIT, onError: formTooLarge });
const uploadLimit = bodyLimit({ maxSize: UPLOAD_BODY_LIMIT, onError: uploadTooLarge });

/** Reads and drops what is left of a web body stream, within the bounds above. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), DISCARD_MS)));
  try {
    for (let read = 0; read <= DISCARD_BYTES; ) {
      const r = await Promise.race([reader.read(), timeout]);
      if (r === "timeout" || r.done) break;
      read += r.value.byteLength;
    }
  } catch {
    // The client went away: nothing left to protect.
  } finally {
    clearTimeout(timer);
  }
}

/** The Node request (@hono/node-server passes it as env.incoming): as much as we use of it. */
interface NodeIncoming {
  on(event: "data", fn: (chunk: { length: number }) => void): void;
  once(event: "end" | "close" | "error", fn: () => void): void;
  resume(): void;
}

/** On Node, drops the unread body straight off the socket: no copies into a web stream, RSS stays flat. */
function discardNode(incoming: NodeIncoming) {
  return new Promise<void>((resolve) => {
    let read = 0;
    const timer = setTimeout(resolve, DISCARD_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    incoming.on("data", (chunk) => {
      read += chunk.length;
      if (read > DISCARD_BYTES) done();
    });
    for (const event of ["end", "close", "error"] as const) incoming.once(event, done);
    incoming.resume();
  });
}

export const limitBodies: MiddlewareHandler = async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD") return next();
  const upload = isUploadPath(c.req.path);
  const refuse = upload ? uploadTooLarge : formTooLarge;
  const declared = c.req.header("content-length");
  if (declared !== undefined && !c.req.header("transfer-encoding")) {
    // Decided from the header alone; the body stream is not even opened (on Node that keeps the
    // socket free to be drained directly).
    if (Number(declared) <= (upload ? UPLOAD_BODY_LIMIT : FORM_BODY_LIMIT)) return next();
    const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
    if (typeof incoming?.resume === "function") await discardNode(incoming);
    else if (c.req.raw.body) await discard(c.req.raw.body.getReader());
    return refuse(c);
  }
  const body = c.req.raw.body;
  if (!body) return next();
  // Streamed (chunked): Hono's bodyLimit counts it, reading through a pass-through so that, if it
  // stops at the limit, the rest can still be discarded before the 413 goes out.
  const source = body.getReader();
  let ended = false;
  const passThrough = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const r = await source.read();
      if (r.done) {
        ended = true;
        controller.close();
      } else controller.enqueue(r.value);
    },
    cancel: (reason) => source.cancel(reason),
  });
  c.req.raw = new Request(c.req.raw, { body: passThrough, duplex: "half" } as RequestInit);
  const res = await (upload ? uploadLimit : formLimit)(c, next);
  // bodyLimit reads a streamed body to its end before passing it on: stopping short means it refused.
  if (!ended) await discard(source);
  return res;
};
