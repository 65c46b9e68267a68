// A calendar date field ("YYYY-MM-DD", a day in Asia/Shanghai) for request schemas. A well-written
// date that is no day of the calendar (2021-02-30) gets its own answer: the clerk typed the shape right.
import { z } from "@hono/zod-openapi";
import { isDateString } from "../domain/weeks";

const SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** `label` names the field in the message: "开设日期应写作 2026-11-23 这样的日期". */
export function dateField(label: string) {
  return z
    .string()
    .trim()
    .regex(SHAPE, `${label}应写作 2026-11-23 这样的日期`)
    .refine((d) => !SHAPE.test(d) || isDateString(d), `${label}：该日期不存在`)
    .openapi({ format: "date", example: "2026-11-23" });
}
