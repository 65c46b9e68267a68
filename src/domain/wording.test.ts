import { describe, expect, it } from "vitest";
import { STARTER_KEYS, STARTER_WORD_RULES } from "./wording-starter";
import {
  buildMatcher,
  describeHit,
  excerptAround,
  findHits,
  normaliseText,
  parseWordRuleKind,
  wordingAlertMessage,
  wordKey,
  wrongTextProblem,
  type WordRule,
} from "./wording";

const rule = (wrong: string, extra: Partial<WordRule> = {}): WordRule => ({
  id: `r-${wrong}`,
  orgId: "county",
  wrong,
  key: wordKey(wrong),
  correct: null,
  kind: "sensitive",
  note: null,
  ...extra,
});

describe("normaliseText", () => {
  it("folds full-width ASCII, the ideographic space and case, and drops spacing and invisible characters", () => {
    expect(normaliseText("ＡＢＣ　局").text).toBe("abc局");
    expect(normaliseText("Abc \t局\u200b\uFEFF").text).toBe("abc局");
    expect(normaliseText("１２３４５").text).toBe("12345");
    expect(normaliseText("布署").text).toBe("布署");
  });

  it("maps every unit back to where it stands in the original", () => {
    const s = "通知：ａ b\u3000c局";
    const n = normaliseText(s);
    expect(n.text).toBe("通知:abc局");
    const at = n.text.indexOf("abc");
    expect(s.slice(n.origin[at]!, n.originEnd[at + 3]!)).toBe("ａ b\u3000c局");
  });

  it("keeps characters outside the BMP whole", () => {
    const s = "𠮷布署";
    const n = normaliseText(s);
    expect(n.text).toBe("𠮷布署");
    expect(n.origin[2]).toBe(2);
  });
});

describe("wrongTextProblem", () => {
  it("refuses empty, blank, invisible-only and over-long text in Chinese", () => {
    expect(wrongTextProblem("")).toMatch(/不能为空/);
    expect(wrongTextProblem(" \u3000 ")).toMatch(/不能为空/);
    expect(wrongTextProblem("\u200b\u200b")).toMatch(/不可见/);
    expect(wrongTextProblem("字".repeat(51))).toMatch(/50/);
    expect(wrongTextProblem("字".repeat(50))).toBeNull();
    expect(wrongTextProblem("a.*b")).toBeNull();
  });
});

describe("parseWordRuleKind", () => {
  it("takes codes and Chinese names; empty is typo; anything else is null", () => {
    expect(parseWordRuleKind("")).toBe("typo");
    expect(parseWordRuleKind("敏感表述")).toBe("sensitive");
    expect(parseWordRuleKind("name_order")).toBe("name_order");
    expect(parseWordRuleKind("其他")).toBeNull();
  });
});

describe("findHits", () => {
  it("finds starter typos and gives original positions", () => {
    const m = buildMatcher(STARTER_WORD_RULES);
    const text = "关于布署冬季防火工作，要再接再励";
    const hits = findHits(text, m);
    expect(hits.map((h) => [text.slice(h.start, h.end), h.rule.correct])).toEqual([
      ["布署", "部署"],
      ["再接再励", "再接再厉"],
    ]);
  });

  it("matches full-width and spaced variants, and reports the text as written", () => {
    const m = buildMatcher([rule("ＡＢＣ局")]);
    const text = "今天 Abc　局召开会议";
    const [hit] = findHits(text, m);
    expect(text.slice(hit!.start, hit!.end)).toBe("Abc　局");
  });

  it("treats regex-looking text literally", () => {
    const m = buildMatcher([rule("a.*b")]);
    expect(findHits("a123b axb", m)).toEqual([]);
    expect(findHits("见 a.*b 处", m)).toHaveLength(1);
  });

  it("reports a key once per text, however often it occurs", () => {
    const m = buildMatcher(STARTER_WORD_RULES);
    expect(findHits("布署、布署、布署", m)).toHaveLength(1);
  });

  it("applies only the rules of the account's own org and its ancestors, the nearest first", () => {
    const county = rule("某某", { id: "c", orgId: "county", correct: "县级改法" });
    const city = rule("某某", { id: "p", orgId: "city", correct: "市级改法" });
    const other = rule("别处", { id: "o", orgId: "other-county" });
    const m = buildMatcher([city, county, other, ...STARTER_WORD_RULES]);
    const hits = findHits("某某 别处 布署", m, ["dept", "county", "city"]);
    expect(hits.map((h) => h.rule.id)).toEqual(["c", "starter"]);
    expect(findHits("某某", m, ["dept2", "city"]).map((h) => h.rule.id)).toEqual(["p"]);
  });

  it("finds nothing in empty text or with no rules", () => {
    expect(findHits("", buildMatcher(STARTER_WORD_RULES))).toEqual([]);
    expect(findHits("布署", buildMatcher([]))).toEqual([]);
  });
});

describe("the starter list", () => {
  it("has the well-known pairs and only typo rules with a correction", () => {
    expect(STARTER_WORD_RULES.length).toBeGreaterThanOrEqual(40);
    const byWrong = new Map(STARTER_WORD_RULES.map((r) => [r.wrong, r.correct]));
    for (const [w, c] of [["布署", "部署"], ["贯切", "贯彻"], ["按排", "安排"], ["必竟", "毕竟"], ["再接再励", "再接再厉"], ["迫不急待", "迫不及待"]]) {
      expect(byWrong.get(w!)).toBe(c);
    }
    expect(STARTER_WORD_RULES.every((r) => r.kind === "typo" && r.correct && r.key === r.wrong)).toBe(true);
    expect(STARTER_KEYS.size).toBe(STARTER_WORD_RULES.length);
  });

  it("never flags a correction: no wrong text occurs inside any correct text", () => {
    const corrections = STARTER_WORD_RULES.map((r) => r.correct!).join("|");
    const m = buildMatcher(STARTER_WORD_RULES);
    expect(findHits(corrections, m)).toEqual([]);
    for (const r of STARTER_WORD_RULES) for (const s of STARTER_WORD_RULES) expect(s.correct!.includes(r.wrong)).toBe(false);
  });
});

describe("messages", () => {
  it("names the post, the text and the suggestion, and counts", () => {
    const hit = { title: "关于布署工作的通知", wrong: "布署", correct: "部署", kind: "typo" as const };
    expect(describeHit(hit)).toBe("《关于布署工作的通知》中“布署”应为“部署”");
    expect(wordingAlertMessage(hit, 3)).toBe("《关于布署工作的通知》中“布署”应为“部署” 等 3 处");
    expect(describeHit({ ...hit, correct: null, kind: "sensitive" })).toBe("《关于布署工作的通知》中“布署”属敏感表述，请核实");
  });

  it("cuts an excerpt around the hit", () => {
    const text = "一".repeat(30) + "布署" + "二".repeat(30);
    expect(excerptAround(text, 30, 32, 3)).toBe("…一一一布署二二二…");
  });
});

describe("normaliseText, the unusual characters", () => {
  it("folds a character that expands, keeps emoji, and maps both back", () => {
    const s = "㈱布署👉ＡＢ";
    const n = normaliseText(s);
    expect(n.text).toBe("(株)布署👉ab");
    expect(Array.from(n.origin)).toEqual([0, 0, 0, 1, 2, 3, 3, 5, 6]);
    const plain = normaliseText("👉 Ａ局");
    expect(plain.text).toBe("👉a局");
    expect(Array.from(plain.origin)).toEqual([0, 0, 3, 4]);
    expect(Array.from(plain.originEnd)).toEqual([2, 2, 4, 5]);
  });
});
