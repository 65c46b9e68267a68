// Wording checks (错敏词, docs/规则依据.md#错敏词): rules are literal text, matched in a post's title
// and summary after both are normalised the same way (full-width → half-width, lower case, spacing
// and invisible characters dropped), so "ＡＢＣ局" finds "abc 局". Pure: the command loads the
// rules and posts, these decide what matches.
import { AhoCorasick } from "./aho-corasick";

export const WORD_RULE_KINDS = ["typo", "sensitive", "name_order"] as const;
export type WordRuleKind = (typeof WORD_RULE_KINDS)[number];

export const WORD_RULE_KIND_LABELS: Record<WordRuleKind, string> = {
  typo: "错别字",
  sensitive: "敏感表述",
  name_order: "姓名排序",
};

/** The longest wrong text a rule may have (characters, as typed). */
export const MAX_WRONG_CHARS = 50;
export const MAX_CORRECT_CHARS = 100;
export const MAX_NOTE_CHARS = 200;
/** How far back a post is read: new rules find posts of the last 90 days, no older. */
export const WORDING_WINDOW_DAYS = 90;

/** A rule in force: a jurisdiction's own (`orgId`) or the starter list's (`orgId` null, id "starter"). */
export interface WordRule {
  id: string;
  orgId: string | null;
  wrong: string;
  /** `wrong` normalised: what is matched and what makes two rules the same. */
  key: string;
  correct: string | null;
  kind: WordRuleKind;
  note: string | null;
}

/** The text as matched, and for each of its UTF-16 units the position in the original it came from. */
export interface NormalisedText {
  text: string;
  /** origin[i]: index in the original of the character normalised text unit i came from. */
  origin: ArrayLike<number>;
  /** originEnd[i]: index just after that original character. */
  originEnd: ArrayLike<number>;
}

// Spacing and invisible characters: zero-width space/joiners, word joiner, soft hyphen, BOM.
const INVISIBLE = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0x00ad, 0xfeff, 0x180e]);

/** One code point as matched: "" when it is spacing or invisible. */
function fold(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (INVISIBLE.has(cp) || /^\s$/u.test(ch)) return "";
  return ch.normalize("NFKC").toLowerCase().replace(/\s+/gu, "");
}

// Per UTF-16 unit of the BMP: what it folds to when that is one unit; DROP (spacing, invisible);
// COMPLEX (expands to several, or a surrogate); UNKNOWN until first seen. Filled as text is read.
const UNKNOWN = -2;
const DROP = -1;
const COMPLEX = -3;
const FOLD = new Int32Array(65536).fill(UNKNOWN);

function foldUnit(c: number): number {
  let f = FOLD[c]!;
  if (f === UNKNOWN) {
    if (c >= 0xd800 && c <= 0xdfff) f = COMPLEX;
    else {
      const s = fold(c);
      f = s === "" ? DROP : s.length === 1 ? s.charCodeAt(0) : COMPLEX;
    }
    FOLD[c] = f;
  }
  return f;
}

/** Astral code points NFKC changes (mathematical letters, enclosed alphanumerics, CJK compatibility ideographs). */
const astralFolds = (cp: number) => (cp >= 0x1d400 && cp <= 0x1d7ff) || (cp >= 0x1f100 && cp <= 0x1f1ff) || (cp >= 0x2f800 && cp <= 0x2fa1f);

// Scratch space for the text being read: reused, so reading a post allocates only its folded string.
let scratch = new Uint16Array(4096);
let scratchOrigin = new Int32Array(4096);
let scratchEnd = new Int32Array(4096);

/** The buffer's first `len` units as a string (apply on a typed array: no copy into an array). */
function unitsToString(buf: Uint16Array, len: number): string {
  let out = "";
  for (let k = 0; k < len; k += 8192) out += String.fromCharCode.apply(null, buf.subarray(k, Math.min(len, k + 8192)) as unknown as number[]);
  return out;
}

