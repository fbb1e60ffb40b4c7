export { getPrincipal, installAuthentication, SESSION_COOKIE, type PrincipalResolver } from './authenticate';
export { areasFor, AREAS, isRole, permissionsFor, PERMISSIONS, POLICY, ROLES, rolesAllow, type Area, type Permission, type Role } from './policy';
export { auditActor, hasPermission, orgWithin, orgWithinSql, PLATFORM_PRINCIPAL, requirePermission, type Principal } from './principal';
export { digestsEqual, hashSecret, newSecret } from './tokens';
