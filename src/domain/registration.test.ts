import { describe, expect, it } from "vitest";
import { defaultRegistration } from "./lifecycle";

describe("defaultRegistration (新开设 / 存量登记)", () => {
  it("opened before the day of the filing: 存量登记", () => {
    expect(defaultRegistration("2017-03-01", "2026-11-20")).toBe("existing");
    expect(defaultRegistration("2026-11-19", "2026-11-20")).toBe("existing");
  });
  it("opened that day, or no opening date: 新开设", () => {
    expect(defaultRegistration("2026-11-20", "2026-11-20")).toBe("new");
    expect(defaultRegistration(null, "2026-11-20")).toBe("new");
    expect(defaultRegistration(undefined, "2026-11-20")).toBe("new");
  });
});
