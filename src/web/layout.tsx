import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { Role } from "../domain/roles";

/** The clerk as the header shows it: who they are, and the role that decides which entries the nav lists. */
export interface Who {
  label: string;
  role: Role;
}

const ALL: readonly Role[] = ["admin", "supervisor", "operator", "viewer"];
// Only entries the role can use: a link that always answers 403 is noise for the clerk.
const NAV: [string, string, readonly Role[]][] = [
  ["/", "概览", ALL],
  ["/accounts", "账号台账", ALL],
  // Operators see their own filings there.
  ["/filings", "备案审核", ["supervisor", "admin", "operator"]],
  ["/compliance", "更新监测", ALL],
  ["/alerts", "预警", ALL],
  ["/sampling", "季度抽查", ["supervisor", "viewer"]],
  ["/rectification", "整改", ["operator", "supervisor"]],
  ["/orgs", "机构管理", ["admin", "supervisor"]],
  ["/tokens", "令牌", ["admin"]],
  ["/audit", "审计日志", ["admin", "supervisor"]],
  ["/settings", "设置", ["supervisor", "admin"]],
];

/** Served as /assets/ui.css (not inlined): the Content-Security-Policy allows styles from this origin only. */
export const UI_CSS_PATH = "/assets/ui.css";
export const UI_CSS = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2933;background:#f5f6f8;font-size:14px}
header{background:#9f1c1c;color:#fff;padding:0 20px;display:flex;align-items:center;gap:24px;height:52px}
header .brand{font-weight:600;font-size:16px}header nav a{color:#fde8e8;text-decoration:none;margin-right:16px}header nav a.on{color:#fff;font-weight:600;border-bottom:2px solid #fff;padding-bottom:14px}
header .who{margin-left:auto;font-size:13px;color:#fde8e8}header .who a{color:#fff}
main{max-width:1200px;margin:20px auto;padding:0 20px}h1{font-size:20px;margin:0 0 16px}
.card{background:#fff;border:1px solid #e4e7eb;border-radius:6px;padding:16px;margin-bottom:16px}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}.stat{background:#fff;border:1px solid #e4e7eb;border-radius:6px;padding:14px}.stat b{display:block;font-size:26px;margin-top:4px}
table{width:100%;border-collapse:collapse;background:#fff}th,td{border-bottom:1px solid #e4e7eb;padding:8px 10px;text-align:left;vertical-align:top}th{background:#f0f2f5;font-weight:600}
.tag{display:inline-block;padding:1px 6px;border-radius:3px;font-size:12px;margin:1px 2px;background:#eef2f7}.warn{background:#fff4e5;color:#8a4b00}.bad{background:#fde8e8;color:#9f1c1c}.ok{background:#e6f4ea;color:#1e6b34}
form.inline{display:inline}input,select,textarea,button{font:inherit;padding:5px 8px;border:1px solid #cbd2d9;border-radius:4px}button{background:#9f1c1c;color:#fff;border-color:#9f1c1c;cursor:pointer}button.secondary{background:#fff;color:#1f2933;border-color:#cbd2d9}
.filters{display:flex;gap:8px;flex-wrap:wrap;margin-bottom:12px}.msg{padding:10px 14px;border-radius:4px;margin-bottom:12px}.msg.err{background:#fde8e8;color:#9f1c1c}.msg.info{background:#e6f4ea;color:#1e6b34}
.muted{color:#7b8794}.pager a{margin-right:8px}
header .who form{display:inline;margin:0}header .who button{background:none;border:none;padding:0;color:#fff;text-decoration:underline;font-size:13px}
.narrow{max-width:520px}.wide{width:100%}.gap-top{margin-top:16px}.section{margin-top:28px}h2{font-size:16px}
.form-grid{display:grid;grid-template-columns:120px 1fr;gap:10px;max-width:760px}.check{margin-right:12px}.w-year{width:90px}.w-time{width:160px}
th{white-space:nowrap}.table-wrap{overflow-x:auto}
@media (max-width:720px){header{height:auto;flex-wrap:wrap;gap:6px 16px;padding:8px 12px}header nav{display:flex;flex-wrap:wrap;gap:4px 12px}header nav a{margin-right:0}header nav a.on{padding-bottom:2px}header .who{margin-left:0}main{padding:0 10px;margin-top:12px}.form-grid{grid-template-columns:1fr}table{display:block;overflow-x:auto}}
/* lists and forms */
.pager{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;margin:8px 0}.pager .pages{display:flex;flex-wrap:wrap;gap:4px 10px}.pager b{color:#9f1c1c}
th a.sort{color:inherit;text-decoration:none}th a.sort:hover{text-decoration:underline}.actions{display:flex;flex-wrap:wrap;gap:6px 16px;margin:0 0 8px}
.field-err{color:#9f1c1c;font-size:13px;margin-top:4px}.has-err input,.has-err select{border-color:#9f1c1c}.hint{font-size:12px;margin-top:2px}
fieldset.plain{border:none;padding:0;margin:0 0 8px}fieldset.plain legend{padding:0;margin-bottom:4px;font-weight:600}
.summary-tables{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}.week-nav{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;margin-bottom:12px}.week-nav .range{font-weight:600}
.bulk-bar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}td.pick{width:28px}td .tag{white-space:nowrap}
@media (max-width:720px){.table-wrap table{display:table;min-width:760px}.filters select,.filters input{max-width:100%}h1{font-size:18px}}
/* charts */
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:12px;margin-top:16px}.chart{margin-bottom:0}.chart h2{margin:0 0 10px}.chart svg{display:block;width:100%;height:auto}.chart svg.swatch{display:inline-block;width:12px;height:12px}
.chart svg.heatmap{max-width:780px}.legend{list-style:none;padding:0;margin:8px 0 0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px}.legend .swatch{vertical-align:-1px;margin-right:4px}
.chart-note{font-size:12px;margin:6px 0 0}details.figures{margin-top:6px;font-size:13px}details.figures summary{cursor:pointer;color:#7b8794}details.figures table{margin-top:6px}
@media (max-width:720px){.charts{grid-template-columns:1fr}}
`;

/** A red seal with 政, as a data: URL (the Content-Security-Policy allows data: images). */
const FAVICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#9f1c1c"/><text x="16" y="23" font-size="19" text-anchor="middle" fill="#fff" font-family="sans-serif">政</text></svg>',
  );

export function Layout(props: { title: string; path: string; who?: Who; message?: { kind: "err" | "info"; text: string }; children: Child }) {
  // The doctype keeps browsers in standards mode: without it tables fall back to quirks-mode font sizes.
  return (
    <>
    {raw("<!DOCTYPE html>")}
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · 政务新媒体备案与监测</title>
        <link rel="icon" href={FAVICON} />
        <link rel="stylesheet" href={UI_CSS_PATH} />
      </head>
      <body>
        <header>
          <span class="brand">政务新媒体备案与监测</span>
          {props.who ? (
            <nav>
              {NAV.filter(([, , roles]) => roles.includes(props.who!.role)).map(([href, label]) => (
                <a href={href} class={props.path === href ? "on" : ""}>
                  {label}
                </a>
              ))}
            </nav>
          ) : null}
          {props.who ? (
            <span class="who">
              {props.who.label} ·{" "}
              {/* A form, not a link: logging out changes state, so it is a same-origin POST. */}
              <form method="post" action="/logout">
                <button type="submit">退出</button>
              </form>
            </span>
          ) : null}
        </header>
        <main>
          {props.message ? <div class={`msg ${props.message.kind}`}>{props.message.text}</div> : null}
          {props.children}
        </main>
      </body>
    </html>
    </>
  );
}
