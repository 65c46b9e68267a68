// Wording checks (错敏词, docs/规则依据.md#错敏词): new posts are read after they land (feeds, pushes,
// imports), and a jurisdiction's new rules read its subtree's last 90 days. A hit is stored once per
// post and rule key, so however often a post is polled or rescanned it alerts and notifies once.
// Reading and matching happen outside any transaction; each batch's writes are one short transaction.
import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { syncAlertsBulk, type AlertSyncItem } from "../db/queries/alerts";
import { writeAudit, type AuditEntity } from "../db/queries/audit";
import { loadOrgIndex, visibleOrg, type OrgRow } from "../db/queries/org-tree";
import {
  hitCountsByAlert,
  insertHits,
  liveWordRules,
  markOutOfWindowChecked,
  markPostsChecked,
  openWordingAlerts,
  orphanUncheckedPostIds,
  setHitsAlert,
  subtreePostsSince,
  toWordRule,
  uncheckedPosts,
  wordRuleById,
  type NewWordingHit,
  type WordingHitRow,
  type WordingPost,
  type WordRuleRow,
} from "../db/queries/wording";
import { wordRules } from "../db/schema";
import { canSetPolicy } from "../domain/access";
import { isInUse } from "../domain/lifecycle";
import { filingAuthority, type OrgIndex } from "../domain/orgs";
import {
  buildMatcher,
  describeHit,
  excerptAround,
  findHits,
  MAX_CORRECT_CHARS,
  MAX_NOTE_CHARS,
  parseWordRuleKind,
  WORD_RULE_KIND_LABELS,
  WORD_RULE_KINDS,
  WORDING_WINDOW_DAYS,
  wordingAlertMessage,
  wordKey,
  wrongTextProblem,
  type WordMatcher,
  type WordRule,
  type WordRuleKind,
} from "../domain/wording";
import { STARTER_KEYS, STARTER_WORD_RULES } from "../domain/wording-starter";
import { toRecords } from "../lib/csv";
import { AppError, badRequest, conflict, forbidden, importInvalid, notFound } from "../lib/errors";
import { fnv1a64, newId } from "../lib/ids";
import type { Actor, SheetRows } from "../lib/types";
import { enqueue } from "../notify/outbox";
import { wordingNotice, wordingOfficeNotice } from "../notify/wording-messages";

const DAY = 86_400_000;
/** Posts read per batch (one read, one short write transaction). */
const BATCH = 500;
/** Slices of 5,000 out-of-window posts marked read per run, each its own statement. */
const OUT_OF_WINDOW_BATCHES = 10;
/** Hits kept in an alert's detail (the newest); the message counts them all. */
const DETAIL_HITS = 20;
/** Rules taken from one upload. */
export const MAX_IMPORTED_RULES = 5_000;
const WORD_RULE_ENTITY: AuditEntity = "word_rule";

export interface WordingScanResult {
  /** Posts read. */
  checked: number;
  /** New hits stored (a hit already stored is not counted again). */
  hits: number;
  /** Alerts opened or given new hits. */
  alerts: number;
}

/** The jurisdictions whose rules apply to an account, nearest first: its org, then up to the root. */
function chainOf(orgPath: string): string[] {
  return orgPath.split("/").filter(Boolean).reverse();
}

/** The hits of one post: title first, then summary; a key found in the title is not looked for again. */
function hitsOfPost(p: WordingPost, matcher: WordMatcher, at: string, chain?: readonly string[]): NewWordingHit[] {
  const out: NewWordingHit[] = [];
  const keys = new Set<string>();
  for (const field of ["title", "summary"] as const) {
    const text = p[field];
    if (!text) continue;
    for (const h of findHits(text, matcher, chain)) {
      if (keys.has(h.key)) continue;
      keys.add(h.key);
      out.push({
        accountId: p.accountId,
        postId: p.id,
        key: h.key,
        ruleId: h.rule.id,
        wrong: text.slice(h.start, h.end),
        correct: h.rule.correct,
        kind: h.rule.kind,
        field,
        excerpt: excerptAround(text, h.start, h.end),
        alertId: null,
        foundAt: at,
      });
    }
  }
  return out;
}

