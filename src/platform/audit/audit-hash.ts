import { createHash, getHashes } from 'node:crypto';

/** The hash of "nothing before": the first entry's `prev_hash`. */
export const GENESIS_HASH = '0'.repeat(64);

/** True when this Node's OpenSSL offers SM3 (GB/T 32905), China's national hash. */
export const SM3_AVAILABLE = getHashes().includes('sm3');

/** The fields of an entry that its hash covers, in a fixed form. */
export interface ChainedFields {
  seq: number;
  recordedAt: string;
  action: string;
  actorType: string;
  actorId: string | null;
  actorOrg: string | null;
  subjectType: string | null;
  subjectId: string | null;
  dataSubject: string | null;
  purpose: string | null;
  caseId: string | null;
  requestId: string | null;
  outcome: string;
  detail: unknown;
}

/**
 * JSON with object keys sorted at every level, so that a value read back from jsonb
 * (which reorders keys) hashes the same as the value written.
 *
 * @example
 * canonicalJson({ b: 1, a: [ { d: 2, c: 3 } ] }); // '{"a":[{"c":3,"d":2}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The entry's link in the chain: hash(prevHash ‖ canonical fields), hex.
 *
 * @example
 * const h = chainHash('sha256', GENESIS_HASH, fields);
 */
export function chainHash(algorithm: 'sha256' | 'sm3', prevHash: string, fields: ChainedFields): string {
  return createHash(algorithm).update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}
