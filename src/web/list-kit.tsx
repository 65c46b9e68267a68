// What every list page shares: a pager, sortable column headers and a unit picker, all links that keep
// the page's filters. Plain links and GET forms: no client script (the Content-Security-Policy allows none).
import type { Child } from "hono/jsx";

/** The filters of a list as they appear in its URL (empty values left out). */
export type ListParams = Record<string, string | undefined>;

/** The list's URL with some parameters changed; empty ones dropped so links stay short. */
export function listHref(path: string, params: ListParams, change: ListParams = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...change })) if (v !== undefined && v !== "") q.set(k, v);
  return q.size ? `${path}?${q}` : path;
}

/** The query's named parameters, empty ones as undefined. */
export function pickParams(query: (k: string) => string | undefined, names: readonly string[]): ListParams {
  return Object.fromEntries(names.map((n) => [n, query(n) || undefined]));
}

/** A page number from the URL, at least 1; junk reads as 1. */
export function pageOf(v: string | undefined): number {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 100000) : 1;
}

/** 共 N 条 · 第 x/y 页 with first/previous, nearby pages, next/last. Nothing when it all fits on one page. */
export function Pager(props: { path: string; params: ListParams; page: number; pageSize: number; total: number; unit?: string }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const page = Math.min(props.page, pages);
  const href = (p: number) => listHref(props.path, props.params, { page: p === 1 ? undefined : String(p) });
  const near: number[] = [];
  for (let p = Math.max(1, page - 3); p <= Math.min(pages, page + 3); p++) near.push(p);
  return (
    <nav class="pager" aria-label="分页">
      <span class="muted">
        共 {props.total} {props.unit ?? "条"}
        {pages > 1 ? ` · 第 ${page}/${pages} 页` : ""}
      </span>
      {pages > 1 ? (
        <span class="pages">
          {page > 1 ? <a href={href(1)}>首页</a> : <span class="muted">首页</span>}
          {page > 1 ? <a href={href(page - 1)} rel="prev">上一页</a> : <span class="muted">上一页</span>}
          {near.map((p) => (p === page ? <b aria-current="page">{p}</b> : <a href={href(p)}>{p}</a>))}
          {page < pages ? <a href={href(page + 1)} rel="next">下一页</a> : <span class="muted">下一页</span>}
          {page < pages ? <a href={href(pages)}>末页</a> : <span class="muted">末页</span>}
        </span>
      ) : null}
    </nav>
  );
}

/** A column header that sorts the list by `by`: a second click reverses; the filters stay, the page resets. */
export function SortTh(props: { path: string; params: ListParams; by: string; label: string; defaultSort?: string }) {
  const current = props.params.sort ?? props.defaultSort;
  const desc = props.params.order === "desc";
  const on = current === props.by;
  const next = on && !desc ? "desc" : undefined;
  return (
    <th aria-sort={on ? (desc ? "descending" : "ascending") : undefined}>
      <a class="sort" href={listHref(props.path, props.params, { sort: props.by, order: next, page: undefined })}>
        {props.label}
        {on ? (desc ? " ▼" : " ▲") : ""}
      </a>
    </th>
  );
}

export interface OrgOption {
  id: string;
  name: string;
  parentId: string | null;
}

/** The visible org tree (listed in tree order, parents first) with each unit's depth below the top. */
export function orgTree(items: readonly OrgOption[]): { id: string; name: string; depth: number }[] {
  const depth = new Map<string, number>();
  return items.map((o) => {
    const d = o.parentId && depth.has(o.parentId) ? depth.get(o.parentId)! + 1 : 0;
    depth.set(o.id, d);
    return { id: o.id, name: o.name, depth: d };
  });
}

/** A <select> of the visible units, indented by level; choosing one means that unit and its subtree. */
export function UnitPicker(props: { orgs: readonly OrgOption[]; selected?: string; name?: string; all?: string; label?: string; id?: string }) {
  return (
    <select id={props.id} name={props.name ?? "orgId"} aria-label={props.id ? undefined : (props.label ?? "单位（含下级）")} required={props.all === "" ? true : undefined}>
      {props.all === "" ? null : <option value="">{props.all ?? "全部单位"}</option>}
      {orgTree(props.orgs).map((o) => (
        <option value={o.id} selected={props.selected === o.id}>
          {"\u3000".repeat(o.depth)}
          {o.name}
        </option>
      ))}
    </select>
  );
}

/** A <select> filter over labelled values, with an "all" choice first. */
export function Choice(props: { name: string; label: string; all: string; values: readonly string[]; labels: Record<string, string>; selected?: string }) {
  return (
    <select name={props.name} aria-label={props.label}>
      <option value="">{props.all}</option>
      {props.values.map((v) => (
        <option value={v} selected={props.selected === v}>
          {props.labels[v] ?? v}
        </option>
      ))}
    </select>
  );
}

/** A GET filter form: its fields, then 查询 and a link that clears them. */
export function FilterForm(props: { path: string; children: Child; extra?: Child }) {
  return (
    <form class="filters" method="get" action={props.path}>
      {props.children}
      <button type="submit">查询</button>
      <a href={props.path}>清除筛选</a>
      {props.extra}
    </form>
  );
}
