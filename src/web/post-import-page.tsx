// Importing an account's posts (发文记录) from a CSV/XLSX file in the web UI, for accounts without a
// feed: check first, then import; duplicates of posts already known are counted, not stored twice.
import type { Hono } from "hono";
import { POST_COLUMNS, POST_TEXT_COLUMNS } from "../export/post-upload";
import { UPLOAD_FILE_LIMIT } from "../lib/body-limits";
import * as accountRoutes from "../routes/accounts/accounts.routes";
import * as postRoutes from "../routes/posts/posts.routes";
import { Layout } from "./layout";
import { RowErrorTable } from "./form-kit";
import { back, message, sameOrigin, who, type PageKit, type UiEnv } from "./page-kit";

function UploadForm(props: { accountId: string; dryRun: boolean }) {
  return (
    <form class="card" method="post" action={`/accounts/${props.accountId}/posts/import`} enctype="multipart/form-data">
      <p>
        上传 CSV 或 Excel（.xlsx）文件（不超过 {UPLOAD_FILE_LIMIT / 1024 / 1024} MB），第一行为表头：{POST_COLUMNS.join("、")}。其中标题必填；发布时间按北京时间填写，如 2026-11-22 23:59；不填则记为导入时间。可另加{POST_TEXT_COLUMNS.join("或")}列（选填），用于错敏词和链接检查，只保存前 2000 字。
      </p>
      <p class="muted">先“只校验”检查全部行；有任何错误行时不会导入。同一篇文章（按链接、唯一标识或标题+时间识别）重复导入只记一次。</p>
      <input type="file" name="file" accept=".csv,.xlsx" required aria-label="发文记录文件" />{" "}
      <label>
        <input type="checkbox" name="dryRun" value="true" checked={props.dryRun} /> 只校验
      </label>{" "}
      <button type="submit">上传</button>
    </form>
  );
}

export function registerPostImportPage(ui: Hono<UiEnv>, { api }: PageKit) {
  ui.get("/accounts/:id/posts/import", async (c) => {
    const id = c.req.param("id");
    const a = await api(c, accountRoutes.getAccount, { params: { id } });
    if (!a.ok) return c.redirect(back("/accounts", false, a.body.error.message));
    return c.html(
      <Layout title="导入发文记录" path="/accounts" who={who(c)} message={message(c)}>
        <h1>导入发文记录：{a.body.name}</h1>
        <UploadForm accountId={id} dryRun={true} />
        <p>
          <a href={`/accounts/${id}`}>返回账号</a>
        </p>
      </Layout>,
    );
  });

  ui.post("/accounts/:id/posts/import", async (c) => {
    if (!sameOrigin(c)) return c.text("forbidden", 403);
    const id = c.req.param("id");
    const form = await c.req.formData();
    const dryRun = form.get("dryRun") === "true";
    const out = new FormData();
    const file = form.get("file");
    if (file && typeof file !== "string") out.append("file", file);
    const res = await api(c, postRoutes.importPosts, { params: { id }, query: { dryRun: String(dryRun) }, body: out });
    // A refused import lists its row errors in the error's details.
    const errors = (res.ok ? res.body.errors : (res.body.error.details ?? [])) as { row: number; column?: string; message: string }[];
    const clean = res.ok && errors.length === 0;
    const summary = res.ok
      ? dryRun
        ? errors.length
          ? `共 ${res.body.total} 行，${new Set(errors.map((e) => e.row)).size} 行有错误，未导入；请修改后重新上传`
          : `共 ${res.body.total} 行，校验通过：请再次选择该文件，取消“只校验”后上传`
        : `已导入 ${res.body.inserted} 条，重复 ${res.body.duplicates} 条（已有记录，未重复计入）`
      : res.body.error.message;
    return c.html(
      <Layout title="导入发文记录" path="/accounts" who={who(c)} message={{ kind: clean ? "info" : "err", text: summary }}>
        <h1>导入发文记录</h1>
        {res.ok && !dryRun ? (
          <div class="stats">
            <div class="stat">
              新增<b>{res.body.inserted}</b>
            </div>
            <div class="stat">
              重复<b>{res.body.duplicates}</b>
            </div>
          </div>
        ) : null}
        {errors.length > 0 ? (
          <RowErrorTable class="row-errors" errors={errors} />
        ) : null}
        {res.ok && !dryRun ? null : <UploadForm accountId={id} dryRun={!clean} />}
        <p>
          <a href={`/accounts/${id}`}>返回账号</a>
        </p>
      </Layout>,
    );
  });
}
