// B6 wording-scan: a week of post titles and summaries for 5,000 accounts (quick: 500) read against
// 10,000 wording rules (the starter list plus deterministic synthetic 2–6-character phrases), as the
// wording check reads them (normalise, Aho–Corasick, positions in the original). The floor, measured
// in the same run, is a plain `text.includes(word)` of every word in the same texts already
// normalised — it is given the normalising for free. Pure CPU: no database.
import { buildMatcher, findHits, normaliseText, wordKey, type WordRule } from "../src/domain/wording";
import { STARTER_WORD_RULES } from "../src/domain/wording-starter";

export interface WordingBenchOptions {
  quick: boolean;
  print: (line: string) => void;
  /** Accounts (default 5,000; quick 500). */
  accounts?: number;
  /** Rules in all (default 10,000). */
  rules?: number;
  /** Posts per account in the week (default 7: one a day). */
  postsPerAccount?: number;
  /** Texts the floor scans (default all; quick a tenth), scaled to all. */
  floorSample?: number;
}

/** A small deterministic generator (mulberry32): the same texts and rules every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Words of official writing the texts are made of.
const VOCAB = (
  "工作 会议 召开 全县 全面 推进 落实 部署 开展 加强 安全 生产 检查 专项 行动 群众 服务 发展 建设 乡村 振兴 " +
  "疫情 防控 教育 医疗 卫生 保障 民生 项目 重点 任务 要求 领导 干部 同志 调研 指导 组织 学习 贯彻 精神 " +
  "政策 措施 环境 保护 治理 改革 创新 经济 产业 企业 农业 农村 社区 街道 公共 文化 旅游 交通 道路 整治 " +
  "通知 公告 公示 关于 进一步 做好 确保 有效 提升 质量 水平 能力 机制 制度 责任 考核 监督 管理 宣传 培训"
).split(" ");
const PUNCT = ["，", "。", "；", "、", "：", "“", "”"];

function sentence(r: () => number, chars: number): string {
  let s = "";
  while (s.length < chars) {
    s += VOCAB[Math.floor(r() * VOCAB.length)]!;
    if (r() < 0.18) s += PUNCT[Math.floor(r() * PUNCT.length)]!;
  }
  return s;
}

/** Synthetic rules: 2–6 characters from the ideograph block, deterministic, distinct keys. */
function syntheticRules(total: number, r: () => number): WordRule[] {
  const out: WordRule[] = [...STARTER_WORD_RULES];
  const keys = new Set(out.map((x) => x.key));
  while (out.length < total) {
    const len = 2 + Math.floor(r() * 5);
    let w = "";
    for (let i = 0; i < len; i++) w += String.fromCharCode(0x4e00 + Math.floor(r() * 0x5000));
    const key = wordKey(w);
    if (keys.has(key)) continue;
    keys.add(key);
    out.push({ id: `syn-${out.length}`, orgId: null, wrong: w, key, correct: null, kind: "sensitive", note: null });
  }
  return out;
}

/** A week of posts: title ~20 characters, summary ~300; one in fifty carries a rule's text (full-width spacing and all). */
function weekOfPosts(accounts: number, perAccount: number, rules: readonly WordRule[], r: () => number): string[] {
  const texts: string[] = [];
  for (let a = 0; a < accounts; a++) {
    for (let p = 0; p < perAccount; p++) {
      let title = sentence(r, 14 + Math.floor(r() * 12));
      let summary = sentence(r, 260 + Math.floor(r() * 80));
      if (r() < 0.02) {
        const w = rules[Math.floor(r() * rules.length)]!.wrong;
        const at = Math.floor(r() * summary.length);
        summary = `${summary.slice(0, at)}${[...w].join(r() < 0.5 ? "" : "\u3000")}${summary.slice(at)}`;
      }
      if (r() < 0.01) title = `${title}${STARTER_WORD_RULES[Math.floor(r() * STARTER_WORD_RULES.length)]!.wrong}`;
      texts.push(title, summary);
    }
  }
  return texts;
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const ratio = (x: number) => (x >= 0.01 ? x.toFixed(3) : x.toPrecision(2));

export async function run(opts: WordingBenchOptions): Promise<void> {
  const { quick, print } = opts;
  const accounts = opts.accounts ?? (quick ? 500 : 5_000);
  const ruleCount = opts.rules ?? 10_000;
  const perAccount = opts.postsPerAccount ?? 7;
  const r = rng(20261123);
  const rules = syntheticRules(ruleCount, r);
  const texts = weekOfPosts(accounts, perAccount, rules, r);
  const posts = accounts * perAccount;

  const built = performance.now();
  const matcher = buildMatcher(rules);
  const buildMs = performance.now() - built;

  // Warm up on a few texts (JIT), then read them all as the check does.
  for (const t of texts.slice(0, 200)) findHits(t, matcher);
  const started = performance.now();
  let hits = 0;
  for (const t of texts) hits += findHits(t, matcher).length;
  const scanMs = performance.now() - started;

  // The floor: every word against every normalised text. Quick mode scans a sample and scales.
  const sample = Math.min(texts.length, opts.floorSample ?? (quick ? Math.ceil(texts.length / 10) : texts.length));
  const step = texts.length / sample;
  const sampled = Array.from({ length: sample }, (_, i) => normaliseText(texts[Math.floor(i * step)]!).text);
  const words = [...new Set(rules.map((x) => x.key))];
  const floorStarted = performance.now();
  let floorHits = 0;
  for (const t of sampled) for (const w of words) if (t.includes(w)) floorHits++;
  const floorMs = ((performance.now() - floorStarted) * texts.length) / sample;
  // Both ways must find the same thing on the sample, or the comparison means nothing.
  let sampleHits = 0;
  for (let i = 0; i < sample; i++) sampleHits += findHits(texts[Math.floor(i * step)]!, matcher).length;
  if (sampleHits !== floorHits) throw new Error(`wording-scan: Aho–Corasick found ${sampleHits}, the substring scan ${floorHits}`);

  const scaled = sample < texts.length ? `, sampled ${sample} of ${texts.length} texts and scaled` : "";
  print(
    `B6 wording-scan ${posts} posts × ${rules.length} rules: ${fmt(scanMs)} ms, floor ${fmt(floorMs)} ms (substring scan of ${words.length} words${scaled}), ratio ${ratio(scanMs / floorMs)}`,
  );
  print(`B6 wording-scan detail: ${texts.length} texts (title + summary), ${hits} hits, rules compiled in ${fmt(buildMs)} ms; the scan includes normalising, the floor does not`);
}
