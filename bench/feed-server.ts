// The feed bridges of B2, on loopback: N feeds of 20 items each, shaped like what RSSHub (Weibo, RSS
// 2.0), WeWe RSS (WeChat, Atom) and government CMSs (RSS 2.0 in GBK) serve, with ETag/Last-Modified
// and 304 on a matching conditional request, and about 5% failing (5xx, malformed XML, a login page,
// a hang past the poller's timeout). Run as a child process (startFeedServerProcess) so serving costs
// no CPU in the poller's process; the bodies are made once at start.
import { fork, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createRandom } from "../src/demo/random";

export interface FeedServerOptions {
  feeds: number;
  /** Listeners on 127.0.0.1 (different ports stand for different bridge hosts). */
  listeners: number;
  /** The instant the feeds are served at: item dates are in the ten days before it. */
  now: string;
  seed?: string;
}

export type FeedKind = "rss" | "atom" | "gbk" | "http500" | "http502" | "malformed" | "html" | "hang";

/** How feed i behaves (deterministic): 10 in every 200 fail (5%). */
export function feedKind(i: number): FeedKind {
  switch (i % 200) {
    case 7:
    case 57:
    case 107:
    case 157:
      return "http500";
    case 31:
    case 131:
      return "http502";
    case 43:
    case 143:
      return "malformed";
    case 77:
      return "html";
    case 191:
      return "hang";
  }
  if (i % 10 === 3) return "gbk";
  return i % 3 === 0 ? "atom" : "rss";
}

/** Which validators feed i sends: most both, some only Last-Modified, a few none (the same body again). */
export function feedValidators(i: number): "both" | "last-modified" | "none" {
  if (i % 50 === 11) return "none";
  if (i % 20 === 17) return "last-modified";
  return "both";
}

export const feedPath = (i: number) => `/feeds/${i}.xml`;

// ---- bodies ------------------------------------------------------------------------------------

const TOPICS = ["安全生产", "营商环境", "乡村振兴", "医保缴费", "防汛抗旱", "义务教育招生", "森林防火", "就业创业补贴", "政务公开", "垃圾分类", "养老服务", "燃气安全"];
const TEMPLATES = ["{u}召开{t}工作推进会", "关于{t}的温馨提示", "政策解读｜{t}", "一图读懂{t}", "【通知】{t}有关事项", "{t}，这些事项请注意！", "{u}开展{t}专项行动", "{t}取得新进展"];
const UNITS = ["市教育局", "县人民政府", "区应急管理局", "市卫生健康委", "镇人民政府", "市场监管局", "公安分局", "人社局"];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

interface Item {
  title: string;
  html: string;
  id: string;
  link: string;
  at: Date;
}

function itemsOf(i: number, o: FeedServerOptions): Item[] {
  const rng = createRandom(`${o.seed ?? "bench"}/feed/${i}`);
  const now = Date.parse(o.now);
  const unit = rng.pick(UNITS);
  const uid = 1_000_000_000 + i * 7919;
  const out: Item[] = [];
  for (let k = 0; k < 20; k++) {
    const t = new Date(Math.floor((now - rng.int(10 * 86_400_000)) / 1000) * 1000);
    const topic = rng.pick(TOPICS);
    const title = rng.pick(TEMPLATES).replace("{u}", unit).replace("{t}", topic);
    const paras = 2 + rng.int(4);
    let html = "";
    for (let p = 0; p < paras; p++) {
      html += `<p>为进一步做好${topic}工作，${unit}近日组织召开专题会议，对下一阶段重点任务作出部署。会议要求，各单位要压实责任、细化措施，确保各项工作落到实处。</p>`;
      if (rng.chance(0.4)) html += `<p><img src="https://wx.qlogo.cn/mmbiz_jpg/${uid}${k}${p}/640?wx_fmt=jpeg" referrerpolicy="no-referrer"></p>`;
    }
    if (rng.chance(0.2)) html += `<br><a href="https://weibo.com/n/${esc(unit)}">@${unit}</a> #${topic}#`;
    const article = `${uid}${String(k).padStart(3, "0")}`;
    out.push({ title, html, id: article, link: `https://weibo.com/${uid}/${article}`, at: t });
  }
  return out.sort((a, b) => b.at.getTime() - a.at.getTime());
}

