// Where the web UI is really served from. Behind a TLS-terminating proxy the app sees plain http on
// an internal address, so the browser's origin comes from PUBLIC_URL or, when the proxy is trusted,
// from its X-Forwarded-* headers.
import type { Context } from "hono";

export interface SiteOptions {
  /** The address users open, e.g. https://govmedia.example.gov.cn (PUBLIC_URL). */
  publicUrl?: string;
  /** Believe X-Forwarded-Proto / X-Forwarded-Host (TRUST_PROXY=true): only when a proxy sets them. */
  trustProxy?: boolean;
}

/** The first value of a proxy header ("https, http" after two hops: the client-facing one is first). */
function forwarded(c: Context, name: string): string | undefined {
  return c.req.header(name)?.split(",")[0]?.trim().toLowerCase() || undefined;
}

/** Whether the browser reached us over https: the session cookie is then marked Secure. */
export function isHttps(c: Context, site: SiteOptions): boolean {
  if (site.publicUrl?.toLowerCase().startsWith("https:")) return true;
  if (site.trustProxy && forwarded(c, "x-forwarded-proto") === "https") return true;
  return new URL(c.req.url).protocol === "https:";
}

/** Origins a same-site form post may carry: this request's own, PUBLIC_URL's, and the proxy's view. */
export function siteOrigins(c: Context, site: SiteOptions): string[] {
  const own = new URL(c.req.url);
  const origins = [own.origin];
  if (site.publicUrl) origins.push(new URL(site.publicUrl).origin);
  if (site.trustProxy) {
    const proto = forwarded(c, "x-forwarded-proto");
    const host = forwarded(c, "x-forwarded-host") ?? c.req.header("host");
    if ((proto === "https" || proto === "http") && host) {
      // Through URL so "host:443" compares equal to the browser's "https://host".
      const origin = URL.parse(`${proto}://${host}`)?.origin;
      if (origin) origins.push(origin);
    }
  }
  return origins;
}