/** One account's message for this batch, and its line in its office's list. */
interface WordingNoticeItem {
  key: string;
  orgId: string;
  notice: ReturnType<typeof wordingNotice>;
  entry: { orgName: string; accountName: string; detail: string };
}

/**
 * Stores one batch's hits, marks its posts read (when asked), and opens or extends the accounts'
 * wording alerts for the new hits only, with a notice to each unit and one list to each supervising
 * office. One transaction: a crash leaves neither hits without alerts nor alerts without notices.
 */
async function recordBatch(
  db: Db,
  batch: readonly WordingPost[],
  found: readonly NewWordingHit[],
  opts: { markChecked: boolean; now: Date; index: () => Promise<OrgIndex> },
): Promise<{ hits: number; alerts: number }> {
  if (found.length === 0 && !opts.markChecked) return { hits: 0, alerts: 0 };
  const postById = new Map(batch.map((p) => [p.id, p]));
  // The office of each account with hits, worked out before the write (the tree is read once a run).
  const index = found.length ? await opts.index() : null;
  return db.transaction(async (tx) => {
    const fresh = await insertHits(tx, found);
    if (opts.markChecked) await markPostsChecked(tx, batch.map((p) => p.id), opts.now);
    if (fresh.length === 0) return { hits: 0, alerts: 0 };
    // Accounts no longer in use keep their hits but get no alert (their alerts close with them).
    const byAccount = new Map<string, WordingHitRow[]>();
    for (const h of fresh) {
      const p = postById.get(h.postId)!;
      if (!isInUse(p.accountStatus as Parameters<typeof isInUse>[0])) continue;
      const list = byAccount.get(h.accountId);
      if (list) list.push(h);
      else byAccount.set(h.accountId, [h]);
    }
    const accountIds = [...byAccount.keys()];
    const open = await openWordingAlerts(tx, accountIds);
    const counts = await hitCountsByAlert(tx, [...open.values()].map((a) => ({ id: a.id, accountId: a.accountId })));
    const items: AlertSyncItem[] = [];
    for (const [accountId, hits] of byAccount) {
      const p = postById.get(hits[0]!.postId)!;
      const existing = open.get(accountId);
      const total = (existing ? (counts.get(existing.id) ?? 0) : 0) + hits.length;
      const previous = ((existing?.detail as { hits?: unknown[] } | null)?.hits ?? []) as unknown[];
      const latest = hits[hits.length - 1]!;
      const detailHits = [...previous, ...hits.map((h) => hitDetail(h, postById.get(h.postId)!))].slice(-DETAIL_HITS);
      items.push({
        account: { id: accountId, orgId: p.orgId },
        kinds: ["wording"],
        signals: [{ kind: "wording", message: wordingAlertMessage({ ...latest, title: postById.get(latest.postId)!.title }, total), detail: { total, hits: detailHits } }],
      });
    }
    const synced = await syncAlertsBulk(tx, items, opts.now);
    const opened = new Map(synced.opened.map((a) => [a.accountId, a.id]));
    const notices: WordingNoticeItem[] = [];
    for (const [accountId, hits] of byAccount) {
      const alertId = opened.get(accountId) ?? open.get(accountId)?.id;
      if (!alertId) continue;
      await setHitsAlert(tx, hits.map((h) => h.id), alertId);
      const p = postById.get(hits[0]!.postId)!;
      const lines = hits.map((h) => describeHit({ ...h, title: postById.get(h.postId)!.title }));
      notices.push({
        key: `wording:${alertId}:${fnv1a64(hits.map((h) => h.id).sort((a, b) => a - b).join(","))}`,
        orgId: p.orgId,
        notice: wordingNotice({ orgName: p.orgName, accountName: p.accountName, accountId, alertId, hits: lines }),
        entry: { orgName: p.orgName, accountName: p.accountName, detail: lines.length > 1 ? `${lines[0]} 等 ${lines.length} 处` : lines[0]! },
      });
    }
    await notify(tx, notices, index!, opts.now);
    return { hits: fresh.length, alerts: byAccount.size };
  });
}

