/** Who acts in the system (see ../shared/domain.md "Who uses it"). */
export const ROLES = ['agency', 'legal-review', 'agency-head', 'office'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  agency: '行政执法部门（承办机构）',
  'legal-review': '法制审核机构',
  'agency-head': '主要负责人',
  office: '县法治政府建设领导小组办公室',
};

/** Roles that belong to one agency and so carry an agencyId claim. */
export type AgencyRole = Exclude<Role, 'office'>;

export function isAgencyRole(role: Role): role is AgencyRole {
  return role !== 'office';
}

/** The authenticated person behind an action, taken from the JWT, never from a request body. */
export interface Actor {
  role: Role;
  /** Required for agency roles, absent for the office. */
  agencyId?: string;
  /** Display name of the person, for the full-process record. */
  name?: string;
}

/** Whoever receives a reminder or escalation: one inbox per (role, agency), one for the office. */
export type Recipient = { role: 'office' } | { role: AgencyRole; agencyId: string };

export function recipientKey(recipient: Recipient): string {
  return recipient.role === 'office' ? 'office' : `${recipient.agencyId}/${recipient.role}`;
}

export function recipientOf(actor: Actor): Recipient {
  if (actor.role === 'office') return { role: 'office' };
  if (!actor.agencyId) throw new Error(`role ${actor.role} needs an agencyId`);
  return { role: actor.role, agencyId: actor.agencyId };
}
