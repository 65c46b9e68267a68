// The web UI reads and writes through the JSON API in-process, with the clerk's token: every rule
// (visibility, roles, validation) stays in one place.
import type { Context } from "hono";
import { getCookie } from "hono/cookie";

export const TOKEN_COOKIE = "gm_token";

export type ApiFetch = (path: string, init?: RequestInit) => Promise<Response>;

export interface ApiResult<T> {
  status: number;
  body: T;
}

export function tokenOf(c: Context): string | undefined {
  return getCookie(c, TOKEN_COOKIE);
}

export async function callApi<T = any>(
  fetchApi: ApiFetch,
  token: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<ApiResult<T>> {
  const res = await fetchApi(path, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as T) : (null as T) };
}
