import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error type: a code, a status, a message a clerk can act on, optional details. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

export const notFound = (what = "资源") => new AppError(404, "not_found", `${what}不存在或无权访问`);
export const forbidden = (message: string) => new AppError(403, "forbidden", message);
export const conflict = (message: string, details: unknown[] = []) =>
  new AppError(409, "conflict", message, details);
export const badRequest = (message: string, details: unknown[] = []) =>
  new AppError(400, "validation_error", message, details);

/** An upload with bad rows: nothing was written; the details list every bad row by its number. */
export const importInvalid = (errors: { row: number }[], nothingDone: string) =>
  new AppError(400, "import_invalid", `文件有 ${new Set(errors.map((e) => e.row)).size} 行错误，${nothingDone}；请修改后重新上传`, errors);
