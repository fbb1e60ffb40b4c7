export { AuditLog, type AuditActor, type AuditEvent, type AuditVerification } from './audit-log';
export { auditMigrations } from './audit.migrations';
export { canonicalJson, SM3_AVAILABLE } from './audit-hash';
export { listEntriesByAction, listEntriesForDataSubject, type AuditEntryRow } from './audit-store';