function rssBody(i: number, o: FeedServerOptions, encoding: "UTF-8" | "gbk"): string {
  const items = itemsOf(i, o)
    .map(
      (it) =>
        `    <item>\n      <title><![CDATA[${it.title}]]></title>\n      <description><![CDATA[${it.html}]]></description>\n      <pubDate>${it.at.toUTCString().replace("GMT", "+0000")}</pubDate>\n      <guid isPermaLink="false">${it.link}</guid>\n      <link>${it.link}</link>\n    </item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="${encoding}"?>\n<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">\n  <channel>\n    <title><![CDATA[政务账号${i}的微博]]></title>\n    <link>https://weibo.com/${1_000_000_000 + i * 7919}/</link>\n    <atom:link href="http://rsshub.example.gov.cn/weibo/user/${i}" rel="self" type="application/rss+xml" />\n    <description><![CDATA[政务账号${i}的微博 - Powered by RSSHub]]></description>\n    <generator>RSSHub</generator>\n    <webMaster>contact@rsshub.app (RSSHub)</webMaster>\n    <language>zh-cn</language>\n    <lastBuildDate>${new Date(o.now).toUTCString()}</lastBuildDate>\n    <ttl>5</ttl>\n${items}\n  </channel>\n</rss>\n`;
}

function atomBody(i: number, o: FeedServerOptions): string {
  const entries = itemsOf(i, o)
    .map(
      (it) =>
        `<entry><title><![CDATA[${it.title}]]></title><id>${it.id}</id><link href="https://mp.weixin.qq.com/s/${it.id}"/><published>${it.at.toISOString()}</published><updated>${it.at.toISOString()}</updated><summary type="html"><![CDATA[${it.html}]]></summary><content type="html"><![CDATA[${it.html}]]></content></entry>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>政务公众号${i}</title><link href="https://mp.weixin.qq.com/"/><id>https://wewe-rss.example.gov.cn/feeds/MP_WXS_${i}.atom</id><updated>${new Date(o.now).toISOString()}</updated><generator>WeWe-RSS</generator>${entries}</feed>`;
}

// GBK has no TextEncoder: the table is built from the decoder, once.
let gbkTable: Map<string, number> | null = null;
export function encodeGbk(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder("gbk");
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && ch !== "\ufffd" && !gbkTable.has(ch)) gbkTable.set(ch, (lead << 8) | trail);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else {
      const code = gbkTable.get(ch);
      if (code === undefined) out.push(0x3f);
      else out.push(code >> 8, code & 0xff);
    }
  }
  return Uint8Array.from(out);
}

interface Served {
  status: number;
  body: Buffer;
  headers: Record<string, string>;
}

function served(i: number, o: FeedServerOptions): Served | "hang" {
  const kind = feedKind(i);
  const lastModified = new Date(Date.parse(o.now) - (i % 3600) * 1000).toUTCString();
  const validators = feedValidators(i);
  const cache: Record<string, string> = {};
  if (validators === "both") cache.etag = `W/"${(i * 2654435761) % 4294967296}-${i}"`;
  if (validators !== "none") cache["last-modified"] = lastModified;
  switch (kind) {
    case "hang":
      return "hang";
    case "http500":
      return { status: 500, body: Buffer.from("Internal Server Error: Error: Request failed with status code 500"), headers: { "content-type": "text/plain; charset=utf-8" } };
    case "http502":
      return { status: 502, body: Buffer.from("<html><body><h1>502 Bad Gateway</h1></body></html>"), headers: { "content-type": "text/html" } };
    case "html":
      return { status: 200, body: Buffer.from("<!DOCTYPE html><html><head><title>登录</title></head><body>请先登录</body></html>"), headers: { "content-type": "text/html; charset=utf-8" } };
    case "malformed": {
      const full = rssBody(i, o, "UTF-8");
      // A bridge cut off mid-document (and an unescaped ampersand before the cut).
      return { status: 200, body: Buffer.from(full.slice(0, Math.floor(full.length / 2)).replace("<title>", "<title>A & B ")), headers: { "content-type": "application/rss+xml; charset=utf-8", ...cache } };
    }
    case "gbk":
      return { status: 200, body: Buffer.from(encodeGbk(rssBody(i, o, "gbk"))), headers: { "content-type": "text/xml; charset=GBK", ...cache } };
    case "atom":
      return { status: 200, body: Buffer.from(atomBody(i, o)), headers: { "content-type": "application/atom+xml; charset=utf-8", ...cache } };
    case "rss":
      return { status: 200, body: Buffer.from(rssBody(i, o, "UTF-8")), headers: { "content-type": "application/rss+xml; charset=utf-8", ...cache } };
  }
}

