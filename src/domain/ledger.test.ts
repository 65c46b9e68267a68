import { describe, expect, it } from "vitest";
import { LEDGER_COLUMNS, ledgerRowChanges, mapLedgerHeader, missingLedgerColumns, parseLedgerDate, parseLedgerRow, REQUIRED_LEDGER_COLUMNS } from "./ledger";
import { parsePlatform, PLATFORM_LABELS, PLATFORMS } from "./platforms";

const goodRecord = (): Record<string, string> => ({
  账号名称: "大洼发布",
  平台: "微信公众号",
  账号ID: "gh_0123456789ab",
  主办单位: "盘锦市大洼区人民政府办公室",
  链接: "https://mp.weixin.qq.com/s/abc",
  订阅地址: "http://rss.example.gov.cn/dawa.xml",
  开设日期: "2021/3/5",
  运维人员: "张三",
  联系电话: "(0427) 123-4567",
  账号类型: "服务号",
  认证主体: "盘锦市大洼区人民政府办公室",
  运维方式: "委托第三方运维",
  运维单位: "某某信息技术有限公司",
});

describe("parseLedgerRow", () => {
  it("parses a good row into normalised values", () => {
    const { value, errors } = parseLedgerRow(goodRecord(), 2);
    expect(errors).toEqual([]);
    expect(value).toEqual({
      name: "大洼发布",
      platform: "wechat",
      accountType: "service",
      accountTypeStated: true,
      platformId: "gh_0123456789ab",
      orgName: "盘锦市大洼区人民政府办公室",
      url: "https://mp.weixin.qq.com/s/abc",
      feedUrl: "http://rss.example.gov.cn/dawa.xml",
      openedOn: "2021-03-05",
      contactPerson: "张三",
      contactPhone: "(0427) 123-4567",
      verifiedOwner: "盘锦市大洼区人民政府办公室",
      operationMode: "委托第三方运维",
      operator: "某某信息技术有限公司",
      status: null,
    });
  });

  it("trims cells and turns empty optional cells into null", () => {
    const { value, errors } = parseLedgerRow({ 账号名称: "  大洼发布 ", 平台: " weibo ", 主办单位: "大洼区政府办" }, 3);
    expect(errors).toEqual([]);
    expect(value).toEqual({
      name: "大洼发布",
      platform: "weibo",
      accountType: null,
      accountTypeStated: false,
      platformId: null,
      orgName: "大洼区政府办",
      url: null,
      feedUrl: null,
      openedOn: null,
      contactPerson: null,
      contactPhone: null,
      verifiedOwner: null,
      operationMode: null,
      operator: null,
      status: null,
    });
  });

  const bad: [column: string, text: string][] = [
    ["账号名称", ""],
    ["账号名称", "   "],
    ["账号名称", "名".repeat(101)],
    ["平台", ""],
    ["平台", "推特"],
    ["账号ID", "x".repeat(129)],
    ["主办单位", ""],
    ["主办单位", "单".repeat(101)],
    ["链接", "mp.weixin.qq.com/abc"],
    ["链接", "javascript:alert(1)"],
    ["链接", "ftp://example.com/a"],
    ["链接", "https://example.com/" + "a".repeat(2048)],
    ["订阅地址", "not a url"],
    ["开设日期", "2021-02-30"],
    ["开设日期", "去年春天"],
    ["运维人员", "人".repeat(51)],
    ["联系电话", "0427-1234567 转 8"],
    ["联系电话", "123"],
  ];

  it.each(bad)("%s = %j gives one error on that column with the row number", (column, text) => {
    const record = { ...goodRecord(), [column]: text };
    const { value, errors } = parseLedgerRow(record, 17);
    expect(value).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.row).toBe(17);
    expect(errors[0]!.column).toBe(column);
    expect(errors[0]!.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it("a missing required column is reported like an empty one", () => {
    for (const col of REQUIRED_LEDGER_COLUMNS) {
      const record = goodRecord();
      delete record[col];
      const { value, errors } = parseLedgerRow(record, 5);
      expect(value).toBeUndefined();
      expect(errors).toEqual([expect.objectContaining({ row: 5, column: col })]);
    }
  });

  it("reports every bad column at once", () => {
    const { value, errors } = parseLedgerRow({ 账号名称: "", 平台: "推特", 主办单位: "", 开设日期: "x" }, 9);
    expect(value).toBeUndefined();
    expect(errors.map((e) => e.column).sort()).toEqual(["主办单位", "平台", "开设日期", "账号名称"].sort());
    expect(errors.every((e) => e.row === 9)).toBe(true);
  });

  it("accepts values exactly at the length limits", () => {
    const record = {
      ...goodRecord(),
      账号名称: "名".repeat(100),
      账号ID: "x".repeat(128),
      主办单位: "单".repeat(100),
      运维人员: "人".repeat(50),
    };
    expect(parseLedgerRow(record, 2).errors).toEqual([]);
  });

  it("LEDGER_COLUMNS covers every column the row parser reads", () => {
    expect([...LEDGER_COLUMNS].sort()).toEqual(Object.keys(goodRecord()).sort());
  });
});

describe("账号类型 in a ledger", () => {
  const row = (平台: string, 账号类型?: string) => parseLedgerRow({ 账号名称: "某发布", 平台, 主办单位: "某局", ...(账号类型 === undefined ? {} : { 账号类型 }) }, 2);

  it("defaults WeChat to 订阅号 and leaves other platforms without a type", () => {
    expect(row("微信公众号").value?.accountType).toBe("subscription");
    expect(row("微博").value?.accountType).toBeNull();
  });

  it("reads the column and platform words like 微信服务号", () => {
    expect(row("微信公众号", "服务号").value).toMatchObject({ platform: "wechat", accountType: "service" });
    expect(row("微信服务号").value).toMatchObject({ platform: "wechat", accountType: "service" });
    expect(row("服务号").value).toMatchObject({ platform: "wechat", accountType: "service" });
    expect(row("微信订阅号").value).toMatchObject({ platform: "wechat", accountType: "subscription" });
    expect(row("微信服务号", "服务号").value?.accountType).toBe("service");
  });

  it("refuses an unknown type, a type on another platform, and a contradiction, in Chinese", () => {
    expect(row("微信公众号", "企业号").errors[0]).toMatchObject({ column: "账号类型", message: expect.stringContaining("订阅号、服务号") });
    expect(row("微博", "服务号").errors[0]!.message).toContain("只适用于微信公众号");
    expect(row("微信服务号", "订阅号").errors[0]!.message).toContain("请核对");
    expect(row("service").errors[0]).toMatchObject({ column: "平台" });
  });
});

describe("parseLedgerDate", () => {
  it.each([
    ["2021-03-05", "2021-03-05"],
    ["2021/3/5", "2021-03-05"],
    ["2021年3月5日", "2021-03-05"],
    ["2021年03月05日", "2021-03-05"],
    ["2021.3.5", "2021-03-05"],
    ["2020-02-29", "2020-02-29"],
    ["1990-01-01", "1990-01-01"],
    ["2100-12-31", "2100-12-31"],
  ])("accepts %j → %s", (text, iso) => {
    expect(parseLedgerDate(text)).toBe(iso);
  });

  it.each([
    "2021-02-30",
    "2021-02-29",
    "2021-13-01",
    "2021-00-10",
    "2021-04-31",
    "1900-01-01",
    "1989-12-31",
    "2101-01-01",
    "21-3-5",
    "2021-3",
    "2021-03-05T00:00:00Z",
    "03/05/2021",
    "abc",
    "",
  ])("rejects %j", (text) => {
    expect(parseLedgerDate(text)).toBeUndefined();
  });
});

describe("parsePlatform", () => {
  it.each(PLATFORMS)("accepts the code %s, in any case and with spaces", (p) => {
    expect(parsePlatform(p)).toBe(p);
    expect(parsePlatform(` ${p.toUpperCase()} `)).toBe(p);
  });

  it.each(PLATFORMS)("accepts the Chinese label of %s", (p) => {
    expect(parsePlatform(PLATFORM_LABELS[p])).toBe(p);
    expect(parsePlatform(` ${PLATFORM_LABELS[p]}\t`)).toBe(p);
  });

  it.each([
    ["微信", "wechat"],
    ["公众号", "wechat"],
    ["新浪微博", "weibo"],
    ["政务微博", "weibo"],
    ["APP", "app"],
    ["客户端", "app"],
    ["头条号", "toutiao"],
    ["B站", "bilibili"],
    ["微信视频号", "wechat_channels"],
    ["其它", "other"],
  ] as const)("accepts the alias %s → %s", (text, p) => {
    expect(parsePlatform(text)).toBe(p);
  });

  it.each(["推特", "", "   ", "wechat2", "微信 公众号", "b站x", "抖音号码"])("rejects %j", (text) => {
    expect(parsePlatform(text)).toBeUndefined();
  });

  // A Map lookup: spreadsheet text like "constructor" must not reach Object.prototype.
  it("rejects Object.prototype member names such as constructor / toString / __proto__", () => {
    for (const text of ["constructor", "toString", "__proto__", "valueOf", "hasOwnProperty"]) {
      expect(parsePlatform(text)).toBeUndefined();
    }
    const { value, errors } = parseLedgerRow({ 账号名称: "大洼发布", 平台: "constructor", 主办单位: "大洼区政府办" }, 4);
    expect(value).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ row: 4, column: "平台" })]);
  });
});

