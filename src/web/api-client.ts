// The web UI reads and writes through the JSON API in-process, for the clerk resolved once per
// request: every rule (visibility, roles, validation) stays in one place. A call names the route
// definition itself, so its path and method come from the contract and its answer is typed by the
// route's response schema.
import type { RouteConfig, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { ErrorSchema } from "../lib/schemas";
import type { Actor } from "../lib/types";

export const TOKEN_COOKIE = "gm_token";

/** The JSON API in-process, on behalf of an actor already resolved from its token. */
export type ApiFetch = (actor: Actor, path: string, init?: RequestInit) => Promise<Response>;

type JsonOf<R> = R extends { content: { "application/json": { schema: infer S extends z.ZodType } } } ? z.output<S> : never;
type RequestOf<R> = R extends { request?: infer Q } ? NonNullable<Q> : never;
type FieldsOf<S, V> = S extends z.ZodType ? { [K in keyof z.input<S>]?: V } : never;

/** The body of a route's success answer (its 200 or 201 response schema). */
export type ResponseOf<R extends RouteConfig> =
  | (R["responses"] extends { 200: infer A } ? JsonOf<A> : never)
  | (R["responses"] extends { 201: infer B } ? JsonOf<B> : never);
export type ApiError = z.output<typeof ErrorSchema>;

/** A 2xx answer with the route's body, or any other with the shared error body. */
export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; body: ApiError };

/** Path parameters and query of a call, by the route's own names; a JSON body or an upload. */
export interface ApiCall<R extends RouteConfig> {
  params?: FieldsOf<RequestOf<R> extends { params: infer P } ? P : never, string>;
  query?: FieldsOf<RequestOf<R> extends { query: infer Q } ? Q : never, string | number | undefined>;
  body?: unknown;
}

export function tokenOf(c: Context): string | undefined {
  return getCookie(c, TOKEN_COOKIE);
}

/** Calls one API route for the actor. */
export async function callRoute<R extends RouteConfig>(fetchApi: ApiFetch, actor: Actor, route: R, call: ApiCall<R> = {}): Promise<ApiResult<ResponseOf<R>>> {
  const params: Record<string, string | undefined> = call.params ?? {};
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""));
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries<string | number | undefined>(call.query ?? {})) if (v !== undefined) query.set(k, String(v));
  const init: RequestInit = { method: route.method.toUpperCase() };
  if (call.body instanceof FormData) init.body = call.body;
  else if (call.body !== undefined) {
    init.body = JSON.stringify(call.body);
    init.headers = { "content-type": "application/json" };
  }
  const res = await fetchApi(actor, `/api${path}${query.size ? `?${query}` : ""}`, init);
  const text = await res.text();
  const body: unknown = text ? JSON.parse(text) : null;
  // Handlers are typed against these schemas (RouteHandler<route>), so the body is taken as given.
  return res.ok ? { ok: true, status: res.status, body: body as ResponseOf<R> } : { ok: false, status: res.status, body: body as ApiError };
}