function hitDetail(h: WordingHitRow, p: WordingPost) {
  return { postId: h.postId, title: p.title, publishedAt: p.publishedAt, field: h.field, wrong: h.wrong, correct: h.correct, kind: h.kind, excerpt: h.excerpt };
}

/** Each unit's message, and one combined list per supervising office; keys derive from the hits, so a rerun sends nothing new. */
async function notify(tx: DbOrTx, items: WordingNoticeItem[], index: OrgIndex, now: Date): Promise<void> {
  const byOffice = new Map<string, WordingNoticeItem[]>();
  for (const item of items) {
    await enqueue(tx, [item.orgId], "wording", item.key, item.notice, now);
    const org = index.get(item.orgId);
    const office = org ? filingAuthority(org, index) : undefined;
    if (office && office.id !== item.orgId) byOffice.set(office.id, [...(byOffice.get(office.id) ?? []), item]);
  }
  for (const [officeId, list] of byOffice) {
    const keys = list.map((l) => l.key).sort();
    const notice = wordingOfficeNotice({ officeName: index.get(officeId)?.name ?? "", entries: list.map((l) => l.entry) });
    await enqueue(tx, [officeId], "wording", `wording:office:${officeId}:${fnv1a64(keys.join("\n"))}`, notice, now);
  }
}

function lazyIndex(db: DbOrTx): () => Promise<OrgIndex> {
  let index: Promise<OrgIndex> | undefined;
  return () => (index ??= loadOrgIndex(db));
}

/**
 * Reads every post not read yet (published in the last 90 days), title and summary, against the
 * starter list and the rules of each account's jurisdictions; stores new hits, opens or extends the
 * accounts' wording alerts and marks the posts read. Called after each feed poll and each push or
 * import, and daily as a safety net.
 */
export async function checkNewPosts(
  db: Db,
  now: Date,
  /** Only this account's posts (a push or an import answers for its own posts; the jobs read the rest). */
  only?: { accountId: string },
): Promise<WordingScanResult> {
  const since = new Date(now.getTime() - WORDING_WINDOW_DAYS * DAY);
  const result: WordingScanResult = { checked: 0, hits: 0, alerts: 0 };
  let matcher: WordMatcher | null = null;
  const index = lazyIndex(db);
  for (;;) {
    const batch = await uncheckedPosts(db, since, BATCH, only?.accountId);
    if (batch.length === 0) break;
    // Rules are read once a run, when there is something to read.
    matcher ??= buildMatcher([...STARTER_WORD_RULES, ...(await liveWordRules(db)).map(toWordRule)]);
    const at = now.toISOString();
    const found = batch.flatMap((p) => hitsOfPost(p, matcher!, at, chainOf(p.orgPath)));
    const r = await recordBatch(db, batch, found, { markChecked: true, now, index });
    result.checked += batch.length;
    result.hits += r.hits;
    result.alerts += r.alerts;
  }
  if (only) return result;
  // Posts of accounts that no longer exist: nothing to alert, but out of the unread index.
  const orphans = await orphanUncheckedPostIds(db, since, 10_000);
  if (orphans.length) await markPostsChecked(db, orphans, now);
  // Posts older than the window are never read: out of the unread index too, a bounded slice a run
  // (the history of an installation that had posts before this check, or an import of old posts).
  for (let i = 0; i < OUT_OF_WINDOW_BATCHES; i++) if ((await markOutOfWindowChecked(db, since, BATCH * 10, now)) < BATCH * 10) break;
  return result;
}

/**
 * New rules of `org` read the last 90 days of its subtree's posts (read or not): an old post with the
 * new wording alerts now; one older than 90 days does not. Only the new rules are matched.
 */
