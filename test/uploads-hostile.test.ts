// Hostile uploads against the real Node server (issue: "A 10 KB XLSX stops the server"): each is
// refused with a Chinese message in well under 2 s, while the server's memory is sampled throughout.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { makeZip } from "./support/zip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvLimitError, parseCsv, TABLE_LIMITS } from "../src/lib/csv";
import { MAX_LEDGER_ROWS } from "../src/domain/ledger";

const run = promisify(execFile);
const tsx = join(process.cwd(), "node_modules/.bin/tsx");
const dir = mkdtempSync(join(tmpdir(), "govmedia-hostile-"));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, "govmedia.db")}`, RUN_JOBS: "false" };
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const MB = 1024 * 1024;

// ---- the server and its memory ----

let server: ChildProcess;
let sampler: ReturnType<typeof setInterval> | undefined;
let maxRssKb = 0;
let supervisor = "";
let accountId = "";
const timings: string[] = [];

/** tsx runs the server in a child node process: the whole tree counts. */
function processTree(pid: number): number[] {
  const kids: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (list) kids.push(...list.split(/\s+/).map(Number));
    }
  } catch {
    // the process ended between listing and reading
  }
  return [pid, ...kids.flatMap(processTree)];
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function waitFor(url: string, ms = 30000) {
  const start = Date.now();
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    if (Date.now() - start > ms) throw new Error(`server did not answer ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function api(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  server = spawn(tsx, ["src/node.ts"], { env: { ...env, PORT: String(port) }, stdio: "pipe" });
  await waitFor(`${base}/health`);
  const { stdout } = await run(tsx, ["src/cli.ts", "bootstrap", "--name", "盘锦市人民政府", "--level", "city"], { env });
  const root = JSON.parse(stdout.trim()) as { orgId: string; token: string };
  const tok = await api(root.token, "POST", "/api/tokens", { orgId: root.orgId, role: "supervisor", label: "主管" });
  expect(tok.status, JSON.stringify(tok.body)).toBe(201);
  supervisor = tok.body.token;
  const acc = await api(supervisor, "POST", "/api/accounts", { orgId: root.orgId, platform: "weibo", name: "盘锦发布", platformId: "pj-weibo" });
  expect(acc.status, JSON.stringify(acc.body)).toBe(201);
  accountId = acc.body.id;
  for (const pid of processTree(server.pid!)) maxRssKb = Math.max(maxRssKb, rssKb(pid));
  timings.push(`server RSS at start ${Math.round(maxRssKb / 1024)} MB`);
  sampler = setInterval(() => {
    for (const pid of processTree(server.pid!)) maxRssKb = Math.max(maxRssKb, rssKb(pid));
  }, 50);
});

afterAll(() => {
  if (sampler) clearInterval(sampler);
  server?.kill("SIGTERM");
  if (timings.length > 0) console.log(`hostile uploads: ${timings.join("; ")}; server max RSS ${Math.round(maxRssKb / 1024)} MB`);
});

// ---- hostile files ----