/**
 * Folds `s` into the scratch arrays and returns the folded text, or null when a character needs the
 * general case.
 */
function foldIntoScratch(s: string): string | null {
  const n = s.length;
  if (scratch.length < n) {
    scratch = new Uint16Array(n);
    scratchOrigin = new Int32Array(n);
    scratchEnd = new Int32Array(n);
  }
  const buf = scratch;
  const origin = scratchOrigin;
  const originEnd = scratchEnd;
  let len = 0;
  let same = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const f = foldUnit(c);
    if (f >= 0) {
      if (f !== c) same = false;
      buf[len] = f;
      origin[len] = i;
      originEnd[len++] = i + 1;
    } else if (f === DROP) same = false;
    else {
      const cp = s.codePointAt(i)!;
      if (cp <= 0xffff || astralFolds(cp)) return null;
      // A character outside the BMP that NFKC leaves alone: both units as they are.
      buf[len] = c;
      buf[len + 1] = s.charCodeAt(i + 1);
      origin[len] = origin[len + 1] = i;
      originEnd[len] = originEnd[len + 1] = i + 2;
      len += 2;
      i++;
    }
  }
  scratchLength = len;
  return same ? s : unitsToString(buf, len);
}
let scratchLength = 0;

/**
 * NFKC-style folding with a way back: full-width ASCII and the ideographic space become half-width,
 * letters lower case, whitespace and invisible characters go. `origin`/`originEnd` map each unit of
 * the result to the original, so an excerpt can be cut from the text as it was written. Linear, and
 * a table lookup per character: every post is read this way.
 */
export function normaliseText(s: string): NormalisedText {
  const text = foldIntoScratch(s);
  if (text === null) return normaliseSlowly(s);
  return { text, origin: scratchOrigin.slice(0, scratchLength), originEnd: scratchEnd.slice(0, scratchLength) };
}

/** The general case: a character that folds to several (㈱ → (株)) or a lone surrogate. */
function normaliseSlowly(s: string): NormalisedText {
  let text = "";
  const origin: number[] = [];
  const originEnd: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const f = fold(cp);
    for (let k = 0; k < f.length; k++) {
      origin.push(i);
      originEnd.push(i + width);
    }
    text += f;
    i += width;
  }
  return { text, origin, originEnd };
}

/** The key of a rule's wrong text: what two rules are compared by and what is matched. */
export function wordKey(s: string): string {
  return normaliseText(s).text;
}

/** Why a rule's text cannot be taken (Chinese, for the clerk), or null. Text is literal: ".*" is just two characters. */
export function wrongTextProblem(wrong: string): string | null {
  const trimmed = wrong.trim();
  if (trimmed === "") return "错误表述不能为空";
  if ([...trimmed].length > MAX_WRONG_CHARS) return `错误表述不能超过 ${MAX_WRONG_CHARS} 个字`;
  if (wordKey(trimmed) === "") return "错误表述只有空格或不可见字符，请填写要查找的文字";
  return null;
}

/** Reads a kind as typed in a form or a spreadsheet: the code or its Chinese name; empty means typo. */
export function parseWordRuleKind(value: string | null | undefined): WordRuleKind | null {
  const v = (value ?? "").trim();
  if (v === "") return "typo";
  if ((WORD_RULE_KINDS as readonly string[]).includes(v)) return v as WordRuleKind;
  const byLabel = WORD_RULE_KINDS.find((k) => WORD_RULE_KIND_LABELS[k] === v);
  if (byLabel) return byLabel;
  if (v === "错别字词" || v === "错字") return "typo";
  if (v === "敏感词") return "sensitive";
  if (v === "姓名顺序" || v === "排序") return "name_order";
  return null;
}

