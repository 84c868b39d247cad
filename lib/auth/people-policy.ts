import type { OrgRole } from "./actor";

/** Seeing the organization's people and unlocking their accounts: its admins only. */
export function mayAdministerPeople(subject: { role: OrgRole }): boolean {
  return subject.role === "admin";
}
