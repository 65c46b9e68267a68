// What every page of the web UI shares: the request's clerk, the API call, messages and redirects.
import type { Context } from "hono";
import type { Role } from "../domain/roles";
import { ROLE_LABELS } from "../domain/roles";
import { callApi, type ApiFetch, type ApiResult } from "./api-client";
import { siteOrigins, type SiteOptions } from "./site";

export type UiEnv = { Variables: { token: string; me: { role: Role; org: { id: string; name: string } }; site: SiteOptions } };
export type UiContext = Context<UiEnv>;

export interface PageKit {
  fetchApi: ApiFetch;
  now: () => Date;
  /** The JSON API, called in-process with the clerk's token. */
  api<T = any>(c: UiContext, path: string, init?: { method?: string; body?: unknown }): Promise<ApiResult<T>>;
}

export function pageKit(fetchApi: ApiFetch, now: () => Date): PageKit {
  return { fetchApi, now, api: (c, path, init) => callApi(fetchApi, c.get("token"), path, init) };
}

/** "某市人民政府（主管单位）" for the header. */
export const who = (c: UiContext) => `${c.get("me").org.name}（${ROLE_LABELS[c.get("me").role]}）`;

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
