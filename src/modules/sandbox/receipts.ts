import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { canonicalJson } from '../../platform/audit';
import type { Database } from '../../platform/db/database';
import * as store from './sandbox.store';

/** The signature algorithm of receipts (node:crypto's Ed25519). */
export const RECEIPT_ALGORITHM = 'Ed25519';

/** One claim as a receipt states it: which template, a digest binding subject and parameters, the result. */
export interface ReceiptClaim {
  template: string;
  /** SHA-256 hex of `nonce ‖ "\n" ‖ canonical JSON {subject, template, params}`: the consumer, who knows them, can recompute it. */
  digest: string;
  result: 'match' | 'no_match' | 'unverifiable';
}

/** A signed receipt: the platform's statement of the results of one case's claims. */
export interface Receipt {
  v: 1;
  id: string;
  issuer: 'ludao';
  keyId: string;
  issuedAt: string;
  caseType: string;
  caseId: string;
  consumerOrg: string;
  nonce: string;
  claims: ReceiptClaim[];
  /** Ed25519 over the canonical JSON of every other field, base64url. */
  signature: string;
}

/** A published public key. */
export interface PublicReceiptKey {
  keyId: string;
  algorithm: string;
  publicKeyPem: string;
  createdAt: string;
  retiredAt: string | null;
}

/**
 * The digest a receipt holds for a claim; the consumer recomputes it from what it asked.
 *
 * @example
 * claimDigest(receipt.nonce, { subject: '3502…', template: 'marriage.married_to', params: { spouse: '3502…' } });
 */
export function claimDigest(nonce: string, claim: { subject: string; template: string; params: Record<string, string | number> }): string {
  return createHash('sha256').update(`${nonce}\n${canonicalJson(claim)}`).digest('hex');
}

/**
 * Signs receipts with the platform's Ed25519 key, made on first start and kept in the
 * database (so every process of a city signs with the same key). An operator may rotate it:
 * the new key signs from then on, in every process (each hears the rotation on
 * `RECEIPT_KEY_CHANNEL`), and the retired one stays published so that the receipts it
 * signed can still be checked.
 *
 * @example
 * const signer = new ReceiptSigner(database);
 * await signer.start();
 * const receipt = signer.sign({ id, issuedAt, caseType, caseId, consumerOrg, nonce, claims });
 */
export class ReceiptSigner {
  private key: { id: string; privateKey: KeyObject } | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly database: Pick<Database, 'db' | 'listen'>) {}

  private get db(): Kysely<object> {
    return this.database.db;
  }

  /** Loads the active key, generating and storing one if there is none yet, and follows rotations. */
  async start(): Promise<void> {
    await this.load();
    if (!this.key) {
      await store.insertKeyIfNone(this.db, newKeyRow());
      await this.load();
    }
    // A rotation in any process: load the new key (and after a lost connection, whatever is active).
    const reload = () => void this.load().catch(() => undefined);
    this.unlisten = await this.database.listen(RECEIPT_KEY_CHANNEL, { message: reload, ready: reload, lost: () => undefined });
  }

  /** Stops following rotations. */
  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  /**
   * Retires the active key and makes a new one, which signs from now on here and, once they
   * hear of it, in every other process; `alongside` runs in the same transaction (the audit
   * entry). Returns the new key's public half.
   */
  async rotate(alongside?: (trx: Transaction<object>, keyId: string) => Promise<void>): Promise<PublicReceiptKey> {
    const row = newKeyRow();
    await this.db.transaction().execute(async (trx) => {
      await store.rotateSigningKey(trx, row);
      await alongside?.(trx, row.id);
      await sql`select pg_notify(${RECEIPT_KEY_CHANNEL}, ${row.id})`.execute(trx);
    });
    await this.load();
    return (await this.publicKeys()).find((k) => k.keyId === row.id)!;
  }

  private async load(): Promise<void> {
    const row = await store.findActiveKey(this.db);
    if (row && row.id !== this.key?.id) this.key = { id: row.id, privateKey: createPrivateKey(row.private_key) };
  }

  /** Signs the fields of a receipt. */
  sign(fields: Omit<Receipt, 'v' | 'issuer' | 'keyId' | 'signature'>): Receipt {
    if (!this.key) throw new Error('the receipt signer is not started');
    const unsigned = { v: 1 as const, issuer: 'ludao' as const, keyId: this.key.id, ...fields };
    const signature = sign(null, Buffer.from(canonicalJson(unsigned)), this.key.privateKey).toString('base64url');
    return { ...unsigned, signature };
  }

  /** The public keys, for `GET /api/sandbox/receipt-keys` and offline checks. */
  async publicKeys(): Promise<PublicReceiptKey[]> {
    return (await store.listPublicKeys(this.db)).map((k) => ({
      keyId: k.id,
      algorithm: k.algorithm,
      publicKeyPem: k.public_key,
      createdAt: k.created_at.toISOString(),
      retiredAt: k.retired_at ? k.retired_at.toISOString() : null,
    }));
  }
}

