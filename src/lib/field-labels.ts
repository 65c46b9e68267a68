// What a clerk reads when a request is refused: fields by their Chinese label, never by their key,
// and zod's issues in plain words ("必填", "不能超过100个字", "该日期不存在") rather than type names.
import type { z } from "@hono/zod-openapi";

/** Body and query fields of the API, by the label the forms and the ledger use. One place for all routes. */
export const FIELD_LABELS: Record<string, string> = {
  // posts (push and import)
  posts: "发文",
  content: "正文",
  summary: "摘要",
  // accounts
  name: "名称",
  orgId: "主办单位",
  platform: "平台",
  platformId: "账号ID",
  accountType: "账号类型",
  url: "链接",
  feedUrl: "订阅地址",
  openedOn: "开设日期",
  contactPerson: "运维人员",
  contactPhone: "联系电话",
  verifiedOwner: "认证主体",
  operationMode: "运维方式",
  operator: "运维单位",
  status: "状态",
  flag: "风险提示",
  q: "搜索词",
  sort: "排序",
  order: "排序方向",
  mode: "导入方式",
  dryRun: "只校验",
  page: "页码",
  pageSize: "每页条数",
  // filings
  kind: "类型",
  accountId: "账号",
  changes: "变更内容",
  reason: "理由",
  note: "审核意见",
  approve: "审核结论",
  completed: "已注销完毕",
  targetAccountId: "整合到的账号",
  registration: "登记类型",
  // orgs and tokens
  parentId: "上级机构",
  level: "层级",
  aliases: "别名",
  authorityOrgId: "备案主管单位",
  filingAuthorityId: "备案主管单位",
  role: "角色",
  label: "名称",
  expiresAt: "有效期至",
  // monitoring, posts, policies
  week: "周",
  from: "起始周",
  to: "截止周",
  publishedAt: "发布时间",
  title: "标题",
  guid: "条目标识",
  repost: "是否转发",
  effectiveFrom: "生效日期",
  onDate: "日期",
  updateUnit: "计数单位",
  required: "最低更新次数",
  secret: "签名密钥",
  ids: "所选记录",
  // sampling and inspections
  year: "年份",
  quarter: "季度",
  seed: "随机种子",
  scope: "抽查范围",
  sampleSize: "抽查数量",
  inspectedOn: "检查日期",
  inspector: "检查人",
  result: "检查结论",
  problemCodes: "问题",
  problems: "问题",
  deadline: "整改期限",
  rectifiedAt: "整改完成日期",
  overrideNote: "说明",
  notes: "备注",
  roundId: "抽查批次",
  inspectionId: "检查记录",
  value: "取值",
  entity: "对象",
  entityId: "对象编号",
};

/** "changes.name" → "变更内容·名称"; an unknown key stays as it is (better than nothing). */
export function fieldLabel(path: readonly PropertyKey[] | string): string {
  const parts = typeof path === "string" ? path.split(".").filter(Boolean) : path.map(String);
  const named = parts.filter((p) => !/^\d+$/.test(p)).map((p) => FIELD_LABELS[p] ?? p);
  return named.join("·");
}

/** A field-shaped date "2021-02-30" that is no day of the calendar. */
const DATE_SHAPED = /^\d{4}-\d{2}-\d{2}$/;

const TYPE_WORDS: Record<string, string> = { string: "文字", number: "数字", int: "整数", boolean: "是或否", array: "列表", object: "一组字段", date: "日期" };

/**
 * zod's issues in the words a clerk uses; installed with z.config in create-app.ts. Messages written
 * on a schema (e.g. "账号名称不能为空") take precedence over these.
 */
export function plainIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null) return "必填";
      return `应为${TYPE_WORDS[issue.expected] ?? "其他格式"}`;
    case "invalid_value":
      return "不是可选的值，请从列表中选择";
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return `不能超过${max}个字`;
      if (issue.origin === "array" || issue.origin === "set") return `最多${max}项`;
      return `不能大于${max}`;
    }
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string") return min <= 1 ? "不能为空" : `至少${min}个字`;
      if (issue.origin === "array" || issue.origin === "set") return min <= 1 ? "至少选择一项" : `至少${min}项`;
      return `不能小于${min}`;
    }
    case "invalid_format":
      if (issue.format === "date") return typeof issue.input === "string" && DATE_SHAPED.test(issue.input) ? "该日期不存在" : "应为日期，如 2026-11-23";
      if (issue.format === "datetime") return "应为带时区的时间，如 2026-11-23T09:30:00+08:00";
      if (issue.format === "url") return "应为 http:// 或 https:// 开头的网址";
      if (issue.format === "email") return "应为电子邮箱地址";
      return "格式不对";
    case "unrecognized_keys":
      return `不认识的字段：${issue.keys.map((k) => fieldLabel([k])).join("、")}`;
    case "not_multiple_of":
      return `应为 ${String(issue.divisor)} 的倍数`;
    default:
      return "填写有误";
  }
}

/** One field's problem as a clerk reads it: "开设日期：该日期不存在"; a message that already names the field stands alone. */
export function issueText(path: string, message: string): string {
  if (!path) return message;
  const label = fieldLabel(path);
  const last = FIELD_LABELS[path.split(".").filter((p) => !/^\d+$/.test(p)).at(-1) ?? ""] ?? label;
  return message.includes(last) || message.includes(label) ? message : `${label}：${message}`;
}
