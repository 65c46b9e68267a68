// The interactive API reference served at /api/docs: no CDN, no external fonts or scripts
// (government intranets are offline). Its stylesheet and script are served from this origin
// (/api/docs.css, /api/docs.js) rather than inlined, so the Content-Security-Policy needs no
// 'unsafe-inline'. The script is written and type-checked in docs-client.ts.
// Note for editors: DOCS_STYLE is a TS template literal, so it contains no backticks, no
// dollar-brace sequences and no backslashes.
import { docsClient } from "./docs-client";
import { docsSchemaKit } from "./docs-schema";

export const DOCS_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.6 -apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2933;background:#f5f7fa}
header{position:sticky;top:0;z-index:5;display:flex;flex-wrap:wrap;gap:12px;align-items:center;padding:10px 24px;background:#8b1a1a;color:#fff}
header h1{margin:0 16px 0 0;font-size:18px}header label{display:flex;gap:6px;align-items:center}
header input{padding:4px 8px;border:1px solid #ccc;border-radius:4px;min-width:200px}header a{color:#ffe9a8}
main{max-width:1100px;margin:0 auto;padding:16px 24px 64px}h2{margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid #d9dee5;font-size:17px}
h3{margin:14px 0 6px;font-size:14px;color:#52606d}.muted{color:#7b8794}.err{color:#b42318;white-space:pre-wrap}
details.op{scroll-margin-top:64px;margin:6px 0;background:#fff;border:1px solid #d9dee5;border-radius:6px}
details.op>summary{display:flex;gap:10px;align-items:baseline;padding:8px 12px;cursor:pointer;list-style:none}
details.op>summary::-webkit-details-marker{display:none}details.op[open]>summary{border-bottom:1px solid #e4e7eb}
.method{display:inline-block;min-width:58px;padding:1px 6px;border-radius:4px;color:#fff;font:bold 12px/18px monospace;text-align:center}
.m-get .method{background:#1d70b8}.m-post .method{background:#00703c}.m-patch .method{background:#b35c00}
.m-put .method{background:#6f3cc3}.m-delete .method{background:#b42318}
code,pre,textarea{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}.path{font-weight:bold}.opbody{padding:4px 14px 14px}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{border:1px solid #e4e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:normal;color:#52606d}.req{color:#b42318;font-weight:bold;margin-left:2px}
.chip{display:inline-block;margin:1px 3px 1px 0;padding:0 5px;border-radius:3px;background:#eef2f7;font:12px monospace}
.type{color:#6f3cc3;font-family:monospace;white-space:nowrap}.status{font-weight:bold;font-family:monospace;margin-right:6px}
.try{margin-top:12px;padding:10px 12px;background:#fafbfc;border:1px dashed #c5ccd6;border-radius:6px}
.try label{display:block;margin:4px 0}.try label span{display:inline-block;min-width:120px;font-family:monospace}
.try input[type=text],.try select{padding:3px 6px;min-width:260px}.try textarea{width:100%;min-height:140px;padding:6px}
button{padding:4px 14px;margin:6px 6px 0 0;border:1px solid #8b1a1a;border-radius:4px;background:#8b1a1a;color:#fff;cursor:pointer}
button.plain{background:#fff;color:#8b1a1a}
pre{margin:6px 0;padding:8px;max-height:480px;overflow:auto;background:#1f2933;color:#e4e7eb;border-radius:4px;white-space:pre-wrap;word-break:break-all}
#filter{padding:5px 8px;width:320px;margin-top:8px}
`;

// The script is docs-client.ts's function called with docs-schema.ts's, both served as their own
// source. tsx and wrangler build with esbuild's keepNames, which wraps named functions in a
// module-level __name() helper the browser never sees: the script brings a no-op of its own.
export const DOCS_SCRIPT = `(function () {
"use strict";
var __name = function (fn) { return fn; };
(${docsClient.toString()})(${docsSchemaKit.toString()});
})();
`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const DOCS_STYLE_PATH = "/api/docs.css";
export const DOCS_SCRIPT_PATH = "/api/docs.js";

/** The full HTML document of the API reference; `specUrl` is where the OpenAPI 3.1 JSON is served. */
export function docsPage(specUrl: string): string {
  // The spec URL reaches the script as a data attribute: no inline script to allow.
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>govmedia API 文档</title>
<link rel="stylesheet" href="${DOCS_STYLE_PATH}">
</head>
<body>
<header>
<h1>govmedia API 文档</h1>
<label>访问令牌 <input id="token" type="password" autocomplete="off" placeholder="粘贴令牌（保存在本浏览器）"></label>
<a href="${escapeHtml(specUrl)}">OpenAPI JSON</a>
</header>
<main id="app" data-spec-url="${escapeHtml(specUrl)}"><p class="muted">正在加载接口说明…</p></main>
<script src="${DOCS_SCRIPT_PATH}"></script>
</body>
</html>`;
}
