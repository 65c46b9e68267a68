// Reading an OpenAPI 3.1 document for the API reference page (/api/docs): $refs, object shapes, type
// labels, enums, request-body skeletons. No DOM. Like docs-client.ts it is one self-contained
// function, served as its own source (docs-page.ts passes it to the client): inside it, use only
// what it declares and the language's globals. Types are erased, so they may live outside it.

export type Ref = { $ref?: string };

/** As much of an OpenAPI 3.1 / JSON Schema object as the page reads. */
export interface Schema extends Ref {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  nullable?: boolean;
  format?: string;
  description?: string;
  default?: unknown;
  example?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

export interface Parameter extends Ref {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

export interface Content {
  content?: Record<string, { schema?: Schema }>;
  description?: string;
}

export interface RequestBody extends Ref, Content {
  required?: boolean;
}

export interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: RequestBody;
  responses?: Record<string, Ref & Content>;
}

export type Method = "get" | "post" | "put" | "patch" | "delete";
export type PathItem = { parameters?: Parameter[] } & { [M in Method]?: Operation };

export interface Spec {
  info?: { title?: string; version?: string; description?: string };
  servers?: { url?: string }[];
  paths?: Record<string, PathItem>;
}

export interface Shape {
  props: Record<string, Schema>;
  required: string[];
}

/** The schema helpers over the document `getSpec()` returns (read on every lookup: it arrives later). */
export function docsSchemaKit(getSpec: () => unknown) {
  function deref(ref: string): unknown {
    const parts = ref.indexOf("#/") === 0 ? ref.slice(2).split("/") : [];
    let node: unknown = getSpec();
    for (let i = 0; i < parts.length && node; i++) node = (node as Record<string, unknown>)[parts[i]!.split("~1").join("/").split("~0").join("~")];
    return parts.length ? node : undefined;
  }
  // Follows $ref chains; name is the last component name seen (e.g. "CreateAccount").
  function resolve<T extends Ref>(s: T | undefined): { schema: T; name: string | null } {
    let name: string | null = null;
    let guard = 0;
    while (s && typeof s.$ref === "string" && guard++ < 20) {
      name = s.$ref.slice(s.$ref.lastIndexOf("/") + 1);
      s = deref(s.$ref) as T | undefined;
    }
    return { schema: s || ({} as T), name };
  }
  const variants = (s: Schema) => s.anyOf || s.oneOf || null;
  const types = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);
  function isNull(s0: Schema): boolean {
    const s = resolve(s0).schema;
    return s.type === "null" || s.const === null;
  }
  function nullable(s0: Schema): boolean {
    const s = resolve(s0).schema;
    const v = variants(s);
    return s.nullable === true || types(s).indexOf("null") >= 0 || (!!v && v.some(isNull));
  }
  const isArrayOfObjects = (s: Schema) => types(s).indexOf("array") >= 0 && !!objectOf(s.items || {});
  // The object shape behind a schema (through $ref, allOf and a nullable anyOf/oneOf), or null.
  function objectOf(s0: Schema, depth = 0): Shape | null {
    const s = resolve(s0).schema;
    const d = depth + 1;
    const v = variants(s);
    if (d > 8) return null;
    if (s.properties) return { props: s.properties, required: s.required || [] };
    if (s.allOf) {
      const parts = s.allOf.map((p) => objectOf(p, d)).filter((o): o is Shape => !!o);
      return parts.length ? parts.reduce<Shape>((m, o) => ({ props: Object.assign(m.props, o.props), required: m.required.concat(o.required) }), { props: {}, required: [] }) : null;
    }
    for (let i = 0; v && i < v.length; i++) {
      const o = objectOf(v[i]!, d);
      if (o) return o;
    }
    return null;
  }
  function typeLabel(s0: Schema, depth = 0): string {
    const r = resolve(s0);
    const s = r.schema;
    const v = variants(s);
    const d = depth + 1;
    if (d > 6) return "…";
    if (r.name && (s.properties || s.allOf)) return r.name;
    const parts = v || s.allOf;
    if (parts) return parts.map((x) => typeLabel(x, d)).join(v ? " | " : " & ");
    const t = types(s).map((x) => (x === "array" ? "array<" + typeLabel(s.items || {}, d) + ">" : x));
    const label = t.length ? t.join(" | ") : s.properties ? "object" : "any";
    return s.format ? label + " (" + s.format + ")" : label;
  }
  function enumOf(s0: Schema): unknown[] | null {
    const s = resolve(s0).schema;
    const v = variants(s);
    if (s.enum) return s.enum;
    return v ? v.reduce<unknown[]>((acc, x) => acc.concat(enumOf(x) || []), []).filter((x) => x !== null) : null;
  }
  // A request-body skeleton: required fields only, or every field (nullable optional ones as null).
  function sample(s0: Schema, full: boolean, depth: number): unknown {
    const s = resolve(s0).schema;
    const obj = objectOf(s0);
    const v = variants(s);
    if (depth > 6) return null;
    if (s.example !== undefined) return s.example;
    if (s.default !== undefined) return s.default;
    if (s.const !== undefined) return s.const;
    if (s.enum && s.enum.length) return s.enum[0];
    if (obj) {
      const out: Record<string, unknown> = {};
      Object.keys(obj.props).forEach((k) => {
        const p = obj.props[k]!;
        if (obj.required.indexOf(k) >= 0) out[k] = sample(p, full, depth + 1);
        else if (full) out[k] = nullable(p) ? null : sample(p, full, depth + 1);
      });
      return out;
    }
    if (v) {
      const nn = v.filter((x) => !isNull(x));
      return nn.length ? sample(nn[0]!, full, depth + 1) : null;
    }
    const t = types(s).filter((x) => x !== "null")[0];
    if (t === "array") return [];
    if (t === "integer" || t === "number") return typeof s.minimum === "number" && s.minimum > 0 ? s.minimum : 0;
    if (t === "boolean") return false;
    if (t === "string") return ({ date: "2026-01-01", "date-time": new Date().toISOString(), uri: "https://" } as Record<string, string>)[s.format ?? ""] || "";
    return null;
  }
  return { resolve, isArrayOfObjects, objectOf, typeLabel, enumOf, sample };
}

export type DocsSchemaKit = ReturnType<typeof docsSchemaKit>;
