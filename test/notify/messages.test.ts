import { describe, expect, it } from "vitest";
import { formatShanghaiDateTime } from "../../src/domain/weeks";
import { midweekReminderNotice, vetoNotice, weeklyDigestNotice } from "../../src/notify/messages";

describe("weeklyDigestNotice", () => {
  const notice = weeklyDigestNotice({
    orgName: "某某市市场监督管理局",
    weekId: "2026-W47",
    accounts: [
      { name: "某某市场监管", platformLabel: "微信公众号", posts: 5, required: 3, status: "compliant" },
      { name: "某某市场监管", platformLabel: "微博", posts: 1, required: 3, status: "below" },
      { name: "某某质量检测", platformLabel: "抖音", posts: 0, required: 1, status: "below" },
      { name: "某某消费维权", platformLabel: "头条号", posts: 0, required: 1, status: "unknown" },
      { name: "某某市场监管", platformLabel: "移动客户端", posts: 0, required: 3, status: "exempt" },
      { name: "某某知识产权", platformLabel: "百家号", posts: 2, required: 1, status: "compliant" },
    ],
    openAlerts: [{ accountName: "某某质量检测", kindLabel: "两周未更新" }],
    link: "https://govmedia.example.cn/weeks/2026-W47",
  });

  it("has a Chinese title with the unit and the week", () => {
    expect(notice.event).toBe("weekly_digest");
    expect(notice.title).toBe("【政务新媒体周报】某某市市场监督管理局 2026-W47");
    expect(notice.link).toBe("https://govmedia.example.cn/weeks/2026-W47");
  });

  it("counts each status and lists the accounts that need attention", () => {
    expect(notice.lines).toEqual([
      "共 6 个账号：达标 2 / 未达标 2 / 无法判断 1 / 免于考核 1",
      "未达标账号（2）：",
      "· 某某市场监管（微博）：本周更新 1 次，要求 3 次",
      "· 某某质量检测（抖音）：本周更新 0 次，要求 1 次",
      "无法判断账号（1，数据采集异常）：",
      "· 某某消费维权（头条号）：已采集到 0 次，要求 1 次",
      "未处理预警（1）：",
      "· 某某质量检测：两周未更新",
    ]);
    expect(notice.data).toMatchObject({ counts: { total: 6, compliant: 2, below: 2, unknown: 1, exempt: 1 } });
  });

  it("says so when everything is fine, and has no link when none is given", () => {
    const ok = weeklyDigestNotice({
      orgName: "某局",
      weekId: "2026-W01",
      accounts: [{ name: "甲", platformLabel: "微博", posts: 3, required: 3, status: "compliant" }],
      openAlerts: [],
    });
    expect(ok.lines).toEqual(["共 1 个账号：达标 1 / 未达标 0 / 无法判断 0 / 免于考核 0", "本周参与考核的账号全部达标。"]);
    expect("link" in ok).toBe(false);
  });
});

describe("vetoNotice", () => {
  it("shows the last post in Beijing time", () => {
    const n = vetoNotice({
      orgName: "某某区人民政府",
      accountName: "某某发布",
      platformLabel: "微博",
      lastPostAt: new Date("2026-11-08T16:30:00Z"), // 2026-11-09 00:30 in Beijing: the date changes
      days: 14,
    });
    expect(n.event).toBe("veto");
    expect(n.title).toBe("【两周未更新】某某区人民政府 某某发布（微博）");
    expect(n.lines).toContain("最近一次更新：2026-11-09 00:30（北京时间）");
    expect(n.lines.join("\n")).toContain("已 14 天未更新");
    expect(n.lines.join("\n")).toContain("单项否决");
    expect(n.data).toMatchObject({ lastPostAt: "2026-11-08T16:30:00.000Z", days: 14 });
  });

  it("says 无记录 for an account that never posted", () => {
    const n = vetoNotice({ orgName: "某局", accountName: "甲", platformLabel: "抖音", lastPostAt: null, days: 30 });
    expect(n.lines).toContain("最近一次更新：无记录");
    expect(n.data).toMatchObject({ lastPostAt: null });
  });
});

describe("midweekReminderNotice", () => {
  it("lists accounts still short of the minimum with what is missing", () => {
    const n = midweekReminderNotice({
      orgName: "某某县教育局",
      weekId: "2026-W47",
      accounts: [
        { name: "某某教育", platformLabel: "微信公众号", posts: 1, required: 3 },
        { name: "某某教育", platformLabel: "抖音", posts: 1, required: 1 },
      ],
    });
    expect(n.event).toBe("midweek_reminder");
    expect(n.title).toBe("【本周更新提醒】某某县教育局 2026-W47");
    expect(n.lines).toEqual([
      "以下 1 个账号本周更新次数尚未达到要求，请在周日24时前补足：",
      "· 某某教育（微信公众号）：已更新 1 次，要求 3 次，还差 2 次",
    ]);
  });
});

describe("formatShanghaiDateTime", () => {
  it("adds eight hours, across a year boundary too", () => {
    expect(formatShanghaiDateTime(new Date("2026-12-31T16:05:00Z"))).toBe("2027-01-01 00:05");
    expect(formatShanghaiDateTime(new Date("2026-06-01T03:04:59Z"))).toBe("2026-06-01 11:04");
    expect(formatShanghaiDateTime(new Date("bad"))).toBe("未知");
  });
});

describe("counts in updates, and unknowns with their reason (issue 9)", () => {
  it("shows updates beside items and says why an account could not be judged", () => {
    const n = weeklyDigestNotice({
      orgName: "某局",
      weekId: "2026-W47",
      accounts: [
        { name: "甲", platformLabel: "微信公众号", posts: 3, updates: 1, required: 3, status: "below" },
        { name: "乙", platformLabel: "移动客户端", posts: 0, updates: 0, required: 3, status: "unknown", unknownReason: "no_source" },
        { name: "丙", platformLabel: "微博", posts: 0, updates: 0, required: 3, status: "unknown", unknownReason: "collection_failed" },
      ],
      openAlerts: [],
    });
    expect(n.lines).toContain("· 甲（微信公众号）：本周更新 1 次（发文 3 条），要求 3 次");
    expect(n.lines).toContain("无法判断账号（2）：");
    expect(n.lines.join("\n")).toContain("乙（移动客户端）：未接入数据来源");
    expect(n.lines.join("\n")).toContain("丙（微博）：数据采集异常");
  });

  it("the midweek pace is in updates", () => {
    const n = midweekReminderNotice({ orgName: "某局", weekId: "2026-W48", accounts: [{ name: "甲", platformLabel: "微信公众号", posts: 3, updates: 1, required: 3 }] });
    expect(n.lines).toContain("· 甲（微信公众号）：已更新 1 次（发文 3 条），要求 3 次，还差 2 次");
  });
});
