import { describe, expect, it } from "vitest";
import { createRouter, installErrorHandling, uniqueViolation, uniqueViolationMessage } from "./create-app";

/** As drizzle throws it: its own error, the driver's underneath. */
const failed = (detail: string) => new Error("Failed query: insert into …", { cause: new Error(`SQLITE_CONSTRAINT: ${detail}`) });

describe("unique-constraint failures", () => {
  it("names the index's columns, however deep the driver's error sits", () => {
    expect(uniqueViolation(failed("UNIQUE constraint failed: accounts.platform, accounts.platform_id"))).toBe("accounts.platform, accounts.platform_id");
    expect(uniqueViolation(failed("UNIQUE constraint failed: tokens.hash"))).toBe("tokens.hash");
    expect(uniqueViolation(failed("NOT NULL constraint failed: accounts.name"))).toBeUndefined();
    expect(uniqueViolation("UNIQUE constraint failed: accounts.id")).toBeUndefined();
  });

  it("says which rule was hit: the platform id for accounts, a generic duplicate otherwise", () => {
    expect(uniqueViolationMessage("accounts.platform, accounts.platform_id")).toBe("该平台账号ID已被另一个在用账号登记（并发提交）");
    expect(uniqueViolationMessage("tokens.hash")).toBe("与已有记录重复（并发提交），请刷新后重试");
    expect(uniqueViolationMessage("")).toBe("与已有记录重复（并发提交），请刷新后重试");
  });

  it("answers 409 with that message", async () => {
    const app = createRouter();
    installErrorHandling(app);
    app.get("/account", () => Promise.reject(failed("UNIQUE constraint failed: accounts.platform, accounts.platform_id")));
    app.get("/other", () => Promise.reject(failed("UNIQUE constraint failed: sampling_items.round_id, sampling_items.account_id")));
    const account = await app.request("/account");
    expect(account.status).toBe(409);
    expect(((await account.json()) as { error: { message: string } }).error.message).toBe("该平台账号ID已被另一个在用账号登记（并发提交）");
    const other = await app.request("/other");
    expect(other.status).toBe(409);
    expect(((await other.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "conflict", message: "与已有记录重复（并发提交），请刷新后重试" });
  });
});
