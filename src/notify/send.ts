// Sends one built webhook request. Never throws: every outcome is a result the delivery job can
// store (status, error) and retry later. The fetch function is injected so callers can pass a
// guarded fetch (SSRF filter on Node) or the Worker's global fetch.
import { interpretResponse, isValidWebhookUrl, type OutgoingRequest, type WebhookKind } from "./formats";
import { maskWebhookUrl } from "./mask-url";

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface SendResult {
  ok: boolean;
  /** The HTTP status, when a response arrived. */
  status?: number;
  error?: string;
}

/** Robots answer with a few hundred bytes; a receiver streaming more is not read further. */
export const RESPONSE_READ_LIMIT = 64 * 1024;

export async function sendWebhook(
  fetchImpl: FetchLike,
  kind: WebhookKind,
  req: OutgoingRequest,
  timeoutMs = 10_000,
): Promise<SendResult> {
  // Checked here, not only in the form: fetch would happily "POST" to a data: URL and call it delivered.
  // The error is stored and shown: never the URL itself, which is the robot's credential.
  if (!isValidWebhookUrl(req.url)) return { ok: false, error: `无效的 Webhook 地址（只支持 http/https）：${maskWebhookUrl(req.url)}` };
  const controller = new AbortController();
  const timeoutError = `请求超时（${timeoutMs} 毫秒内未完成）`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Raced as well as passed as the signal: an injected fetch that ignores the signal still cannot hang us.
  const timeout = new Promise<SendResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, error: timeoutError });
    }, timeoutMs);
  });

  const attempt = (async (): Promise<SendResult> => {
    let status: number | undefined;
    try {
      const res = await fetchImpl(req.url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", ...req.headers },
        body: req.body,
        signal: controller.signal,
        // A webhook that redirects is misconfigured; following it would re-send the body elsewhere.
        redirect: "manual",
      });
      status = res.status;
      const text = await readLimited(res, RESPONSE_READ_LIMIT);
      const verdict = interpretResponse(kind, res.status, text);
      return verdict.ok
        ? { ok: true, status }
        : { ok: false, status, error: verdict.error ?? `HTTP ${status}` };
    } catch (err) {
      if (controller.signal.aborted) return { ok: false, status, error: timeoutError };
      return { ok: false, status, error: `发送失败：${describeError(err)}` };
    }
  })();

  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readLimited(res: Response, limit: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  while (total < limit) {
    const r = await reader.read();
    if (r.done) {
      done = true;
      break;
    }
    const piece = r.value.subarray(0, limit - total);
    chunks.push(piece);
    total += piece.length;
  }
  if (!done) reader.cancel().catch(() => {});
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

/** Node's fetch says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND …) is in `cause`. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause && typeof cause === "object") {
    const c = cause as { code?: unknown; message?: unknown };
    const detail = typeof c.code === "string" ? c.code : typeof c.message === "string" ? c.message : "";
    if (detail) return `${err.message}（${detail}）`;
  }
  return err.message;
}
