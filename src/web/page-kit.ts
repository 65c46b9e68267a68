// What every page of the web UI shares: the request's clerk, the API call, messages and redirects.
import type { RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Db } from "../db/client";
import type { Role } from "../domain/roles";
import { ROLE_LABELS } from "../domain/roles";
import type { Actor } from "../lib/types";
import { callRoute, type ApiCall, type ApiFetch, type ApiResult, type ResponseOf } from "./api-client";
import type { Who } from "./layout";
import { siteOrigins, type SiteOptions } from "./site";

/** The clerk as the header shows it. */
export interface Me {
  role: Role;
  org: { id: string; name: string };
}
/** The clerk is resolved from the token once per request (ui.tsx), then every API call acts for it. */
export type UiEnv = { Variables: { actor: Actor; me: Me; site: SiteOptions } };
export type UiContext = Context<UiEnv>;

export interface UiDeps {
  db: Db;
  fetchApi: ApiFetch;
  now: () => Date;
  site?: SiteOptions;
}

export interface PageKit {
  db: Db;
  now: () => Date;
  /** One route of the JSON API, called in-process for the request's clerk; the answer typed by the route. */
  api<R extends RouteConfig>(c: UiContext, route: R, call?: ApiCall<R>): Promise<ApiResult<ResponseOf<R>>>;
  /** The API's raw answer to a path (file downloads), for the request's clerk. */
  raw(c: UiContext, path: string): Promise<Response>;
}

export function pageKit({ db, fetchApi, now }: UiDeps): PageKit {
  return {
    db,
    now,
    api: (c, route, call) => callRoute(fetchApi, c.get("actor"), route, call),
    raw: (c, path) => fetchApi(c.get("actor"), path),
  };
}

/** "某市人民政府（主管单位）" for the header, with the role its nav is cut to. */
export const who = (c: UiContext): Who => ({ label: `${c.get("me").org.name}（${ROLE_LABELS[c.get("me").role]}）`, role: c.get("me").role });

/** The message a redirect carried (?ok= or ?err=). */
export function message(c: Context): { kind: "err" | "info"; text: string } | undefined {
  const err = c.req.query("err");
  const ok = c.req.query("ok");
  return err ? { kind: "err", text: err } : ok ? { kind: "info", text: ok } : undefined;
}

/** Where to go after a form post, with the outcome to show there. */
export const back = (path: string, ok: boolean, text: string) => `${path}${path.includes("?") ? "&" : "?"}${ok ? "ok" : "err"}=${encodeURIComponent(text)}`;

/** Same-origin check for form posts (with the SameSite=Strict cookie, a cross-site form cannot act). */
export function sameOrigin(c: UiContext): boolean {
  const origin = c.req.header("origin");
  return !origin || siteOrigins(c, c.get("site") ?? {}).includes(origin);
}

/** An instant as Beijing time, "2026-11-22 23:59". */
export const beijing = (iso: string | null | undefined) =>
  iso ? new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ") : "—";
