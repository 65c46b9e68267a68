// The browser side of the API reference (/api/docs): reads the OpenAPI document and builds the page
// with createElement/textContent only, never innerHTML with spec or response data. Written as one
// self-contained function so it is type-checked against the DOM here and served as its own source
// (docs-page.ts: `(${docsClient})(${docsSchemaKit})`): inside it, use only browser globals, what it
// declares and the schema kit it is handed. Types are erased, so they may come from outside.
import type { docsSchemaKit, Method, Operation, Parameter, PathItem, Schema, Spec } from "./docs-schema";

type Child = Node | string | number | null | undefined | false;

export function docsClient(makeSchemaKit: typeof docsSchemaKit): void {
  let spec: Spec = {};
  const { resolve, isArrayOfObjects, objectOf, typeLabel, enumOf, sample } = makeSchemaKit(() => spec);
  const app = document.getElementById("app")!;
  const SPEC_URL = app.getAttribute("data-spec-url") ?? "";
  const tokenInput = document.getElementById("token") as HTMLInputElement;
  const TOKEN_KEY = "govmedia.token";
  try {
    tokenInput.value = localStorage.getItem(TOKEN_KEY) || "";
  } catch {}
  tokenInput.addEventListener("input", () => {
    try {
      localStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
    } catch {}
  });

  const message = (e: unknown) => (e instanceof Error && e.message ? e.message : String(e));

  function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string | null, text?: unknown): HTMLElementTagNameMap[K] {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function add<P extends Node>(parent: P, ...children: Child[]): P {
    for (const c of children) {
      if (c !== null && c !== undefined && c !== false) parent.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    }
    return parent;
  }
  const NOTES: [keyof Schema, string, string][] = [
    ["minLength", "最少 ", " 字符"],
    ["maxLength", "最多 ", " 字符"],
    ["minimum", "最小 ", ""],
    ["maximum", "最大 ", ""],
    ["pattern", "格式 ", ""],
  ];
  function describe(cell: HTMLElement, s0: Schema, extraDesc?: string) {
    const s = resolve(s0).schema;
    const desc = extraDesc || s.description;
    const en = enumOf(s0);
    const notes = NOTES.flatMap(([k, before, after]) => {
      const value = s[k];
      return value === undefined || (typeof value === "number" && Math.abs(value) > 1e15) ? [] : [before + String(value) + after];
    });
    if (s.default !== undefined) notes.push("默认 " + JSON.stringify(s.default));
    if (desc) add(cell, el("div", null, desc));
    if (en && en.length) {
      const d = el("div", null, "可选值：");
      en.forEach((x) => add(d, el("span", "chip", x)));
      add(cell, d);
    }
    if (notes.length) add(cell, el("div", "muted", notes.join("；")));
  }
  function renderSchema(s0: Schema, depth: number, seen: string[]): HTMLElement {
    const r = resolve(s0);
    const s = r.schema;
    const obj = objectOf(s0);
    if (r.name && seen.indexOf(r.name) >= 0) return el("span", "muted", "（结构同上：" + r.name + "）");
    if (r.name) seen = seen.concat([r.name]);
    if (!obj && isArrayOfObjects(s)) return add(el("div"), el("div", "muted", "数组，每项为："), renderSchema(s.items || {}, depth + 1, seen));
    if (!obj) {
      const line = add(el("div"), el("span", "type", typeLabel(s0)));
      describe(line, s0);
      return line;
    }
    const table = add(el("table"), add(el("tr"), el("th", null, "字段"), el("th", null, "类型"), el("th", null, "说明")));
    Object.keys(obj.props).forEach((k) => {
      const p = obj.props[k]!;
      const desc = el("td");
      describe(desc, p);
      if (depth < 4 && (objectOf(p) || isArrayOfObjects(resolve(p).schema))) {
        add(desc, add(el("details"), el("summary", "muted", "展开结构"), renderSchema(p, depth + 1, seen)));
      }
      add(
        table,
        add(el("tr"), add(el("td"), el("code", null, k), obj.required.indexOf(k) >= 0 ? el("span", "req", "*") : null), add(el("td"), el("span", "type", typeLabel(p))), desc),
      );
    });
    return add(el("div"), r.name ? el("div", "muted", r.name) : null, table);
  }
  const isJsonType = (ct: string) => ct.indexOf("json") >= 0;
  function fileName(disposition: string): string {
    let i = disposition.indexOf("filename*=UTF-8''");
    if (i >= 0) {
      try {
        return decodeURIComponent(disposition.slice(i + 17).split(";")[0]!.trim());
      } catch {}
    }
    i = disposition.indexOf("filename=");
    return (i >= 0 && disposition.slice(i + 9).split(";")[0]!.trim().split('"').join("")) || "download";
  }
  const labelled = (text: string, input: HTMLElement, hint?: string) => add(el("label"), el("span", null, text), input, hint ? el("span", "muted", " " + hint) : null);

  function tryForm(path: string, method: Method, params: Parameter[], op: Operation): HTMLFormElement {
    const form = add(el("form", "try"), el("h3", null, "试一试"));
    const inputs: { p: Parameter; input: HTMLInputElement | HTMLSelectElement }[] = [];
    const rb = op.requestBody ? resolve(op.requestBody).schema : null;
    const contentTypes = rb && rb.content ? Object.keys(rb.content) : [];
    params
      .filter((p) => p.in === "path" || p.in === "query")
      .forEach((p) => {
        const en = p.schema ? enumOf(p.schema) : null;
        let input: HTMLInputElement | HTMLSelectElement;
        if (en && en.length) {
          const select = add(el("select"), el("option", null, ""));
          en.forEach((x) => {
            const o = el("option", null, x);
            o.value = String(x);
            add(select, o);
          });
          input = select;
        } else {
          const text = el("input");
          text.type = "text";
          text.placeholder = p.in === "path" ? "必填" : "可选";
          input = text;
        }
        inputs.push({ p, input });
        add(form, labelled(p.name + (p.required ? " *" : ""), input, p.in === "path" ? "路径参数" : "查询参数"));
      });
    const textarea = el("textarea");
    let fileInput: HTMLInputElement | null = null;
    let typeSelect: HTMLSelectElement | null = null;
    let jsonSchema: Schema | null = null;
    const jsonType = contentTypes.filter(isJsonType)[0];
    textarea.spellcheck = false;
    if (rb && rb.content && jsonType) {
      const schema = rb.content[jsonType]!.schema || {};
      jsonSchema = schema;
      const fill = (full: boolean) => {
        textarea.value = JSON.stringify(sample(schema, full, 0), null, 2);
      };
      const b1 = el("button", "plain", "只填必填字段");
      const b2 = el("button", "plain", "填入全部字段");
      b1.type = b2.type = "button";
      b1.onclick = () => fill(false);
      b2.onclick = () => fill(true);
      fill(false);
      add(form, el("div", "muted", "请求体（JSON）"), textarea, b1, b2);
    } else if (contentTypes.length) {
      fileInput = el("input");
      fileInput.type = "file";
      typeSelect = el("select");
      for (const ct of contentTypes) add(typeSelect, el("option", null, ct));
      textarea.placeholder = "或在此粘贴文本内容（未选择文件时发送，按上面的 Content-Type）";
      add(form, labelled("上传文件", fileInput, "以 multipart 的 file 字段发送"), labelled("Content-Type", typeSelect), textarea);
    }
    const send = el("button", null, "发送");
    const result = el("div");
    let blobUrl: string | null = null;
    send.type = "submit";
    add(form, el("div"), send, result);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      result.textContent = "";
      let url = path;
      const qs = new URLSearchParams();
      const missing: string[] = [];
      const headers: Record<string, string> = {};
      let body: BodyInit | undefined;
      const token = tokenInput.value.trim();
      inputs.forEach((x) => {
        const v = x.input.value.trim();
        if (x.p.in === "path") {
          if (!v) missing.push(x.p.name);
          url = url.split("{" + x.p.name + "}").join(encodeURIComponent(v));
        } else if (v) qs.append(x.p.name, v);
      });
      if (missing.length) return void add(result, el("div", "err", "请填写路径参数：" + missing.join("、")));
      const server = spec.servers && spec.servers[0] && spec.servers[0].url;
      const base = server ? server.replace(/[/]+$/, "") : "";
      const full = base + url + (qs.toString() ? "?" + qs.toString() : "");
      if (token) headers["Authorization"] = "Bearer " + token;
      if (jsonSchema && textarea.value.trim()) {
        try {
          JSON.parse(textarea.value);
        } catch (e) {
          return void add(result, el("div", "err", "请求体不是合法的 JSON：" + message(e)));
        }
        headers["content-type"] = "application/json";
        body = textarea.value;
      } else if (fileInput && fileInput.files && fileInput.files[0]) {
        const data = new FormData();
        data.append("file", fileInput.files[0]);
        body = data;
      } else if (fileInput && typeSelect && textarea.value) {
        body = textarea.value;
        headers["content-type"] = typeSelect.value + (typeSelect.value.indexOf("text/") === 0 ? "; charset=utf-8" : "");
      }
      const started = Date.now();
      send.disabled = true;
      add(result, el("div", "muted", method.toUpperCase() + " " + full + " …"));
      fetch(full, { method: method.toUpperCase(), headers, body })
        .then((res): Promise<void> => {
          const ct = res.headers.get("content-type") || "";
          result.textContent = "";
          add(
            result,
            add(el("div"), el("span", "status", "HTTP " + res.status + " " + res.statusText), el("span", "muted", Date.now() - started + " ms · " + (ct || "无 content-type"))),
          );
          if (isJsonType(ct) || !ct) {
            return res.text().then((text) => {
              try {
                text = JSON.stringify(JSON.parse(text), null, 2);
              } catch {}
              add(result, el("pre", null, text || "（空）"));
            });
          }
          return res.blob().then((blob) => {
            if (blobUrl) URL.revokeObjectURL(blobUrl);
            const a = el("a", null, "下载文件（" + blob.size + " 字节）");
            a.href = blobUrl = URL.createObjectURL(blob);
            a.download = fileName(res.headers.get("content-disposition") || "");
            add(result, add(el("div"), a));
            if (ct.indexOf("text/") === 0) return blob.text().then((t) => void add(result, el("pre", null, t.slice(0, 4000))));
          });
        })
        .catch((e: unknown) => {
          result.textContent = "";
          add(result, el("div", "err", "请求失败：" + message(e)));
        })
        .then(() => {
          send.disabled = false;
        });
    });
    return form;
  }

  function renderOp(path: string, method: Method, op: Operation, pathItem: PathItem): HTMLDetailsElement {
    const det = el("details", "op m-" + method);
    let built = false;
    det.id = "op-" + method + "-" + path;
    det.dataset.search = (method + " " + path + " " + (op.summary || "") + " " + (op.description || "")).toLowerCase();
    add(det, add(el("summary"), el("span", "method", method.toUpperCase()), el("code", "path", path), el("span", null, op.summary || "")));
    det.addEventListener("toggle", () => {
      if (det.open) history.replaceState(null, "", "#" + encodeURIComponent(det.id));
      if (!det.open || built) return;
      built = true;
      const body = add(el("div", "opbody"), op.description ? el("p", null, op.description) : null);
      const params = (pathItem.parameters || []).concat(op.parameters || []).map((p) => resolve(p).schema);
      if (params.length) {
        const t = add(el("table"), add(el("tr"), el("th", null, "参数"), el("th", null, "位置"), el("th", null, "类型"), el("th", null, "说明")));
        params.forEach((p) => {
          const d = el("td");
          describe(d, p.schema || {}, p.description);
          add(
            t,
            add(el("tr"), add(el("td"), el("code", null, p.name), p.required ? el("span", "req", "*") : null), el("td", null, p.in), add(el("td"), el("span", "type", typeLabel(p.schema || {}))), d),
          );
        });
        add(body, el("h3", null, "参数"), t);
      }
      const rb = op.requestBody ? resolve(op.requestBody).schema : null;
      if (rb && rb.content) {
        const content = rb.content;
        add(body, el("h3", null, "请求体" + (rb.required ? "（必填）" : "")), rb.description ? el("p", null, rb.description) : null);
        Object.keys(content).forEach((ct) => add(body, el("div", "muted", ct), renderSchema(content[ct]!.schema || {}, 0, [])));
      }
      add(body, el("h3", null, "响应"));
      const responses = op.responses || {};
      Object.keys(responses).forEach((code) => {
        const r = resolve(responses[code]).schema;
        const content = r.content || {};
        const cts = Object.keys(content);
        const js = cts.filter(isJsonType)[0];
        const line = add(el("div"), el("span", "status", code), r.description || "", cts.length ? el("span", "muted", " · " + cts.join(", ")) : null);
        if (js && code.charAt(0) === "2") {
          const d = add(el("details"), el("summary", "muted", "响应结构"), renderSchema(content[js]!.schema || {}, 0, []));
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
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target instanceof HTMLDetailsElement) {
      target.open = true;
      target.scrollIntoView();
    }
  }
  function render() {
    const info = spec.info || {};
    const filter = el("input");
    const groups: Record<string, HTMLDetailsElement[]> = {};
    const order: string[] = [];
    app.textContent = "";
    filter.id = "filter";
    filter.type = "search";
    filter.placeholder = "筛选接口（路径、说明）";
    add(app, el("h2", null, (info.title || "API") + (info.version ? "  v" + info.version : "")), info.description ? el("p", null, info.description) : null, filter);
    const paths = spec.paths || {};
    Object.keys(paths).forEach((path) => {
      const item = paths[path]!;
      ["get", "post", "put", "patch", "delete"].forEach((name) => {
        const m = name as Method;
        const op = item[m];
        if (!op) return;
        const tag = (op.tags && op.tags[0]) || "其他";
        if (!groups[tag]) {
          groups[tag] = [];
          order.push(tag);
        }
        groups[tag].push(renderOp(path, m, op, item));
      });
    });
    const sections = order.map((tag) => add(el("section"), el("h2", null, tag), ...(groups[tag] || [])));
    add(app, ...sections);
    filter.addEventListener("input", () => {
      const q = filter.value.trim().toLowerCase();
      sections.forEach((sec) => {
        let anyShown = false;
        sec.querySelectorAll<HTMLDetailsElement>("details.op").forEach((d) => {
          const show = !q || (d.dataset.search || "").indexOf(q) >= 0;
          d.style.display = show ? "" : "none";
          anyShown = anyShown || show;
        });
        sec.style.display = anyShown ? "" : "none";
      });
    });
    openFromHash();
    window.addEventListener("hashchange", openFromHash);
  }

  fetch(SPEC_URL)
    .then((res) => {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json() as Promise<Spec>;
    })
    .then((json) => {
      spec = json;
      render();
    })
    .catch((e: unknown) => {
      app.textContent = "";
      add(app, el("p", "err", "无法加载接口说明 " + SPEC_URL + "：" + message(e)));
    });
}
