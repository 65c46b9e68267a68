import { describe, expect, it } from "vitest";
import { DOCS_SCRIPT } from "./docs-page";
import { docsSchemaKit, type Schema } from "./docs-schema";

const spec = {
  components: {
    schemas: {
      Account: { type: "object", properties: { id: { type: "string" }, name: { type: "string", maxLength: 100 } }, required: ["id", "name"] },
      Alias: { $ref: "#/components/schemas/Account" },
      Create: {
        allOf: [
          { $ref: "#/components/schemas/Account" },
          { type: "object", properties: { platform: { type: "string", enum: ["weibo", "wechat"] }, note: { anyOf: [{ type: "string" }, { type: "null" }] } } },
        ],
      },
    },
  },
};
const kit = docsSchemaKit(() => spec);
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

describe("the API reference's schema reading", () => {
  it("follows $ref chains and keeps the last component name", () => {
    const r = kit.resolve(ref("Alias"));
    expect(r.name).toBe("Account");
    expect(r.schema.required).toEqual(["id", "name"]);
    expect(kit.resolve(ref("Missing")).schema).toEqual({});
  });

  it("finds the object shape through allOf and labels types", () => {
    expect(Object.keys(kit.objectOf(ref("Create"))!.props)).toEqual(["id", "name", "platform", "note"]);
    expect(kit.typeLabel(ref("Account"))).toBe("Account");
    expect(kit.typeLabel({ type: "array", items: ref("Account") })).toBe("array<Account>");
    expect(kit.typeLabel({ anyOf: [{ type: "string", format: "date" }, { type: "null" }] })).toBe("string (date) | null");
    expect(kit.enumOf({ anyOf: [{ enum: ["a", "b"] }, { type: "null" }] })).toEqual(["a", "b"]);
  });

  it("fills a request body with required fields only, or all of them", () => {
    expect(kit.sample(ref("Create"), false, 0)).toEqual({ id: "", name: "" });
    expect(kit.sample(ref("Create"), true, 0)).toEqual({ id: "", name: "", platform: "weibo", note: null });
  });

  it("is served as a script that parses", () => {
    expect(() => new Function(DOCS_SCRIPT)).not.toThrow();
    expect(DOCS_SCRIPT).toContain("data-spec-url");
  });
});
