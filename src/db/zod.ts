// drizzle schema → zod: a column is declared once (the table), and API schemas derive from it.
import { z } from "@hono/zod-openapi";
import { createSchemaFactory } from "drizzle-zod";

export const { createSelectSchema, createInsertSchema, createUpdateSchema } = createSchemaFactory({
  zodInstance: z,
});
