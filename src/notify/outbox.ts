// The outbox (待发消息): messages queued per webhook, idempotently, and delivered with retries.
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { webhookDeliveries, webhooks, type WEBHOOK_EVENTS } from "../db/schema";
import { newId } from "../lib/ids";
import type { PostFn } from "../net/types";
import { buildWebhookRequest, MAX_ATTEMPTS, retryDelayMs, type Notice } from "./formats";
import { sendWebhook } from "./send";

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Orgs with an active webhook subscribed to the event. */
export async function subscribedOrgIds(db: DbOrTx, event: WebhookEvent): Promise<string[]> {
  const hooks = await db.select().from(webhooks).where(eq(webhooks.active, true));
  return [...new Set(hooks.filter((h) => h.events.includes(event)).map((h) => h.orgId))];
}

/**
 * Queues a message for every active webhook of the given orgs subscribed to the event. The
 * (webhook, eventKey) unique index makes this idempotent: a rerun queues nothing new.
 */
export async function enqueue(
  db: DbOrTx,
  orgIds: readonly string[],
  event: WebhookEvent,
  eventKey: string,
  notice: Notice,
  now: Date,
): Promise<number> {
  if (orgIds.length === 0) return 0;
  const hooks = await db
    .select()
    .from(webhooks)
    .where(and(inArray(webhooks.orgId, [...new Set(orgIds)]), eq(webhooks.active, true)));
  let queued = 0;
  for (const h of hooks) {
    if (!h.events.includes(event)) continue;
    const res = await db
      .insert(webhookDeliveries)
      .values({
        id: newId(),
        webhookId: h.id,
        eventKey,
        event,
        notice,
        status: "pending",
        attempts: 0,
        nextAttemptAt: now.toISOString(),
        createdAt: now.toISOString(),
      })
      .onConflictDoNothing()
      .returning({ id: webhookDeliveries.id });
    queued += res.length;
  }
  return queued;
}

/** Sends what is due, one attempt each; failures back off and give up after MAX_ATTEMPTS. */
export async function deliverDue(db: DbOrTx, post: PostFn, now: Date, limit = 200) {
  const due = await db
    .select({ d: webhookDeliveries, h: webhooks })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now.toISOString())))
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(limit);
  let delivered = 0;
  let failed = 0;
  for (const { d, h } of due) {
    const req = await buildWebhookRequest(h.kind, h.url, h.secret, d.notice as Notice, now);
    const res = await sendWebhook(post, h.kind, req);
    const attempts = d.attempts + 1;
    if (res.ok) {
      delivered++;
      await db
        .update(webhookDeliveries)
        .set({ status: "delivered", attempts, deliveredAt: now.toISOString(), lastStatus: res.status ?? null, lastError: null })
        .where(eq(webhookDeliveries.id, d.id));
    } else {
      failed++;
      const giveUp = attempts >= MAX_ATTEMPTS;
      await db
        .update(webhookDeliveries)
        .set({
          status: giveUp ? "failed" : "pending",
          attempts,
          lastStatus: res.status ?? null,
          lastError: res.error ?? "发送失败",
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)).toISOString(),
        })
        .where(eq(webhookDeliveries.id, d.id));
    }
  }
  return { attempted: due.length, delivered, failed };
}
