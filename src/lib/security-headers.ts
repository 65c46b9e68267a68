// Response headers for every answer: pages, API, docs, errors.
import { secureHeaders } from "hono/secure-headers";

/**
 * Scripts and styles come only from this origin: the UI has no scripts at all, the API reference's
 * script and both stylesheets are served as files, and no page uses inline `style` attributes, so
 * neither script-src nor style-src needs 'unsafe-inline'. (The docs script sets element.style from
 * JavaScript, which CSP does not restrict.) Nothing may frame the app.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export const securityHeaders = secureHeaders({
  contentSecurityPolicy: CONTENT_SECURITY_POLICY,
  xFrameOptions: "DENY",
  // Not no-referrer: under that policy browsers send "Origin: null" on form posts, which the
  // same-origin check of the web UI would refuse.
  referrerPolicy: "same-origin",
  // HSTS is for the TLS-terminating proxy to decide; sent from here it would also bind hosts that
  // are deliberately served over http on an intranet.
  strictTransportSecurity: false,
});
