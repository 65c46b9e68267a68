// 公开抽查情况: the published quarterly notices, for anyone, without login (docs/规则依据.md#公开抽查情况).
// Only the snapshot taken when a supervisor published (publicNotice) is shown, never live data, so
// nothing unpublished or private can reach these pages. Unknown, unpublished and withdrawn answer
// the same 404, so the pages do not tell which governments exist.
import { Hono, type Context } from "hono";
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { DbOrTx } from "../db/client";
import { currentPublication, currentPublications, type PublishedNoticeRow } from "../db/queries/reports";
import { chineseDate, formatRate, formatSamplingRate, type PublicFailingRow, type PublicNotice } from "../domain/reports";
import { shanghaiDate } from "../domain/weeks";
import { quarterTitle } from "../export/quarterly-notice";

export const PUBLIC_CSS_PATH = "/public/assets/public.css";
// Print-friendly: black on white, tables that break between rows, links printed with nothing else.
export const PUBLIC_CSS = `
*{box-sizing:border-box}body{margin:0;font-family:"FangSong","STFangsong","SimSun","Songti SC",serif;color:#111;background:#fff;font-size:15px;line-height:1.7}
main{max-width:960px;margin:24px auto;padding:0 20px}h1{font-size:22px;text-align:center;margin:8px 0 4px}h2{font-size:17px;margin:22px 0 8px}
.issuer{text-align:center;color:#444;margin:0 0 18px}p.lead{text-indent:2em}
table{width:100%;border-collapse:collapse;margin:6px 0 14px;font-size:14px}th,td{border:1px solid #888;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f2f2f2}td.n{text-align:right}
ul.list{padding-left:1.2em}footer{max-width:960px;margin:24px auto;padding:0 20px;color:#555;font-size:13px}a{color:#1a3f8f}
@media print{main{margin:0;max-width:none}a{color:#111;text-decoration:none}tr{break-inside:avoid}footer{display:none}}
`;

const CACHE = "public, max-age=300";

function Page(props: { title: string; children: Child }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="zh-CN">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          <link rel="stylesheet" href={PUBLIC_CSS_PATH} />
        </head>
        <body>
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}

const publishedDay = (iso: string) => chineseDate(shanghaiDate(new Date(iso)));
const quarterLabel = (year: number, quarter: number) => `${year}年第${quarter}季度`;
const noticePath = (gov: string, year: number, quarter: number) => `/public/${encodeURIComponent(gov)}/sampling/${year}/${quarter}`;