describe("ledger headers as offices write them", () => {
  it("maps the office layout and its variants to the ledger's columns, ignoring the rest", () => {
    const header = ["序号", "主办单位", "账号名称", "平台类型", "账号类型", "微信号/账号ID", "认证主体", "开设时间", "运维方式", "负责人", "联系电话", "备注"];
    expect(mapLedgerHeader(header)).toEqual({
      columns: [undefined, "主办单位", "账号名称", "平台", "账号类型", "账号ID", "认证主体", "开设日期", "运维方式", "运维人员", "联系电话", undefined],
      ignored: ["序号", "备注"],
    });
    expect(mapLedgerHeader([" *帐号ID ", "平台名称", "开设单位", "开通时间", "联系人", "RSS地址", "constructor"]).columns).toEqual([
      "账号ID",
      "平台",
      "主办单位",
      "开设日期",
      "运维人员",
      "订阅地址",
      undefined,
    ]);
    // A second header for one column is not read.
    expect(mapLedgerHeader(["负责人", "联系人"])).toEqual({ columns: ["运维人员", undefined], ignored: ["联系人"] });
    expect(missingLedgerColumns(["序号", "账号名称"])).toEqual(["平台", "主办单位"]);
  });

  it("reads platform words clerks write, 小程序 among them", () => {
    for (const [word, platform] of [
      ["今日头条号", "toutiao"],
      ["政务APP", "app"],
      ["政务客户端", "app"],
      ["视频号", "wechat_channels"],
      ["百家号", "baijiahao"],
      ["B站", "bilibili"],
      ["哔哩哔哩", "bilibili"],
      ["抖音号", "douyin"],
    ] as const) {
      expect(parsePlatform(word)).toBe(platform);
    }
    const r = parseLedgerRow({ 账号名称: "某县服务", 平台: "微信小程序", 主办单位: "某局" }, 2);
    expect(r.errors).toEqual([]);
    expect(r.value).toMatchObject({ platform: "miniprogram", accountType: null });
    expect(parsePlatform("小程序")).toBe("miniprogram");
    expect(parseLedgerRow({ 账号名称: "某县发布", 平台: "微信服务号", 主办单位: "某局", 认证主体: "某县人民政府" }, 2).value).toMatchObject({
      accountType: "service",
      verifiedOwner: "某县人民政府",
    });
  });
});

