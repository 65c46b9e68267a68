/** RFC 5987 value: percent-encodes everything outside attr-char (encodeURIComponent leaves ' ( ) * alone). */
function rfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Headers must be ASCII: an ASCII fallback name, and the Chinese name as filename* (RFC 6266). */
export function contentDisposition(ascii: string, name: string, kind: "inline" | "attachment" = "attachment"): string {
  return `${kind}; filename="${ascii.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${rfc5987(name)}`;
}