export async function rescanForRules(db: Db, org: Pick<OrgRow, "id" | "path">, rules: readonly WordRule[], now: Date): Promise<WordingScanResult> {
  const result: WordingScanResult = { checked: 0, hits: 0, alerts: 0 };
  if (rules.length === 0) return result;
  const matcher = buildMatcher(rules);
  const since = new Date(now.getTime() - WORDING_WINDOW_DAYS * DAY);
  const index = lazyIndex(db);
  const at = now.toISOString();
  let after: { publishedAt: string; id: string } | null = null;
  for (;;) {
    const batch = await subtreePostsSince(db, org.path, since, after, BATCH);
    if (batch.length === 0) break;
    const last = batch[batch.length - 1]!;
    after = { publishedAt: last.publishedAt, id: last.id };
    // Every account here lies under `org`: its rules apply to all of them.
    const found = batch.flatMap((p) => hitsOfPost(p, matcher, at));
    const r = await recordBatch(db, batch, found, { markChecked: false, now, index });
    result.checked += batch.length;
    result.hits += r.hits;
    result.alerts += r.alerts;
  }
  return result;
}

// ── Rules: create, import, disable, list ─────────────────────────────────────────────────────

export interface WordRuleInput {
  wrong: string;
  correct?: string | null;
  kind?: string | null;
  note?: string | null;
}

export interface WordRuleView {
  id: string;
  orgId: string | null;
  orgName: string | null;
  /** own: the org's own rule; inherited: an ancestor's; starter: the shipped list. */
  level: "own" | "inherited" | "starter";
  wrong: string;
  correct: string | null;
  kind: WordRuleKind;
  kindLabel: string;
  note: string | null;
  createdAt: string | null;
}

interface FieldProblem {
  column: "wrong" | "correct" | "kind" | "note";
  message: string;
}

/** The rule as it will be stored, or what is wrong with it (Chinese, per field). */
function checkRuleInput(input: WordRuleInput): { ok: true; wrong: string; key: string; correct: string | null; kind: WordRuleKind; note: string | null } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const wrong = (input.wrong ?? "").trim();
  const wrongProblem = wrongTextProblem(wrong);
  if (wrongProblem) problems.push({ column: "wrong", message: wrongProblem });
  const correct = (input.correct ?? "").trim() || null;
  if (correct && [...correct].length > MAX_CORRECT_CHARS) problems.push({ column: "correct", message: `正确表述不能超过 ${MAX_CORRECT_CHARS} 个字` });
  if (correct && !wrongProblem && wordKey(correct) === wordKey(wrong)) problems.push({ column: "correct", message: "正确表述与错误表述相同" });
  const kind = parseWordRuleKind(input.kind);
  if (!kind) {
    problems.push({ column: "kind", message: `类型“${String(input.kind).slice(0, 20)}”无效；可选：${WORD_RULE_KINDS.map((k) => `${WORD_RULE_KIND_LABELS[k]}（${k}）`).join("、")}` });
  }
  const note = (input.note ?? "").trim() || null;
  if (note && [...note].length > MAX_NOTE_CHARS) problems.push({ column: "note", message: `备注不能超过 ${MAX_NOTE_CHARS} 个字` });
  if (problems.length || !kind) return { ok: false, problems };
  return { ok: true, wrong, key: wordKey(wrong), correct, kind, note };
}

/** Why a key cannot be added to this org: it is a starter rule, or the org or an ancestor has it live. */
function duplicateProblem(key: string, wrong: string, live: ReadonlyMap<string, WordRuleRow>, orgNames: ReadonlyMap<string, string>, orgId: string): string | null {
  if (STARTER_KEYS.has(key)) return `“${wrong}”已在基础词库中，无需重复添加`;
  const existing = live.get(key);
  if (!existing) return null;
  if (existing.orgId === orgId) return `本机构已有错敏词规则“${existing.wrong}”（与“${wrong}”视为相同：不区分全角半角、大小写和空格）`;
  return `上级机构${orgNames.get(existing.orgId) ?? ""}已有错敏词规则“${existing.wrong}”，对本机构同样生效`;
}

function ensureMaySetRules(actor: Actor) {
  if (!canSetPolicy(actor.role) && actor.role !== "admin") throw forbidden("只有主管单位或管理员可以维护错敏词规则");
}

