// Roles (SPEC §1) and what each may do.
export const ROLES = ["admin", "supervisor", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "管理员",
  supervisor: "主管单位",
  operator: "主办单位",
  viewer: "只读",
};

export type Permission =
  | "manage_orgs" // create, rename, move orgs in the subtree
  | "manage_tokens"
  | "decide_filings" // only for filings whose authority is the caller's own org
  | "register_accounts" // supervisor registers an account directly (active)
  | "submit_filings"
  | "import_ledger"
  | "read_audit";

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ["manage_orgs", "manage_tokens", "read_audit"],
  supervisor: ["decide_filings", "register_accounts", "submit_filings", "import_ledger", "read_audit"],
  operator: ["submit_filings"],
  viewer: [],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
