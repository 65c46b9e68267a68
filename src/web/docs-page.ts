// The interactive API reference served at /api/docs: no CDN, no external fonts or scripts
// (government intranets are offline). Its stylesheet and script are served from this origin
// (/api/docs.css, /api/docs.js) rather than inlined, so the Content-Security-Policy needs no
// 'unsafe-inline'. The script reads the OpenAPI document and builds the page with
// createElement/textContent only, never innerHTML with spec or response data.
// Note for editors: DOCS_STYLE and DOCS_SCRIPT are TS template literals, so they contain no backticks, no
// dollar-brace sequences and no backslashes.

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

export const DOCS_SCRIPT = `
(function () {
  "use strict";
  var spec = null, app = document.getElementById("app"), SPEC_URL = app.getAttribute("data-spec-url"), tokenInput = document.getElementById("token"), TOKEN_KEY = "govmedia.token";
  try { tokenInput.value = localStorage.getItem(TOKEN_KEY) || ""; } catch (e) {}
  tokenInput.addEventListener("input", function () { try { localStorage.setItem(TOKEN_KEY, tokenInput.value.trim()); } catch (e) {} });

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      if (c !== null && c !== undefined && c !== false) parent.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    }
    return parent;
  }
  function deref(ref) {
    var node = spec, parts = ref.indexOf("#/") === 0 ? ref.slice(2).split("/") : [];
    for (var i = 0; i < parts.length && node; i++) node = node[parts[i].split("~1").join("/").split("~0").join("~")];
    return parts.length ? node : undefined;
  }
  // Follows $ref chains; name is the last component name seen (e.g. "CreateAccount").
  function resolve(s) {
    var name = null, guard = 0;
    while (s && typeof s.$ref === "string" && guard++ < 20) { name = s.$ref.slice(s.$ref.lastIndexOf("/") + 1); s = deref(s.$ref); }
    return { schema: s || {}, name: name };
  }
  function variants(s) { return s.anyOf || s.oneOf || null; }
  function types(s) { return Array.isArray(s.type) ? s.type : s.type ? [s.type] : []; }
  function isNull(s) { s = resolve(s).schema; return s.type === "null" || s.const === null; }
  function nullable(s0) { var s = resolve(s0).schema, v = variants(s); return s.nullable === true || types(s).indexOf("null") >= 0 || (!!v && v.some(isNull)); }
  function isArrayOfObjects(s) { return types(s).indexOf("array") >= 0 && !!objectOf(s.items || {}); }
  // The object shape behind a schema (through $ref, allOf and a nullable anyOf/oneOf), or null.
  function objectOf(s0, depth) {
    var s = resolve(s0).schema, d = (depth || 0) + 1, v = variants(s);
    if (d > 8) return null;
    if (s.properties) return { props: s.properties, required: s.required || [] };
    if (s.allOf) {
      var parts = s.allOf.map(function (p) { return objectOf(p, d); }).filter(Boolean);
      return parts.length ? parts.reduce(function (m, o) { return { props: Object.assign(m.props, o.props), required: m.required.concat(o.required) }; }, { props: {}, required: [] }) : null;
    }
    for (var i = 0; v && i < v.length; i++) { var o = objectOf(v[i], d); if (o) return o; }
    return null;
  }
  function typeLabel(s0, depth) {
    var r = resolve(s0), s = r.schema, v = variants(s), d = (depth || 0) + 1;
    if (d > 6) return "…";
    if (r.name && (s.properties || s.allOf)) return r.name;
    if (v || s.allOf) return (v || s.allOf).map(function (x) { return typeLabel(x, d); }).join(v ? " | " : " & ");
    var t = types(s).map(function (x) { return x === "array" ? "array<" + typeLabel(s.items || {}, d) + ">" : x; });
    var label = t.length ? t.join(" | ") : s.properties ? "object" : "any";
    return s.format ? label + " (" + s.format + ")" : label;
  }
  function enumOf(s0) {
    var s = resolve(s0).schema, v = variants(s);
    if (s.enum) return s.enum;
    return v ? v.reduce(function (acc, x) { return acc.concat(enumOf(x) || []); }, []).filter(function (x) { return x !== null; }) : null;
  }
  var NOTES = [["minLength", "最少 ", " 字符"], ["maxLength", "最多 ", " 字符"], ["minimum", "最小 ", ""], ["maximum", "最大 ", ""], ["pattern", "格式 ", ""]];
  function describe(cell, s0, extraDesc) {
    var s = resolve(s0).schema, desc = extraDesc || s.description, en = enumOf(s0);
    var notes = NOTES.filter(function (n) { return s[n[0]] !== undefined && !(typeof s[n[0]] === "number" && Math.abs(s[n[0]]) > 1e15); })
      .map(function (n) { return n[1] + s[n[0]] + n[2]; });
    if (s.default !== undefined) notes.push("默认 " + JSON.stringify(s.default));
    if (desc) add(cell, el("div", null, desc));
    if (en && en.length) { var d = el("div", null, "可选值："); en.forEach(function (x) { add(d, el("span", "chip", x)); }); add(cell, d); }
    if (notes.length) add(cell, el("div", "muted", notes.join("；")));
  }
  function renderSchema(s0, depth, seen) {
    var r = resolve(s0), s = r.schema, obj = objectOf(s0);
    if (r.name && seen.indexOf(r.name) >= 0) return el("span", "muted", "（结构同上：" + r.name + "）");
    if (r.name) seen = seen.concat([r.name]);
    if (!obj && isArrayOfObjects(s)) return add(el("div"), el("div", "muted", "数组，每项为："), renderSchema(s.items, depth + 1, seen));
    if (!obj) { var line = add(el("div"), el("span", "type", typeLabel(s0))); describe(line, s0); return line; }
    var table = add(el("table"), add(el("tr"), el("th", null, "字段"), el("th", null, "类型"), el("th", null, "说明")));
    Object.keys(obj.props).forEach(function (k) {
      var p = obj.props[k], desc = el("td");
      describe(desc, p);
      if (depth < 4 && (objectOf(p) || isArrayOfObjects(resolve(p).schema))) {
        add(desc, add(el("details"), el("summary", "muted", "展开结构"), renderSchema(p, depth + 1, seen)));
      }
      add(table, add(el("tr"), add(el("td"), el("code", null, k), obj.required.indexOf(k) >= 0 ? el("span", "req", "*") : null),
        add(el("td"), el("span", "type", typeLabel(p))), desc));
    });
    return add(el("div"), r.name ? el("div", "muted", r.name) : null, table);
  }
  // A request-body skeleton: required fields only, or every field (nullable optional ones as null).
  function sample(s0, full, depth) {
    var s = resolve(s0).schema, obj = objectOf(s0), v = variants(s);
    if (depth > 6) return null;
    if (s.example !== undefined) return s.example;
    if (s.default !== undefined) return s.default;
    if (s.const !== undefined) return s.const;
    if (s.enum && s.enum.length) return s.enum[0];
    if (obj) {
      var out = {};
      Object.keys(obj.props).forEach(function (k) {
        if (obj.required.indexOf(k) >= 0) out[k] = sample(obj.props[k], full, depth + 1);
        else if (full) out[k] = nullable(obj.props[k]) ? null : sample(obj.props[k], full, depth + 1);
      });
      return out;
    }
    if (v) { var nn = v.filter(function (x) { return !isNull(x); }); return nn.length ? sample(nn[0], full, depth + 1) : null; }
    var t = types(s).filter(function (x) { return x !== "null"; })[0];
    if (t === "array") return [];
    if (t === "integer" || t === "number") return typeof s.minimum === "number" && s.minimum > 0 ? s.minimum : 0;
    if (t === "boolean") return false;
    if (t === "string") return ({ date: "2026-01-01", "date-time": new Date().toISOString(), uri: "https://" })[s.format] || "";
    return null;
  }
  function isJsonType(ct) { return ct.indexOf("json") >= 0; }
  function fileName(disposition) {
    var i = disposition.indexOf("filename*=UTF-8''");
    if (i >= 0) { try { return decodeURIComponent(disposition.slice(i + 17).split(";")[0].trim()); } catch (e) {} }
    i = disposition.indexOf("filename=");
    return (i >= 0 && disposition.slice(i + 9).split(";")[0].trim().split('"').join("")) || "download";
  }
  function labelled(text, input, hint) { return add(el("label"), el("span", null, text), input, hint ? el("span", "muted", " " + hint) : null); }

  function tryForm(path, method, params, op) {
    var form = add(el("form", "try"), el("h3", null, "试一试")), inputs = [];
    var rb = op.requestBody ? resolve(op.requestBody).schema : null, contentTypes = rb && rb.content ? Object.keys(rb.content) : [];
    params.filter(function (p) { return p.in === "path" || p.in === "query"; }).forEach(function (p) {
      var en = p.schema ? enumOf(p.schema) : null, input;
      if (en && en.length) {
        input = add(el("select"), el("option", null, ""));
        en.forEach(function (x) { var o = el("option", null, x); o.value = String(x); add(input, o); });
      } else { input = el("input"); input.type = "text"; input.placeholder = p.in === "path" ? "必填" : "可选"; }
      inputs.push({ p: p, input: input });
      add(form, labelled(p.name + (p.required ? " *" : ""), input, p.in === "path" ? "路径参数" : "查询参数"));
    });
    var textarea = el("textarea"), fileInput = null, typeSelect = null, jsonSchema = null, jsonType = contentTypes.filter(isJsonType)[0];
    textarea.spellcheck = false;
    if (jsonType) {
      jsonSchema = rb.content[jsonType].schema || {};
      var fill = function (full) { textarea.value = JSON.stringify(sample(jsonSchema, full, 0), null, 2); };
      var b1 = el("button", "plain", "只填必填字段"), b2 = el("button", "plain", "填入全部字段");
      b1.type = b2.type = "button";
      b1.onclick = function () { fill(false); };
      b2.onclick = function () { fill(true); };
      fill(false);
      add(form, el("div", "muted", "请求体（JSON）"), textarea, b1, b2);
    } else if (contentTypes.length) {
      fileInput = el("input"); fileInput.type = "file";
      typeSelect = el("select");
      contentTypes.forEach(function (ct) { add(typeSelect, el("option", null, ct)); });
      textarea.placeholder = "或在此粘贴文本内容（未选择文件时发送，按上面的 Content-Type）";
      add(form, labelled("上传文件", fileInput, "以 multipart 的 file 字段发送"), labelled("Content-Type", typeSelect), textarea);
    }
    var send = el("button", null, "发送"), result = el("div"), blobUrl = null;
    send.type = "submit";
    add(form, el("div"), send, result);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      result.textContent = "";
      var url = path, qs = new URLSearchParams(), missing = [], headers = {}, body, token = tokenInput.value.trim();
      inputs.forEach(function (x) {
        var v = x.input.value.trim();
        if (x.p.in === "path") { if (!v) missing.push(x.p.name); url = url.split("{" + x.p.name + "}").join(encodeURIComponent(v)); }
        else if (v) qs.append(x.p.name, v);
      });
      if (missing.length) return void add(result, el("div", "err", "请填写路径参数：" + missing.join("、")));
      var base = spec.servers && spec.servers[0] && spec.servers[0].url ? spec.servers[0].url.replace(/[/]+$/, "") : "";
      var full = base + url + (qs.toString() ? "?" + qs.toString() : "");
      if (token) headers["Authorization"] = "Bearer " + token;
      if (jsonSchema && textarea.value.trim()) {
        try { JSON.parse(textarea.value); } catch (e) { return void add(result, el("div", "err", "请求体不是合法的 JSON：" + e.message)); }
        headers["content-type"] = "application/json";
        body = textarea.value;
      } else if (fileInput && fileInput.files && fileInput.files[0]) {
        body = new FormData();
        body.append("file", fileInput.files[0]);
      } else if (fileInput && textarea.value) {
        body = textarea.value;
        headers["content-type"] = typeSelect.value + (typeSelect.value.indexOf("text/") === 0 ? "; charset=utf-8" : "");
      }
      var started = Date.now();
      send.disabled = true;
      add(result, el("div", "muted", method.toUpperCase() + " " + full + " …"));
      fetch(full, { method: method.toUpperCase(), headers: headers, body: body }).then(function (res) {
        var ct = res.headers.get("content-type") || "";
        result.textContent = "";
        add(result, add(el("div"), el("span", "status", "HTTP " + res.status + " " + res.statusText), el("span", "muted", (Date.now() - started) + " ms · " + (ct || "无 content-type"))));
        if (isJsonType(ct) || !ct) {
          return res.text().then(function (text) {
            try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (e) {}
            add(result, el("pre", null, text || "（空）"));
          });
        }
        return res.blob().then(function (blob) {
          if (blobUrl) URL.revokeObjectURL(blobUrl);
          var a = el("a", null, "下载文件（" + blob.size + " 字节）");
          a.href = blobUrl = URL.createObjectURL(blob);
          a.download = fileName(res.headers.get("content-disposition") || "");
          add(result, add(el("div"), a));
          if (ct.indexOf("text/") === 0) return blob.text().then(function (t) { add(result, el("pre", null, t.slice(0, 4000))); });
        });
      }).catch(function (e) {
        result.textContent = "";
        add(result, el("div", "err", "请求失败：" + (e && e.message ? e.message : e)));
      }).then(function () { send.disabled = false; });
    });
    return form;
  }

  function renderOp(path, method, op, pathItem) {
    var det = el("details", "op m-" + method), built = false;
    det.id = "op-" + method + "-" + path;
    det.dataset.search = (method + " " + path + " " + (op.summary || "") + " " + (op.description || "")).toLowerCase();
    add(det, add(el("summary"), el("span", "method", method.toUpperCase()), el("code", "path", path), el("span", null, op.summary || "")));
    det.addEventListener("toggle", function () {
      if (det.open) history.replaceState(null, "", "#" + encodeURIComponent(det.id));
      if (!det.open || built) return;
      built = true;
      var body = add(el("div", "opbody"), op.description ? el("p", null, op.description) : null);
      var params = (pathItem.parameters || []).concat(op.parameters || []).map(function (p) { return resolve(p).schema; });
      if (params.length) {
        var t = add(el("table"), add(el("tr"), el("th", null, "参数"), el("th", null, "位置"), el("th", null, "类型"), el("th", null, "说明")));
        params.forEach(function (p) {
          var d = el("td");
          describe(d, p.schema || {}, p.description);
          add(t, add(el("tr"), add(el("td"), el("code", null, p.name), p.required ? el("span", "req", "*") : null), el("td", null, p.in),
            add(el("td"), el("span", "type", typeLabel(p.schema || {}))), d));
        });
        add(body, el("h3", null, "参数"), t);
      }
      var rb = op.requestBody ? resolve(op.requestBody).schema : null;
      if (rb && rb.content) {
        add(body, el("h3", null, "请求体" + (rb.required ? "（必填）" : "")), rb.description ? el("p", null, rb.description) : null);
        Object.keys(rb.content).forEach(function (ct) { add(body, el("div", "muted", ct), renderSchema(rb.content[ct].schema || {}, 0, [])); });
      }
      add(body, el("h3", null, "响应"));
      Object.keys(op.responses || {}).forEach(function (code) {
        var r = resolve(op.responses[code]).schema, cts = Object.keys(r.content || {}), js = cts.filter(isJsonType)[0];
        var line = add(el("div"), el("span", "status", code), r.description || "", cts.length ? el("span", "muted", " · " + cts.join(", ")) : null);
        if (js && code.charAt(0) === "2") {
          var d = add(el("details"), el("summary", "muted", "响应结构"), renderSchema(r.content[js].schema || {}, 0, []));
          d.open = true;
          add(line, d);
        }
        add(body, line);
      });
      add(det, add(body, tryForm(path, method, params, op)));
    });
    return det;
  }

  function openFromHash() {
    var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target) { target.open = true; target.scrollIntoView(); }
  }
  function render() {
    var info = spec.info || {}, filter = el("input"), groups = {}, order = [];
    app.textContent = "";
    filter.id = "filter"; filter.type = "search"; filter.placeholder = "筛选接口（路径、说明）";
    add(app, el("h2", null, (info.title || "API") + (info.version ? "  v" + info.version : "")), info.description ? el("p", null, info.description) : null, filter);
    Object.keys(spec.paths || {}).forEach(function (path) {
      var item = spec.paths[path];
      ["get", "post", "put", "patch", "delete"].forEach(function (m) {
        if (!item[m]) return;
        var tag = (item[m].tags && item[m].tags[0]) || "其他";
        if (!groups[tag]) { groups[tag] = []; order.push(tag); }
        groups[tag].push(renderOp(path, m, item[m], item));
      });
    });
    var sections = order.map(function (tag) { return add(app, add.apply(null, [el("section"), el("h2", null, tag)].concat(groups[tag]))); });
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      sections.forEach(function (sec) {
        var any = false;
        sec.querySelectorAll("details.op").forEach(function (d) {
          var show = !q || d.dataset.search.indexOf(q) >= 0;
          d.style.display = show ? "" : "none";
          any = any || show;
        });
        sec.style.display = any ? "" : "none";
      });
    });
    openFromHash();
    window.addEventListener("hashchange", openFromHash);
  }

  fetch(SPEC_URL).then(function (res) {
    if (!res.ok) throw new Error("HTTP " + res.status);
    return res.json();
  }).then(function (json) { spec = json; render(); }).catch(function (e) {
    app.textContent = "";
    add(app, el("p", "err", "无法加载接口说明 " + SPEC_URL + "：" + (e && e.message ? e.message : e)));
  });
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