/** The live rules of the org and its ancestors by key (the nearest first), and the names of those orgs. */
async function rulesOnChain(db: DbOrTx, org: OrgRow): Promise<{ live: Map<string, WordRuleRow>; names: Map<string, string> }> {
  const chain = chainOf(org.path);
  const rows = await liveWordRules(db, chain);
  const rank = (r: WordRuleRow) => chain.indexOf(r.orgId);
  const live = new Map<string, WordRuleRow>();
  for (const r of [...rows].sort((a, b) => rank(a) - rank(b))) if (!live.has(r.key)) live.set(r.key, r);
  const index = await loadOrgIndex(db);
  return { live, names: new Map(chain.map((id) => [id, index.get(id)?.name ?? ""])) };
}

export async function createWordRule(
  db: Db,
  actor: Actor,
  orgId: string,
  input: WordRuleInput,
  now: Date,
): Promise<{ rule: WordRuleView; rescan: WordingScanResult }> {
  const org = await visibleOrg(db, actor, orgId);
  ensureMaySetRules(actor);
  const checked = checkRuleInput(input);
  if (!checked.ok) throw badRequest(checked.problems[0]!.message, checked.problems.map((p) => ({ path: p.column, message: p.message })));
  const { live, names } = await rulesOnChain(db, org);
  const dup = duplicateProblem(checked.key, checked.wrong, live, names, org.id);
  if (dup) throw conflict(dup, [{ path: "wrong", message: dup }]);
  const row: WordRuleRow = { id: newId(), orgId: org.id, ...checked, createdAt: now.toISOString(), createdBy: actor.tokenId, deletedAt: null, deletedBy: null };
  try {
    await db.transaction(async (tx) => {
      await tx.insert(wordRules).values(row);
      await writeAudit(tx, actor, now, { action: "word_rule.create", entity: WORD_RULE_ENTITY, entityId: row.id, orgId: org.id, after: row });
    });
  } catch (e) {
    // Added meanwhile by someone else: the live unique index (org, key) refused it.
    if (/UNIQUE/i.test(String((e as { cause?: unknown })?.cause ?? e))) throw conflict(`本机构已有错敏词规则“${checked.wrong}”`);
    throw e;
  }
  const rescan = await rescanForRules(db, org, [toWordRule(row)], now);
  return { rule: ruleView(row, org.name, "own"), rescan };
}

export interface WordRuleImportResult {
  dryRun: boolean;
  total: number;
  imported: number;
  errors: { row: number; column?: string; message: string }[];
  rescan: WordingScanResult | null;
}

const IMPORT_COLUMNS = { wrong: "错误表述", correct: "正确表述", kind: "类型", note: "备注" } as const;

