// The kept week counts (week_tallies) are a cache of posts: whatever is read from them must equal a
// fresh count, and any change to a week's posts must drop that week's kept row.
import { beforeEach, describe, expect, it } from "vitest";
import { keptWeekTallies, weekTallies } from "../../src/db/queries/compliance";
import { EMPTY_TALLY, type WeekTally } from "../../src/domain/compliance";
import { parseWeekId, weekRange, type Week } from "../../src/domain/weeks";
import { makeTestApp, type TestApp } from "../helpers";

const ALL = { pushes: true, days: true, originals: true };
const weeks = weekRange(parseWeekId("2026-W40")!, parseWeekId("2026-W47")!);
/** Monday 2026-11-23 01:00 Beijing: W40–W47 are over. */
const KEEP_AT = new Date("2026-11-22T17:00:00Z");

let t: TestApp;
let n = 0;
const post = (account: string, iso: string, opts: { repost?: boolean; backfill?: boolean } = {}) => {
  const id = `p${++n}`;
  return t.client.execute({
    sql: "INSERT INTO posts (id, account_id, identity, title, published_at, date_source, source, first_seen_at, repost, backfill) VALUES (?,?,?,?,?,?,?,?,?,?)",
    args: [id, account, id, "t", new Date(iso).toISOString(), "given", "api", new Date(iso).toISOString(), opts.repost ? 1 : 0, opts.backfill ? 1 : 0],
  }).then(() => id);
};
const keptRows = async () => Number((await t.client.execute("SELECT count(*) AS n FROM week_tallies")).rows[0]!.n);
const keptRow = async (account: string, monday: string) =>
  (await t.client.execute({ sql: "SELECT items FROM week_tallies WHERE account_id = ? AND week = ?", args: [account, monday] })).rows[0]?.items;

/** Both answers with every week spelled out (an absent account has only empty weeks). */
const full = (m: Map<string, WeekTally[]>, ids: string[], ws: readonly Week[]) => ids.map((id) => m.get(id) ?? ws.map(() => EMPTY_TALLY));

async function expectSameAsFresh(ids: string[], keepAt?: Date, ws: readonly Week[] = weeks) {
  const kept = await keptWeekTallies(t.db, ids, ws, ALL, keepAt);
  const fresh = await weekTallies(t.db, ids, ws, ALL);
  expect(full(kept, ids, ws)).toEqual(full(fresh, ids, ws));
  return kept;
}

beforeEach(async () => {
  t = await makeTestApp();
  n = 0;
});

