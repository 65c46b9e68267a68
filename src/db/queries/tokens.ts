// Access tokens (访问令牌): only the hash of a secret is stored.
import type { DbOrTx } from "../client";
import { tokens } from "../schema";

export type TokenRow = typeof tokens.$inferSelect;

export async function insertToken(db: DbOrTx, row: TokenRow): Promise<void> {
  await db.insert(tokens).values(row);
}