/** CSV/XLSX with columns 错误表述, 正确表述, 类型, 备注: every row checked, all imported or none. */
export async function importWordRules(db: Db, actor: Actor, orgId: string, table: SheetRows, now: Date, dryRun: boolean): Promise<WordRuleImportResult> {
  const org = await visibleOrg(db, actor, orgId);
  ensureMaySetRules(actor);
  const { header, records } = toRecords(table);
  if (!header.includes(IMPORT_COLUMNS.wrong)) {
    throw badRequest(`表头缺少“${IMPORT_COLUMNS.wrong}”列；请使用列：${Object.values(IMPORT_COLUMNS).join("、")}`);
  }
  if (records.length === 0) throw badRequest("文件中没有规则行");
  if (records.length > MAX_IMPORTED_RULES) throw new AppError(413, "too_large", `一次最多导入 ${MAX_IMPORTED_RULES} 条规则，本文件有 ${records.length} 条，请拆分后上传`);
  const { live, names } = await rulesOnChain(db, org);
  const errors: WordRuleImportResult["errors"] = [];
  const rows: WordRuleRow[] = [];
  const inFile = new Map<string, number>();
  for (const rec of records) {
    const cell = (c: keyof typeof IMPORT_COLUMNS) => rec.cells[IMPORT_COLUMNS[c]] ?? "";
    const checked = checkRuleInput({ wrong: cell("wrong"), correct: cell("correct"), kind: cell("kind"), note: cell("note") });
    if (!checked.ok) {
      for (const p of checked.problems) errors.push({ row: rec.row, column: IMPORT_COLUMNS[p.column], message: p.message });
      continue;
    }
    const dup = duplicateProblem(checked.key, checked.wrong, live, names, org.id);
    const earlier = inFile.get(checked.key);
    if (dup || earlier !== undefined) {
      errors.push({ row: rec.row, column: IMPORT_COLUMNS.wrong, message: dup ?? `与第 ${earlier} 行重复` });
      continue;
    }
    inFile.set(checked.key, rec.row);
    rows.push({ id: newId(), orgId: org.id, ...checked, createdAt: now.toISOString(), createdBy: actor.tokenId, deletedAt: null, deletedBy: null });
  }
  if (errors.length > 0 && !dryRun) throw importInvalid(errors, "未导入任何规则");
  if (dryRun) return { dryRun, total: records.length, imported: 0, errors, rescan: null };
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 100) await tx.insert(wordRules).values(rows.slice(i, i + 100));
    await writeAudit(tx, actor, now, { action: "word_rule.import", entity: WORD_RULE_ENTITY, entityId: org.id, orgId: org.id, after: { imported: rows.length, wrong: rows.slice(0, 50).map((r) => r.wrong) } });
  });
  const rescan = await rescanForRules(db, org, rows.map(toWordRule), now);
  return { dryRun, total: records.length, imported: rows.length, errors, rescan };
}

/**
 * Disables a rule (kept, with who and when): it stops matching new posts; its hits and any open
 * alert stay as they are (the wording was found; a clerk closes the alert once it is dealt with).
 */
export async function disableWordRule(db: Db, actor: Actor, id: string, now: Date): Promise<WordRuleRow> {
  const row = await wordRuleById(db, id);
  if (!row || row.deletedAt) throw notFound("错敏词规则");
  await visibleOrg(db, actor, row.orgId, "错敏词规则");
  ensureMaySetRules(actor);
  const after = { ...row, deletedAt: now.toISOString(), deletedBy: actor.tokenId };
  await db.transaction(async (tx) => {
    await tx.update(wordRules).set({ deletedAt: after.deletedAt, deletedBy: after.deletedBy }).where(eq(wordRules.id, row.id));
    await writeAudit(tx, actor, now, { action: "word_rule.disable", entity: WORD_RULE_ENTITY, entityId: row.id, orgId: row.orgId, before: row, after });
  });
  return after;
}

function ruleView(r: WordRuleRow, orgName: string | null, level: "own" | "inherited"): WordRuleView {
  return { id: r.id, orgId: r.orgId, orgName, level, wrong: r.wrong, correct: r.correct, kind: r.kind, kindLabel: WORD_RULE_KIND_LABELS[r.kind], note: r.note, createdAt: r.createdAt };
}

/** The rules in force for an org: its own, its ancestors' (inherited), and the starter list. */
export async function listWordRules(db: DbOrTx, actor: Actor, orgId: string): Promise<WordRuleView[]> {
  const org = await visibleOrg(db, actor, orgId);
  const chain = chainOf(org.path);
  const rows = await liveWordRules(db, chain);
  const index = await loadOrgIndex(db);
  const rank = (id: string) => chain.indexOf(id);
  const view = (r: WordRuleRow) => ruleView(r, index.get(r.orgId)?.name ?? null, r.orgId === org.id ? "own" : "inherited");
  const own = rows.sort((a, b) => rank(a.orgId) - rank(b.orgId)).map(view);
  const starter = STARTER_WORD_RULES.map(
    (r): WordRuleView => ({ id: "starter", orgId: null, orgName: null, level: "starter", wrong: r.wrong, correct: r.correct, kind: r.kind, kindLabel: WORD_RULE_KIND_LABELS[r.kind], note: r.note, createdAt: null }),
  );
  return [...own, ...starter];
}