/** Rules compiled once for many texts: one automaton over every distinct key. */
export interface WordMatcher {
  readonly size: number;
  /** Rules sharing a key (several jurisdictions may have the same one), by key. */
  readonly rulesByKey: ReadonlyMap<string, readonly WordRule[]>;
  /** Over the distinct keys (automaton.keys). */
  readonly automaton: AhoCorasick | null;
}

export function buildMatcher(rules: readonly WordRule[]): WordMatcher {
  const rulesByKey = new Map<string, WordRule[]>();
  for (const r of rules) {
    if (!r.key) continue;
    const list = rulesByKey.get(r.key);
    if (list) list.push(r);
    else rulesByKey.set(r.key, [r]);
  }
  const keys = [...rulesByKey.keys()];
  return { size: keys.length, rulesByKey, automaton: keys.length ? new AhoCorasick(keys) : null };
}

export interface WordHit {
  key: string;
  /** Positions in the original text (end exclusive). */
  start: number;
  end: number;
  rule: WordRule;
}

/**
 * Every rule found in the text, once per key (the first place it occurs). `chain` is the account's
 * org and its ancestors, nearest first: a rule applies when its org is on it (inherited by the
 * subtree) or it is a starter rule; when several apply, the nearest jurisdiction's wins. Without a
 * chain every rule applies.
 */
export function findHits(text: string, matcher: WordMatcher, chain?: readonly string[]): WordHit[] {
  if (!matcher.automaton || !text) return [];
  // The scratch arrays hold the positions until the next text is folded; the general case copies.
  const folded = foldIntoScratch(text);
  const n = folded === null ? normaliseSlowly(text) : { text: folded, origin: scratchOrigin, originEnd: scratchEnd };
  if (!n.text) return [];
  const seen = new Set<string>();
  const hits: WordHit[] = [];
  const found = matcher.automaton.search(n.text);
  if (found.length === 0) return [];
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const keys = matcher.automaton.keys;
  for (const m of found) {
    const key = keys[m.key]!;
    if (seen.has(key)) continue;
    const rule = pickRule(matcher.rulesByKey.get(key) ?? [], chain);
    if (!rule) continue;
    seen.add(key);
    hits.push({ key, start: n.origin[m.start]!, end: n.originEnd[m.end - 1]!, rule });
  }
  return hits.sort((a, b) => a.start - b.start || a.key.localeCompare(b.key));
}

function pickRule(rules: readonly WordRule[], chain: readonly string[] | undefined): WordRule | undefined {
  if (!chain) return rules[0];
  let best: WordRule | undefined;
  let bestRank = Infinity;
  for (const r of rules) {
    const rank = r.orgId === null ? chain.length : chain.indexOf(r.orgId);
    if (rank >= 0 && rank < bestRank) {
      best = r;
      bestRank = rank;
    }
  }
  return best;
}

/** The hit with some text either side, as written in the post (… where cut). */
export function excerptAround(text: string, start: number, end: number, radius = 15): string {
  const from = Math.max(0, start - radius);
  const to = Math.min(text.length, end + radius);
  return `${from > 0 ? "…" : ""}${text.slice(from, to)}${to < text.length ? "…" : ""}`.replace(/\s+/g, " ");
}

/** What a hit says: 《标题》中“布署”应为“部署”, or 请核实 when the rule has no correction. */
export function describeHit(hit: { title: string; wrong: string; correct: string | null; kind: WordRuleKind }): string {
  const title = hit.title.length > 40 ? `${hit.title.slice(0, 40)}…` : hit.title;
  const fix = hit.correct ? `应为“${hit.correct}”` : `属${WORD_RULE_KIND_LABELS[hit.kind]}，请核实`;
  return `《${title}》中“${hit.wrong}”${fix}`;
}

/** The alert's message: the latest hit, and how many the alert holds. */
export function wordingAlertMessage(latest: Parameters<typeof describeHit>[0], total: number): string {
  return `${describeHit(latest)}${total > 1 ? ` 等 ${total} 处` : ""}`;
}
