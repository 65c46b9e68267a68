// The Worker's cron triggers are the job registry's UTC schedules: a job whose utcCron is missing
// from wrangler.toml would never run on Workers, and a stray trigger would run nothing.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JOBS } from "../jobs";

function wranglerCrons(): string[] {
  const toml = readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8");
  const m = /^\s*crons\s*=\s*\[([^\]]*)\]/m.exec(toml);
  if (!m) throw new Error("wrangler.toml has no [triggers] crons");
  return [...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
}

describe("schedules", () => {
  it("wrangler.toml cron triggers equal the job registry's utcCron values", () => {
    const registry = Object.values(JOBS).map((j) => j.utcCron);
    expect([...wranglerCrons()].sort()).toEqual([...new Set(registry)].sort());
  });

  it("each job's Beijing schedule and UTC schedule name the same moments (8 hours apart)", () => {
    // Check the hour field only where both are fixed hours; minutes and day fields must agree
    // except where the day shifts across midnight (evaluate-week: Monday 01:00 = Sunday 17:00).
    for (const [name, job] of Object.entries(JOBS)) {
      const [bm, bh] = job.cron.split(" ");
      const [um, uh] = job.utcCron.split(" ");
      expect(um, name).toBe(bm);
      if (/^\d+$/.test(bh!) && /^\d+$/.test(uh!)) expect((Number(uh) + 8) % 24, name).toBe(Number(bh));
      else expect(uh, name).toBe(bh);
    }
  });
});
