/**
 * Who may do what, as one table (STYLE.md: policies read like a table). A role grants
 * permissions; a principal holds roles. Services check a permission first, before they touch
 * a record; rules about *which* records (own department only, …) live beside the service.
 */

/** The roles Ludao knows. Users hold several; department systems (API keys) hold `dept_system`. */
export const ROLES = [
  'operator',
  'auditor',
  'dept_admin',
  'dept_staff',
  'case_handler',
  'citizen',
  'enterprise',
  'owner',
  'owners_committee',
  'property_company',
  'community_staff',
  'competitor',
  'dept_system',
  'developer',
] as const;
/** A role name. */
export type Role = (typeof ROLES)[number];

/** The areas of the web shell; a principal may enter those its roles open. */
export const AREAS = ['operator', 'department', 'citizen', 'open-data', 'community', 'arena'] as const;
/** An area of the web shell. */
export type Area = (typeof AREAS)[number];

/** Everything a role can be allowed. */
export const PERMISSIONS = [
  'area:operator',
  'area:department',
  'area:citizen',
  'area:open-data',
  'area:community',
  'area:arena',
  'org:read',
  'org:manage',
  'user:manage',
  'api_key:manage_own_org',
  'api_key:manage_any_org',
  'audit:read',
  'audit:verify',
  'data:read',
  'catalogue:read',
  'catalogue:manage',
  'records:read',
  'records:write',
  'exchange:request',
  'exchange:review',
  'exchange:call',
  'exchange:oversee',
  'my_data:read',
  'opendata:publish',
  'opendata:review',
  'opendata:develop',
  'sandbox:declare',
  'sandbox:verify',
  'sandbox:consent',
  'sandbox:aggregate',
  'sandbox:oversee',
  'sandbox:keys',
  'maternity:apply',
  'maternity:handle',
  'maternity:configure',
  'admission:configure',
  'admission:handle',
  'admission:apply',
] as const;
/** A permission name. */
export type Permission = (typeof PERMISSIONS)[number];

const staffBasics = ['area:department', 'area:open-data', 'org:read', 'catalogue:read'] as const;

/** The policy table. */
export const POLICY: Readonly<Record<Role, readonly Permission[]>> = {
  operator: ['area:operator', ...staffBasics, 'org:manage', 'user:manage', 'api_key:manage_any_org', 'audit:read', 'audit:verify', 'catalogue:manage', 'records:read', 'records:write', 'exchange:oversee', 'opendata:publish', 'opendata:review', 'sandbox:aggregate', 'sandbox:oversee', 'sandbox:keys'],
  auditor: ['area:operator', 'org:read', 'audit:read', 'audit:verify', 'catalogue:read', 'exchange:oversee', 'sandbox:oversee'],
  dept_admin: [...staffBasics, 'api_key:manage_own_org', 'catalogue:manage', 'records:read', 'records:write', 'exchange:request', 'exchange:review', 'opendata:publish', 'sandbox:declare', 'sandbox:aggregate', 'maternity:configure', 'admission:configure'],
  dept_staff: [...staffBasics, 'records:read', 'records:write', 'exchange:request', 'opendata:publish'],
  case_handler: [...staffBasics, 'sandbox:verify', 'sandbox:aggregate', 'maternity:handle', 'admission:handle'],
  citizen: ['area:citizen', 'area:open-data', 'my_data:read', 'opendata:develop', 'sandbox:consent', 'maternity:apply', 'admission:apply'],
  enterprise: ['area:citizen', 'area:open-data', 'my_data:read', 'opendata:develop'],
  owner: ['area:community'],
  owners_committee: ['area:community'],
  property_company: ['area:community'],
  community_staff: ['area:community', 'org:read'],
  competitor: ['area:arena', 'area:open-data', 'opendata:develop'],
  dept_system: ['org:read', 'data:read', 'catalogue:read', 'records:read', 'records:write', 'exchange:call', 'sandbox:verify'],
  developer: ['area:open-data', 'opendata:develop'],
};

/**
 * True when any of the roles grants the permission.
 *
 * @example
 * rolesAllow(['dept_admin'], 'api_key:manage_own_org'); // true
 * rolesAllow(['citizen'], 'audit:verify');               // false
 */
export function rolesAllow(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => POLICY[role]?.includes(permission));
}

/**
 * The web areas the roles open, in menu order.
 *
 * @example
 * areasFor(['citizen', 'owner']); // ['citizen', 'open-data', 'community']
 */
export function areasFor(roles: readonly Role[]): Area[] {
  return AREAS.filter((area) => rolesAllow(roles, `area:${area}` as Permission));
}

/**
 * Every permission the roles grant, in the table's order (the web shows and hides by them).
 *
 * @example
 * permissionsFor(['enterprise']); // ['area:citizen', 'area:open-data', 'my_data:read', 'opendata:develop']
 */
export function permissionsFor(roles: readonly Role[]): Permission[] {
  return PERMISSIONS.filter((permission) => rolesAllow(roles, permission));
}

/** True for a string that names a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
