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