describe("运维方式 and 运维单位", () => {
  it("reads the headers offices use for them", () => {
    expect(mapLedgerHeader(["运营方式", "管理方式", "运维模式"]).columns).toEqual(["运维方式", undefined, undefined]);
    for (const h of ["运维单位", "运营单位", "运维主体", "运营主体", "第三方运维单位", "运维公司"]) expect(mapLedgerHeader([h]).columns).toEqual(["运维单位"]);
    for (const h of ["管理方式", "运维模式"]) expect(mapLedgerHeader([h]).columns).toEqual(["运维方式"]);
  });

  it("bounds their length", () => {
    const r = parseLedgerRow({ ...goodRecord(), 运维方式: "式".repeat(51), 运维单位: "单".repeat(101) }, 4);
    expect(r.errors.map((e) => e.column)).toEqual(["运维方式", "运维单位"]);
  });
});

describe("ledgerRowChanges (更新模式)", () => {
  const stored = {
    orgId: "o1",
    name: "大洼发布",
    accountType: "service" as const,
    openedOn: "2021-03-05",
    url: "https://mp.weixin.qq.com/s/abc",
    feedUrl: "http://rss.example.gov.cn/dawa.xml",
    contactPerson: "张三",
    contactPhone: "(0427) 123-4567",
    verifiedOwner: "盘锦市大洼区人民政府办公室",
    operationMode: "委托第三方运维",
    operator: "某某信息技术有限公司",
  };
  const row = (over: Record<string, string> = {}) => parseLedgerRow({ ...goodRecord(), ...over }, 2).value!;

  it("finds nothing to change in the same row", () => {
    expect(ledgerRowChanges(stored, row(), "o1")).toEqual({ direct: {}, filed: {} });
  });

  it("applies record-keeping fields and files unit, name, type and opening date", () => {
    const r = row({ 联系电话: "0427-2800000", 运维单位: "另一家公司", 账号名称: "大洼区发布", 账号类型: "订阅号", 开设日期: "2020-01-01" });
    expect(ledgerRowChanges(stored, r, "o2")).toEqual({
      direct: { contactPhone: "0427-2800000", operator: "另一家公司" },
      filed: { orgId: "o2", name: "大洼区发布", accountType: "subscription", openedOn: "2020-01-01" },
    });
  });

  it("never clears a stored value from a blank cell, nor reads a defaulted type as a change", () => {
    const r = row({ 联系电话: "", 运维人员: "", 开设日期: "", 账号类型: "", 链接: "", 平台: "微信公众号" });
    expect(r.accountType).toBe("subscription");
    expect(ledgerRowChanges(stored, r, "o1")).toEqual({ direct: {}, filed: {} });
  });
});