export interface FeedServerStats {
  ok: number;
  notModified: number;
  failed: number;
  hung: number;
  bytes: number;
}

export interface FeedServer {
  ports: number[];
  stats(): Promise<FeedServerStats>;
  close(): Promise<void>;
}

/** Starts the listeners in this process. */
export async function startFeedServer(o: FeedServerOptions): Promise<FeedServer> {
  const bodies: (Served | "hang")[] = [];
  for (let i = 0; i < o.feeds; i++) bodies.push(served(i, o));
  const stats: FeedServerStats = { ok: 0, notModified: 0, failed: 0, hung: 0, bytes: 0 };
  const hung = new Set<ServerResponse>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/feeds\/(\d+)\.xml$/.exec(req.url ?? "");
    const s = m ? bodies[Number(m[1])] : undefined;
    if (!s) {
      res.writeHead(404).end("not found");
      return;
    }
    if (s === "hang") {
      stats.hung++;
      hung.add(res);
      res.on("close", () => hung.delete(res));
      return;
    }
    const inm = req.headers["if-none-match"];
    const ims = req.headers["if-modified-since"];
    if (s.status === 200 && ((s.headers.etag && inm === s.headers.etag) || (!inm && s.headers["last-modified"] && ims === s.headers["last-modified"]))) {
      stats.notModified++;
      res.writeHead(304, s.headers.etag ? { etag: s.headers.etag } : {}).end();
      return;
    }
    if (s.status === 200) stats.ok++;
    else stats.failed++;
    stats.bytes += s.body.byteLength;
    res.writeHead(s.status, { ...s.headers, "content-length": String(s.body.byteLength) }).end(s.body);
  };
  const servers: Server[] = [];
  for (let l = 0; l < o.listeners; l++) {
    const server = createServer({ keepAliveTimeout: 5_000 }, handle);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(server);
  }
  return {
    ports: servers.map((s) => (s.address() as AddressInfo).port),
    stats: async () => ({ ...stats }),
    close: async () => {
      for (const res of hung) res.destroy();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/** Starts the listeners in a child process (through tsx), so the poller's process measures only itself. */
export async function startFeedServerProcess(o: FeedServerOptions): Promise<FeedServer & { pid: number }> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [JSON.stringify(o)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ask = <T>(msg: object, want: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type: string; value: T }) => {
        if (m.type !== want) return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(m.value);
      };
      const onExit = (code: number | null) => reject(new Error(`feed server exited (${code})`));
      child.on("message", onMessage);
      child.once("exit", onExit);
      if (Object.keys(msg).length > 0) child.send(msg);
    });
  const ports = await ask<number[]>({}, "ready");
  return {
    pid: child.pid!,
    ports,
    stats: () => ask<FeedServerStats>({ type: "stats" }, "stats"),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.send({ type: "close" });
      await exited;
    },
  };
}

// As a child process: start, report the ports, answer stats, close on request (or when the parent goes).
if (process.send && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const server = await startFeedServer(JSON.parse(process.argv[2]!) as FeedServerOptions);
  process.on("message", async (m: { type: string }) => {
    if (m.type === "stats") process.send!({ type: "stats", value: await server.stats() });
    if (m.type === "close") {
      await server.close();
      process.disconnect();
      process.exit(0);
    }
  });
  process.on("disconnect", () => process.exit(0));
  process.send({ type: "ready", value: server.ports });
}
