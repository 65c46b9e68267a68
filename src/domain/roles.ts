// Roles (docs/规则依据.md#主管单位). What each may do is decided in access.ts.
export const ROLES = ["admin", "supervisor", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "管理员",
  supervisor: "主管单位",
  operator: "主办单位",
  viewer: "只读",
};