describe("kept week counts", () => {
  it("equal a fresh count, keep a row for every account and finished week (zeros too), and are read back unchanged", async () => {
    // A three-article push, a repost, posts on two days, a backfill post, an account without posts.
    for (const iso of ["2026-11-18T09:00:00+08:00", "2026-11-18T09:00:30+08:00", "2026-11-18T09:00:50+08:00"]) await post("a", iso);
    await post("a", "2026-11-20T10:00:00+08:00", { repost: true });
    await post("a", "2026-11-22T23:59:59.999+08:00");
    await post("a", "2026-10-01T08:00:00+08:00", { backfill: true });
    await post("b", "2026-10-05T12:00:00+08:00");
    await post("b", "2026-11-16T00:00:00+08:00");
    const kept = await expectSameAsFresh(["a", "b", "c"], KEEP_AT);
    expect(kept.get("a")!.at(-1)).toMatchObject({ items: 5, originalItems: 4, pushes: 3, days: 3 });
    expect(await keptRows()).toBe(3 * weeks.length);
    expect(await keptRow("c", "2026-11-16")).toBe(0);
    // A second read finds every row kept and rewrites none.
    const before = await t.client.execute("SELECT * FROM week_tallies ORDER BY account_id, week");
    await expectSameAsFresh(["a", "b", "c"], KEEP_AT);
    const after = await t.client.execute("SELECT * FROM week_tallies ORDER BY account_id, week");
    expect(after.rows).toEqual(before.rows);
  });

  it("drops the row of a week whose posts change (insert, repost or backfill flag, date moved, delete) and counts it again", async () => {
    const first = await post("a", "2026-11-17T09:00:00+08:00");
    await post("a", "2026-11-10T09:00:00+08:00");
    await expectSameAsFresh(["a"], KEEP_AT);
    expect(await keptRow("a", "2026-11-16")).toBe(1);

    await post("a", "2026-11-19T09:00:00+08:00"); // a late import into a finished week
    expect(await keptRow("a", "2026-11-16")).toBeUndefined();
    expect(await keptRow("a", "2026-11-09")).toBe(1);
    expect((await expectSameAsFresh(["a"], KEEP_AT)).get("a")!.at(-1)!.items).toBe(2);

    await t.client.execute({ sql: "UPDATE posts SET repost = 1 WHERE id = ?", args: [first] });
    expect(await keptRow("a", "2026-11-16")).toBeUndefined();
    expect((await expectSameAsFresh(["a"], KEEP_AT)).get("a")!.at(-1)!.originalItems).toBe(1);

    await t.client.execute({ sql: "UPDATE posts SET backfill = 1 WHERE id = ?", args: [first] });
    expect(await keptRow("a", "2026-11-16")).toBeUndefined();
    expect((await expectSameAsFresh(["a"], KEEP_AT)).get("a")!.at(-1)!.items).toBe(1);

    // Moved to W46: both weeks' rows go.
    await t.client.execute({ sql: "UPDATE posts SET backfill = 0, published_at = ? WHERE id = ?", args: [new Date("2026-11-11T09:00:00+08:00").toISOString(), first] });
    await expectSameAsFresh(["a"], KEEP_AT);
    expect(await keptRow("a", "2026-11-09")).toBe(2);
    await t.client.execute({ sql: "DELETE FROM posts WHERE id = ?", args: [first] });
    expect(await keptRow("a", "2026-11-09")).toBeUndefined();
    expect((await expectSameAsFresh(["a"], KEEP_AT)).get("a")!.at(-2)!.items).toBe(1);
  });

  it("keeps nothing for a week not yet over, nor for a reader that keeps nothing, and still counts them right", async () => {
    await post("a", "2026-11-24T09:00:00+08:00"); // W48, running at KEEP_AT
    const withCurrent = [...weeks, parseWeekId("2026-W48")!];
    const kept = await expectSameAsFresh(["a"], KEEP_AT, withCurrent);
    expect(kept.get("a")!.at(-1)!.items).toBe(1);
    expect(await keptRow("a", "2026-11-23")).toBeUndefined();
    expect(await keptRows()).toBe(weeks.length);
    t = await makeTestApp();
    await post("a", "2026-11-17T09:00:00+08:00");
    await expectSameAsFresh(["a"]);
    expect(await keptRows()).toBe(0);
  });

  it("matches a fresh count for random posts across weeks, before and after random changes", async () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ids = ["a", "b", "c", "d"];
    const start = weeks[0]!.start.getTime();
    const span = weeks.at(-1)!.end.getTime() - start + 3 * 86_400_000;
    const made: string[] = [];
    for (let i = 0; i < 300; i++) made.push(await post(ids[Math.floor(rnd() * 4)]!, new Date(start - 86_400_000 + Math.floor(rnd() * span)).toISOString(), { repost: rnd() < 0.2, backfill: rnd() < 0.05 }));
    await expectSameAsFresh(ids, KEEP_AT);
    for (let i = 0; i < 40; i++) {
      const id = made[Math.floor(rnd() * made.length)]!;
      const r = rnd();
      if (r < 0.3) await t.client.execute({ sql: "DELETE FROM posts WHERE id = ?", args: [id] });
      else if (r < 0.6) await t.client.execute({ sql: "UPDATE posts SET repost = 1 - repost WHERE id = ?", args: [id] });
      else await post(ids[Math.floor(rnd() * 4)]!, new Date(start + Math.floor(rnd() * span)).toISOString());
    }
    await expectSameAsFresh(ids, KEEP_AT);
    await expectSameAsFresh(ids);
  });
});