function RateTable(props: { head: string; rows: PublicNotice["byUnit"] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>{props.head}</th>
          <th>抽取</th>
          <th>已检查</th>
          <th>合格</th>
          <th>不合格</th>
          <th>合格率</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <td>{r.label}</td>
            <td class="n">{r.sampled}</td>
            <td class="n">{r.checked}</td>
            <td class="n">{r.passed}</td>
            <td class="n">{r.failed}</td>
            <td class="n">{formatRate(r.passRate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FailTable(props: { rows: PublicFailingRow[]; veto: boolean }) {
  return (
    <table>
      <thead>
        <tr>
          <th>序号</th>
          <th>账号名称</th>
          <th>平台</th>
          <th>主办单位</th>
          {props.veto ? <th>单项否决事项</th> : null}
          <th>存在问题</th>
          <th>整改要求</th>
          <th>整改期限</th>
          <th>整改情况</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((f, i) => (
          <tr>
            <td class="n">{i + 1}</td>
            <td>{f.accountName}</td>
            <td>{f.platformLabel}</td>
            <td>{f.orgName}</td>
            {props.veto ? <td>{f.vetoItems.join("；")}</td> : null}
            <td>{f.problems.join("；")}</td>
            <td>{f.requirement ?? ""}</td>
            <td>{f.deadline ?? ""}</td>
            <td>{f.rectifiedAt ? `${f.status}（${f.rectifiedAt}）` : f.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NoticePage(props: { n: PublicNotice; publishedAt: string; indexPath: string }) {
  const n = props.n;
  const title = quarterTitle(n.year, n.quarter);
  const population = n.rounds.reduce((s, r) => s + r.population, 0);
  const r = n.rectification;
  return (
    <Page title={`${n.governmentName}${title}`}>
      <h1>{title}</h1>
      <p class="issuer">
        {n.governmentName} · 公开日期 {publishedDay(props.publishedAt)}
      </p>
      <h2>一、总体情况</h2>
      <p class="lead">
        本季度共{n.rounds.length}个抽查单位开展抽查，纳入抽查范围的账号{population}个，抽取{n.sampled}个，已完成检查{n.checked}个，其中合格{n.passed}个、不合格{n.failed}
        个，合格率{formatRate(n.passRate)}。
      </p>
      <table>
        <thead>
          <tr>
            <th>抽查单位</th>
            <th>账号总数</th>
            <th>抽查比例</th>
            <th>随机种子</th>
            <th>已检查</th>
            <th>合格</th>
            <th>不合格</th>
            <th>合格率</th>
          </tr>
        </thead>
        <tbody>
          {n.rounds.map((x) => (
            <tr>
              <td>{x.unitName}</td>
              <td class="n">{x.population}</td>
              <td class="n">{formatSamplingRate(x.rate)}</td>
              <td>{x.seed}</td>
              <td class="n">{x.checked}</td>
              <td class="n">{x.passed}</td>
              <td class="n">{x.failed}</td>
              <td class="n">{formatRate(x.passRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>二、分平台情况</h2>
      <RateTable head="平台" rows={n.byPlatform} />
      <h2>三、分单位情况</h2>
      <RateTable head="主办单位" rows={n.byUnit} />
      <h2>四、单位得分</h2>
      <p>满分100分，按检查发现的问题和监测情况扣分；存在单项否决事项的单位为不合格，不论得分。</p>
      <table>
        <thead>
          <tr>
            <th>名次</th>
            <th>主办单位</th>
            <th>得分</th>
            <th>结论</th>
            <th>扣分情况</th>
          </tr>
        </thead>
        <tbody>
          {n.unitScores.map((s, i) => (
            <tr>
              <td class="n">{i + 1}</td>
              <td>{s.orgName}</td>
              <td class="n">{s.score}</td>
              <td>{s.verdictLabel}</td>
              <td>{s.deductions.map((d) => `${d.label}${d.count}处扣${d.points}分`).join("；") || "无扣分"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>五、存在的问题及整改情况</h2>
      {n.vetoed.length + n.failing.length === 0 ? (
        <p>本季度已检查的账号均为合格。</p>
      ) : (
        <>
          <p class="lead">
            截至{chineseDate(n.asOfDate)}，不合格账号{r.failing}个，已整改{r.rectified}个，整改中{r.pending}个，逾期未整改{r.overdue}个。
          </p>
          {n.vetoed.length > 0 ? (
            <>
              <h2>（一）单项否决账号</h2>
              <FailTable rows={n.vetoed} veto={true} />
            </>
          ) : null}
          {n.failing.length > 0 ? (
            <>
              <h2>{n.vetoed.length > 0 ? "（二）其他不合格账号" : "不合格账号"}</h2>
              <FailTable rows={n.failing} veto={false} />
            </>
          ) : null}
        </>
      )}
      <p>
        <a href={props.indexPath}>{n.governmentName}历次公开的抽查情况</a>
      </p>
    </Page>
  );
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function rss(origin: string, gov: string, governmentName: string, rows: PublishedNoticeRow[]): string {
  const channelLink = `${origin}/public/${encodeURIComponent(gov)}/sampling`;
  const items = rows.map((p) => {
    const n = p.snapshot as PublicNotice;
    const link = `${origin}${noticePath(gov, p.year, p.quarter)}`;
    const summary = `抽取${n.sampled}个，已检查${n.checked}个，合格${n.passed}个，不合格${n.failed}个，合格率${formatRate(n.passRate)}。`;
    return [
      "<item>",
      `<title>${xml(`${n.governmentName}${quarterTitle(p.year, p.quarter)}`)}</title>`,
      `<link>${xml(link)}</link>`,
      `<guid isPermaLink="false">${xml(`${gov}/${p.year}/${p.quarter}/${p.publishedAt}`)}</guid>`,
      `<pubDate>${new Date(p.publishedAt).toUTCString()}</pubDate>`,
      `<description>${xml(summary)}</description>`,
      "</item>",
    ].join("");
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0"><channel>',
    `<title>${xml(`${governmentName}政务新媒体抽查情况`)}</title>`,
    `<link>${xml(channelLink)}</link>`,
    `<description>${xml(`${governmentName}公开的政务新媒体季度抽查情况`)}</description>`,
    "<language>zh-cn</language>",
    ...items,
    "</channel></rss>",
  ].join("\n");
}

/** Mounted at the app root before the login check: every path is under /public/. */
export function createPublicPages(deps: { db: DbOrTx; publicUrl?: string }) {
  const pub = new Hono();
  const notFound = (c: Context) =>
    c.html(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>未找到</title></head><body><p>未找到该公开信息，或已撤回。</p></body></html>`, 404);

  pub.get(PUBLIC_CSS_PATH, (c) => c.body(PUBLIC_CSS, 200, { "content-type": "text/css; charset=utf-8", "cache-control": CACHE }));

  pub.get("/public/:gov/sampling/:year/:quarter", async (c) => {
    const { gov, year, quarter } = c.req.param();
    if (!/^\d{4}$/.test(year) || !/^[1-4]$/.test(quarter)) return notFound(c);
    const p = await currentPublication(deps.db, gov, Number(year), Number(quarter));
    if (!p) return notFound(c);
    c.header("cache-control", CACHE);
    return c.html(<NoticePage n={p.snapshot as PublicNotice} publishedAt={p.publishedAt} indexPath={`/public/${encodeURIComponent(gov)}/sampling`} />);
  });

  pub.get("/public/:gov/sampling", async (c) => {
    const gov = c.req.param("gov");
    const rows = await currentPublications(deps.db, gov);
    if (rows.length === 0) return notFound(c);
    const name = (rows[0]!.snapshot as PublicNotice).governmentName;
    c.header("cache-control", CACHE);
    return c.html(
      <Page title={`${name}政务新媒体抽查情况`}>
        <h1>{name}政务新媒体抽查情况</h1>
        <ul class="list">
          {rows.map((p) => (
            <li>
              <a href={noticePath(gov, p.year, p.quarter)}>{quarterLabel(p.year, p.quarter)}抽查情况</a>（公开于{publishedDay(p.publishedAt)}）
            </li>
          ))}
        </ul>
        <p>
          <a href={`/public/${encodeURIComponent(gov)}/sampling.xml`}>RSS 订阅</a>
        </p>
      </Page>,
    );
  });

  pub.get("/public/:gov/:feed{sampling\\.xml}", async (c) => {
    const gov = c.req.param("gov");
    const rows = await currentPublications(deps.db, gov);
    if (rows.length === 0) return notFound(c);
    const origin = deps.publicUrl ? new URL(deps.publicUrl).origin : new URL(c.req.url).origin;
    const name = (rows[0]!.snapshot as PublicNotice).governmentName;
    return c.body(rss(origin, gov, name, rows), 200, { "content-type": "application/rss+xml; charset=utf-8", "cache-control": CACHE });
  });

  return pub;
}
