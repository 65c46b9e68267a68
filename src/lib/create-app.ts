import { OpenAPIHono, z } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { AppError } from "./errors";
import { fieldLabel, issueText, plainIssue } from "./field-labels";
import type { AppEnv } from "./types";

// Zod messages in plain Chinese: clerks read them ("必填", "该日期不存在"), zod's own zh-CN wording as the fallback.
const zhCN = z.locales.zhCN();
z.config({ localeError: (issue) => plainIssue(issue) ?? zhCN.localeError(issue) });

/** Each issue with its field's key (forms put the message beside that field) and its Chinese label. */
export function zodDetails(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join("."), label: fieldLabel(i.path), message: i.message }));
}

/** "请求参数有误：开设日期：该日期不存在" — the first problem, by the field's label, never its key. */
export function validationMessage(details: { path: string; message: string }[]): string {
  const first = details[0];
  if (!first) return "请求参数有误";
  const more = details.length > 1 ? `（另有 ${details.length - 1} 处）` : "";
  return `请求参数有误：${issueText(first.path, first.message)}${more}`;
}

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = zodDetails(result.error);
        return c.json({ error: { code: "validation_error", message: validationMessage(details), details } }, 400);
      }
    },
  });
}

const ISO_INSTANT = /\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g;

/** A stored instant inside a message ("已于 2026-12-01T19:45:36.007Z 审核") as the clerk's clock reads it: "2026-12-02 03:45". */
export function beijingTimes(message: string): string {
  return message.replace(ISO_INSTANT, (m) => {
    const t = new Date(m).getTime();
    return Number.isNaN(t) ? m : new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
  });
}

export function errorBody(code: string, message: string, details: unknown[] = []) {
  return { error: { code, message, details } };
}

/**
 * The columns of the unique index a write ran into, as SQLite names them
 * ("accounts.platform, accounts.platform_id"), or undefined if the error is not a unique violation.
 */
export function uniqueViolation(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const m = /UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)/.exec(e.message);
    if (m) return m[1] ?? "";
    if (/UNIQUE constraint failed/.test(e.message)) return "";
  }
  return undefined;
}

// Two requests raced past the friendly check; the unique index still holds the rule. Keyed by the
// index's columns (src/db/schema). The other unique indexes are written with ON CONFLICT (sampling
// rounds, inspections, posts, alerts, deliveries) or on random keys, so they get the generic wording.
const UNIQUE_MESSAGES: Record<string, string> = {
  "accounts.platform, accounts.platform_id": "该平台账号ID已被另一个在用账号登记（并发提交）",
};
const UNIQUE_GENERIC = "与已有记录重复（并发提交），请刷新后重试";

export const uniqueViolationMessage = (columns: string) => UNIQUE_MESSAGES[columns] ?? UNIQUE_GENERIC;

/** The embedded database's write gate or lock could not be had in time (by code, not by class: lib stays runtime-neutral). */
function isDatabaseBusy(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "DATABASE_BUSY" || (typeof code === "string" && code.startsWith("SQLITE_BUSY"))) return true;
  }
  return false;
}

export function installErrorHandling(app: OpenAPIHono<AppEnv>) {
  app.onError((err, c) => {
    if (err instanceof AppError) return c.json(errorBody(err.code, beijingTimes(err.message), err.details), err.status);
    if (err instanceof z.ZodError) {
      const details = zodDetails(err);
      return c.json(errorBody("validation_error", validationMessage(details), details), 400);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const message = status === 413 ? "上传内容过大" : status === 400 ? "请求格式有误（JSON 无法解析）" : err.message;
      const code = status === 400 ? "bad_request" : status === 413 ? "too_large" : "http_error";
      return c.json(errorBody(code, message), status);
    }
    if (isDatabaseBusy(err)) {
      // Another process held the database for longer than the write retries last: nothing was written.
      c.header("Retry-After", "5");
      return c.json(errorBody("busy", "系统正忙（数据库正被其他任务占用），本次操作未保存，请稍后重试"), 503);
    }
    const unique = uniqueViolation(err);
    if (unique !== undefined) return c.json(errorBody("conflict", uniqueViolationMessage(unique)), 409);
    if (err instanceof SyntaxError) return c.json(errorBody("bad_request", "请求格式有误（JSON 无法解析）"), 400);
    console.error("unhandled error", err);
    return c.json(errorBody("internal_error", "服务器内部错误，请稍后重试"), 500);
  });
  app.notFound((c) => c.json(errorBody("not_found", "接口不存在"), 404));
}
