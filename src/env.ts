import { z } from "zod";

// Read and validated once; nothing else reads process.env or the Worker's env directly.
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).default("file:data/govmedia.db"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  /** Comma-separated hosts/IPs the feed fetcher may reach even if private (docs/规则依据.md#对外接口约定). */
  FEED_ALLOW_HOSTS: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean) : [])),
  /** Comma-separated hosts/IPs webhook URLs may point at even if private (an intranet robot gateway). */
  WEBHOOK_ALLOW_HOSTS: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean) : [])),
  /** The address users open (https://… behind a TLS proxy): session cookies are then marked Secure. */
  PUBLIC_URL: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v), // an empty setting means unset
    z
      .string()
      .trim()
      .url("应为网址，如 https://govmedia.example.gov.cn")
      .refine((u) => /^https?:\/\//i.test(u), "只支持 http/https 地址")
      .optional(),
  ),
  /** "true" only behind a reverse proxy that sets X-Forwarded-Proto/Host: they are believed then. */
  TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((s) => s === "true"),
  /** Set to "false" to serve without running the scheduled jobs in-process. */
  RUN_JOBS: z
    .enum(["true", "false"])
    .default("true")
    .transform((s) => s === "true"),
});
export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`配置错误 (invalid environment):\n${lines.join("\n")}`);
  }
  return result.data;
}
