export function newId(): string {
  return crypto.randomUUID();
}

/** A random bearer secret: 32 bytes, base64url, with a recognisable prefix. */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return "gm_" + btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Secrets are long and random, so one SHA-256 round is enough (no password stretching needed). */
export async function hashSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export { fnv1a64 } from "../domain/hash";
