// Who may do what: every permission of the system as one function of the caller's role and the org
// facts the decision needs. Pure, so the whole matrix is tested as a table (access.test.ts); routes
// ask here and keep only the wording of their 403. Visibility (what lies in the caller's subtree) is
// decided before these run: a caller never gets a 403 for something it cannot see (that is a 404).
import { isWithin, type OrgIndex, type OrgNode } from "./orgs";
import type { Role } from "./roles";

/** The caller as far as permissions go: its role and its own org (a token belongs to one org). */
export interface AccessActor {
  role: Role;
  orgId: string;
}

/**
 * Why a permission is refused where the 403 says which: the role never may ("role"), or may only
 * for its own org's accounts ("own_org_only", an operator 主办单位 acting for another unit).
 */
export type Refusal = "role" | "own_org_only";
/** `true`, or why not. */
export type Verdict = true | Refusal;

// ── Role alone ───────────────────────────────────────────────────────────────────────────────

/** Create, rename and move orgs in the subtree. */
export const canManageOrgs = (role: Role): boolean => role === "admin";

/** Issue, list and revoke access tokens. */
export const canManageTokens = (role: Role): boolean => role === "admin";

/** Read the audit log of the subtree. */
export const canReadAudit = (role: Role): boolean => role === "admin" || role === "supervisor";

/** Import a ledger (台账) into the caller's own org tree. */
export const canImportLedger = (role: Role): boolean => role === "supervisor";

/** Set a local monitoring standard (policy override) for a government in the subtree. */
export const canSetPolicy = (role: Role): boolean => role === "supervisor";

/**
 * Whether the role organises spot checks at all (draws rounds, records inspections); for a given
 * unit see canDrawSamplingRound. The web UI offers the forms on this.
 */
export const canOrganiseSampling = (role: Role): boolean => role === "supervisor";

// ── Role and org ─────────────────────────────────────────────────────────────────────────────

/** An operator acts for its own org only; a supervisor for any org in its subtree; others never. */
function forOwnOrgOrSubtree(actor: AccessActor, orgId: string): Verdict {
  if (actor.role === "operator") return actor.orgId === orgId ? true : "own_org_only";
  return actor.role === "supervisor" ? true : "role";
}

/** Submit a filing (备案) for an account owned by `accountOrgId`. */
export const canSubmitFiling = (actor: AccessActor, accountOrgId: string): Verdict => forOwnOrgOrSubtree(actor, accountOrgId);

/** Push or import post records for an account owned by `accountOrgId`. */
export const canPushPosts = (actor: AccessActor, accountOrgId: string): Verdict => forOwnOrgOrSubtree(actor, accountOrgId);

/**
 * Decide (approve or reject) a filing: only a supervisor of the filing's authority (备案主管单位)
 * itself, not one above it. `deciders` is the authority's id, or the ids filingDeciders gives (a
 * designated department authority is also decided by the government it belongs to).
 */
export const canDecideFiling = (actor: AccessActor, deciders: string | readonly string[]): boolean =>
  actor.role === "supervisor" && (typeof deciders === "string" ? actor.orgId === deciders : deciders.includes(actor.orgId));

/**
 * Register an account directly, active at once, instead of filing it: the same people who would
 * decide its opening filing.
 */
export const canRegisterDirectly = (actor: AccessActor, deciders: string | readonly string[]): boolean => canDecideFiling(actor, deciders);

/** Configure message robots (webhooks) for `orgId`: admins and supervisors in their subtree, operators for their own org. */
export const canManageWebhooks = (actor: AccessActor, orgId: string): boolean =>
  actor.role === "admin" || actor.role === "supervisor" || (actor.role === "operator" && actor.orgId === orgId);

/** Acknowledge or resolve an alert on an account owned by `accountOrgId`. */
export const canHandleAlert = (actor: AccessActor, accountOrgId: string): boolean =>
  actor.role === "supervisor" || (actor.role === "operator" && actor.orgId === accountOrgId);

/** Record that a failed inspection was put right (整改) for an account owned by `accountOrgId`. */
export const canRecordRectification = (actor: AccessActor, accountOrgId: string): boolean =>
  actor.role === "supervisor" || (actor.role === "operator" && actor.orgId === accountOrgId);

/** Draw a quarter's spot-check list for `unit`: a supervisor of that government or of one above it. */
export function canDrawSamplingRound(actor: AccessActor, unit: OrgNode, index: OrgIndex): boolean {
  const own = index.get(actor.orgId);
  return canOrganiseSampling(actor.role) && !!own && isWithin(unit, own, index);
}

/** Record (or import) inspection results of a round for `unit`: the same people who draw it. */
export const canRecordInspection = (actor: AccessActor, unit: OrgNode, index: OrgIndex): boolean => canDrawSamplingRound(actor, unit, index);