const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
function workbook(sheet: string, more: { name: string; data: string | Uint8Array; claim?: number }[] = [], sheetClaim?: number) {
  return makeZip([
    { name: "xl/workbook.xml", data: `<workbook ${NS}><sheets><sheet name="发文" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    {
      name: "xl/_rels/workbook.xml.rels",
      data: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    },
    { name: "xl/worksheets/sheet1.xml", data: sheet, claim: sheetClaim },
    ...more,
  ]);
}
const sheet = (rows: string, dimension?: string) =>
  `<worksheet ${NS}>${dimension ? `<dimension ref="${dimension}"/>` : ""}<sheetData>${rows}</sheetData></worksheet>`;
const rowsOf = (n: number, cell: (r: number) => string) => Array.from({ length: n }, (_, i) => `<row r="${i + 1}">${cell(i + 1)}</row>`).join("");

interface Hostile {
  label: string;
  body: () => Uint8Array;
  type: string;
  status: number;
  message: RegExp;
}

const HOSTILE: Hostile[] = [
  {
    label: "1000 rows × one cell in XFD",
    body: () => workbook(sheet(rowsOf(1000, (r) => `<c r="XFD${r}" t="inlineStr"><is><t>x</t></is></c>`), "A1:XFD1000")),
    type: XLSX,
    status: 413,
    message: /16384 列/,
  },
  {
    label: "XFD cells under a lying dimension",
    body: () => workbook(sheet(rowsOf(1000, (r) => `<c r="XFD${r}" t="inlineStr"><is><t>x</t></is></c>`), "A1:A1000")),
    type: XLSX,
    status: 413,
    message: /XFD 列/,
  },
  {
    label: "400000 rows, no dimension",
    body: () => workbook(sheet(rowsOf(400_000, (r) => `<c r="A${r}"><v>${r}</v></c>`))),
    type: XLSX,
    status: 413,
    // Refused while the sheet is inflated for inspection, before any row is parsed.
    message: /上限 20001 行/,
  },
  {
    label: "zip bomb (20 MB of zeros in one part)",
    body: () => workbook(sheet(""), [{ name: "xl/media/image1.png", data: new Uint8Array(20 * MB) }]),
    type: XLSX,
    status: 413,
    message: /倍/,
  },
  {
    label: "zip bomb claiming 4 GB",
    body: () => workbook(sheet(""), [], 0xfffffff0),
    type: XLSX,
    status: 413,
    message: /倍|MB/,
  },
  {
    label: "zip bomb lying small (20 MB sheet claiming 4 KB)",
    body: () => workbook(sheet(rowsOf(20_000, (r) => `<c r="A${r}" t="inlineStr"><is><t>${"x".repeat(1000)}</t></is></c>`)), [], 4000),
    type: XLSX,
    status: 400,
    message: /解压后比文件记录的大/,
  },
  {
    label: "CSV of one 50 MB line",
    body: () => new Uint8Array(50 * MB).fill(0x61),
    type: "text/csv",
    status: 413,
    message: /10 MB|过大/,
  },
  {
    label: "CSV of one 9 MB line",
    body: () => new Uint8Array(9 * MB).fill(0x61),
    type: "text/csv",
    status: 413,
    message: /10000 个字符/,
  },
  {
    label: "CSV of 400000 rows",
    body: () => new TextEncoder().encode("标题\r\n" + "x\r\n".repeat(400_000)),
    type: "text/csv",
    status: 413,
    message: /第20002行/,
  },
  {
    label: "CSV of 100000 columns",
    body: () => new TextEncoder().encode("标题" + ",x".repeat(100_000)),
    type: "text/csv",
    status: 413,
    message: /第 201 列/,
  },
];

const ENDPOINTS = [
  { name: "posts", path: () => `/api/accounts/${accountId}/posts/import?dryRun=true` },
  { name: "ledger", path: () => "/api/accounts/import?dryRun=true" },
];

/** Times the server's answer, not the client finishing its upload (the server may answer first). */
function post(path: string, body: Uint8Array, type: string) {
  return new Promise<{ status: number; json: { error?: { code: string; message: string } }; ms: number }>((resolve, reject) => {
    const start = performance.now();
    const req = request(base + path, { method: "POST", headers: { authorization: `Bearer ${supervisor}`, "content-type": type, "content-length": body.length } }, (res) => {
      const ms = performance.now() - start;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")), ms }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("hostile uploads against the running server", () => {
  for (const h of HOSTILE) {
    it(`refuses ${h.label} quickly with a Chinese message, on both import endpoints`, async () => {
      const body = h.body();
      for (const ep of ENDPOINTS) {
        const r = await post(ep.path(), body, h.type);
        timings.push(`${h.label} (${(body.length / MB).toFixed(2)} MB) → ${ep.name} ${r.status} ${Math.round(r.ms)} ms, max RSS so far ${Math.round(maxRssKb / 1024)} MB`);
        expect(r.status, JSON.stringify(r.json)).toBe(h.status);
        expect(r.json.error?.message).toMatch(/[\u4e00-\u9fa5]/);
        expect(r.json.error?.message).toMatch(h.message);
        expect(r.ms).toBeLessThan(2000);
      }
      expect(maxRssKb / 1024).toBeLessThan(300);
    });
  }

  it("still imports an ordinary small XLSX on both endpoints (dry run)", async () => {
    const posts = new ExcelJS.Workbook();
    const p = posts.addWorksheet("发文");
    p.addRow(["发布时间", "标题", "链接", "唯一标识"]);
    p.addRow(["2026-01-05 09:30", "盘锦市召开政务公开工作会议", "https://example.gov.cn/a/1", "a1"]);
    p.addRow(["2026-01-06 10:00", "关于开展2026年度政务新媒体检查的通知", "https://example.gov.cn/a/2", "a2"]);
    const r1 = await post(ENDPOINTS[0]!.path(), new Uint8Array((await posts.xlsx.writeBuffer()) as ArrayBuffer), XLSX);
    expect(r1.status, JSON.stringify(r1.json)).toBe(200);
    expect(r1.json).toMatchObject({ dryRun: true, total: 2, errors: [] });

    const ledger = new ExcelJS.Workbook();
    const l = ledger.addWorksheet("台账");
    l.addRow(["账号名称", "平台", "账号ID", "主办单位", "链接", "订阅地址", "开设日期", "运维人员", "联系电话"]);
    l.addRow(["盘锦政务", "微信公众号", "pj-wx", "盘锦市人民政府", "", "", new Date(Date.UTC(2020, 4, 6)), "李四", "13800000000"]);
    const r2 = await post(ENDPOINTS[1]!.path(), new Uint8Array((await ledger.xlsx.writeBuffer()) as ArrayBuffer), XLSX);
    expect(r2.status, JSON.stringify(r2.json)).toBe(200);
    expect(r2.json).toMatchObject({ dryRun: true, total: 1, valid: 1, errors: [] });
  });
});

describe("parseCsv limits", () => {
  const small = { maxRows: 3, maxColumns: 2, maxCellChars: 5 };
  const limitError = (text: string) => {
    try {
      parseCsv(text, small);
    } catch (e) {
      expect(e).toBeInstanceOf(CsvLimitError);
      return e as CsvLimitError;
    }
    throw new Error("expected a CsvLimitError");
  };

  it("matches the ledger's row limit: a header plus MAX_LEDGER_ROWS", () => {
    expect(TABLE_LIMITS.maxRows).toBe(MAX_LEDGER_ROWS + 1);
  });

  it("stops at the first row, column or cell past a limit, with its row number", () => {
    expect(limitError("a\nb\nc\nd\n")).toMatchObject({ row: 4 });
    expect(limitError("a\nb,c,d\n").row).toBe(2);
    expect(limitError("a\nb,c,d\n").message).toContain("第 3 列");
    expect(limitError('a\n"x\ny",123456\n').row).toBe(2);
    expect(limitError("a\n\n123456").message).toContain("超过 5 个字符");
  });

  it("drops blank cells and rows past the limits instead of refusing", () => {
    expect(parseCsv("a,b,,,\r\nc,d\r\ne\r\n\r\n,,\r\n", small)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
  });

  it("refuses a one-line 50 MB field after reading only past the cell limit", () => {
    const text = "a".repeat(50 * MB);
    expect(text.charCodeAt(text.length - 1)).toBe(0x61); // built before the clock starts
    const start = performance.now();
    expect(() => parseCsv(text)).toThrow(CsvLimitError);
    expect(performance.now() - start).toBeLessThan(200);
  });
});