/** The NOTIFY channel on which a rotation of the receipt key is announced (payload: the new key's id). */
export const RECEIPT_KEY_CHANNEL = 'ludao_receipt_key_rotated';

// A new Ed25519 key pair as a row of sb_signing_key.
function newKeyRow(): Pick<store.SigningKeyRow, 'id' | 'algorithm' | 'public_key' | 'private_key'> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    id: `SK-${randomBytes(6).toString('hex')}`,
    algorithm: RECEIPT_ALGORITHM,
    public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** What checking a receipt found; `line` is one readable sentence either way. */
export type ReceiptCheck = { ok: true; line: string; receipt: Receipt } | { ok: false; line: string };

/**
 * Checks a receipt offline against published public keys (the JSON of
 * `GET /api/sandbox/receipt-keys`, or one PEM). Never throws on bad input: says what is wrong.
 *
 * @example
 * checkReceipt(fs.readFileSync('receipt.json', 'utf8'), fs.readFileSync('keys.json', 'utf8')).line;
 */
export function checkReceipt(receiptText: string, keysText: string): ReceiptCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(receiptText);
  } catch {
    return { ok: false, line: 'not a receipt: the file is not JSON' };
  }
  const receipt = parsed as Partial<Receipt>;
  const shapeProblem = receiptShapeProblem(receipt);
  if (shapeProblem) return { ok: false, line: `not a receipt: ${shapeProblem}` };
  const keys = parseKeys(keysText);
  if (typeof keys === 'string') return { ok: false, line: keys };
  const key = keys.get(receipt.keyId!) ?? keys.get('');
  if (!key) return { ok: false, line: `receipt ${receipt.id} was signed with key ${receipt.keyId}, which is not among the public keys given` };
  const { signature, ...unsigned } = receipt as Receipt;
  let valid = false;
  try {
    valid = verify(null, Buffer.from(canonicalJson(unsigned)), key, Buffer.from(signature, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, line: `receipt ${receipt.id} is NOT valid: the signature does not match its contents (changed, or signed by another key)` };
  const r = receipt as Receipt;
  const results = r.claims.map((c) => `${c.template}=${c.result}`).join(', ');
  return { ok: true, receipt: r, line: `receipt ${r.id} is valid: case ${r.caseId} (${r.caseType}) of ${r.consumerOrg}, issued ${r.issuedAt} by key ${r.keyId}: ${results}` };
}

function receiptShapeProblem(r: Partial<Receipt>): string | null {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'expected a JSON object';
  for (const field of ['id', 'keyId', 'issuedAt', 'caseType', 'caseId', 'consumerOrg', 'nonce', 'signature'] as const) {
    if (typeof r[field] !== 'string' || r[field] === '') return `"${field}" is missing`;
  }
  if (r.v !== 1) return 'unknown receipt version (expected "v": 1)';
  if (!Array.isArray(r.claims) || r.claims.length === 0) return '"claims" is missing';
  for (const c of r.claims) {
    if (typeof c !== 'object' || c === null || typeof c.template !== 'string' || typeof c.digest !== 'string' || !['match', 'no_match', 'unverifiable'].includes(c.result)) {
      return 'a claim lacks its template, digest or result';
    }
  }
  return null;
}

// Keys by id ('' for a bare PEM, which checks any receipt), or what is wrong with the input.
function parseKeys(text: string): Map<string, KeyObject> | string {
  const keys = new Map<string, KeyObject>();
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('-----BEGIN')) {
      keys.set('', createPublicKey(trimmed));
      return keys;
    }
    const parsed = JSON.parse(trimmed) as unknown;
    const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown }).keys;
    if (!Array.isArray(list)) return 'the key file holds neither a PEM public key nor the JSON of /api/sandbox/receipt-keys';
    for (const k of list as Partial<PublicReceiptKey>[]) {
      if (typeof k?.keyId === 'string' && typeof k.publicKeyPem === 'string') keys.set(k.keyId, createPublicKey(k.publicKeyPem));
    }
  } catch {
    return 'the key file holds neither a PEM public key nor the JSON of /api/sandbox/receipt-keys';
  }
  if (keys.size === 0) return 'the key file lists no public keys';
  return keys;
}
