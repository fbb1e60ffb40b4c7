import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../platform/db/testing';
import { checkReceipt, ReceiptSigner } from '../modules/sandbox';
import { createSandbox } from '../modules/sandbox/migrations/0001-create-sandbox';
import { runLudao } from './run-ludao.test-support';

function ludao(args: string[], env: Record<string, string> = {}) {
  return runLudao(args, env, { timeoutMs: 60_000, ownDatabase: true });
}

describe('ludao verify-receipt', () => {
  let dir: string;
  let tdb: TestDatabase;
  let receiptFile: string;
  let keysFile: string;
  let signer: ReceiptSigner;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-receipt-'));
    tdb = await openTestDatabase();
    await createSandbox.up(tdb.db as never);
    signer = new ReceiptSigner(tdb);
    await signer.start();
    const receipt = signer.sign({
      id: 'SR-test-1',
      issuedAt: '2026-11-26T08:00:00.000Z',
      caseType: 'maternity_claim',
      caseId: 'MC-2026-0001',
      consumerOrg: 'xm.medsec',
      nonce: 'n0nce',
      claims: [{ template: 'marriage.married_to', digest: 'ab'.repeat(32), result: 'match' }],
    });
    receiptFile = path.join(dir, 'receipt.json');
    keysFile = path.join(dir, 'keys.json');
    fs.writeFileSync(receiptFile, JSON.stringify(receipt, null, 2));
    fs.writeFileSync(keysFile, JSON.stringify({ algorithm: 'Ed25519', keys: await signer.publicKeys() }));
  });
  afterAll(async () => {
    await signer?.stop();
    await tdb?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says a good receipt is valid, in one line, against the published keys or a PEM', async () => {
    const ok = await ludao(['verify-receipt', receiptFile, '--key', keysFile]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe('receipt SR-test-1 is valid: case MC-2026-0001 (maternity_claim) of xm.medsec, issued 2026-11-26T08:00:00.000Z by key ' + JSON.parse(fs.readFileSync(receiptFile, 'utf8')).keyId + ': marriage.married_to=match');
    const pem = path.join(dir, 'key.pem');
    fs.writeFileSync(pem, (await sql<{ public_key: string }>`select public_key from sb_signing_key`.execute(tdb.db)).rows[0]!.public_key);
    expect((await ludao(['verify-receipt', receiptFile, '--key', pem])).code).toBe(0);
  }, 120_000);

  it('refuses a changed receipt, another key and bad input with a readable line', async () => {
    const changed = path.join(dir, 'changed.json');
    const receipt = JSON.parse(fs.readFileSync(receiptFile, 'utf8'));
    fs.writeFileSync(changed, JSON.stringify({ ...receipt, claims: [{ ...receipt.claims[0], result: 'no_match' }] }));
    const bad = await ludao(['verify-receipt', changed, '--key', keysFile]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ludao: receipt SR-test-1 is NOT valid: the signature does not match its contents/);

    const other = path.join(dir, 'other.pem');
    fs.writeFileSync(other, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect((await ludao(['verify-receipt', receiptFile, '--key', other])).stderr).toMatch(/NOT valid/);
  }, 180_000);

  it('says in one line what is wrong with a file that is not a receipt or not a key', async () => {
    const receipt = JSON.parse(fs.readFileSync(receiptFile, 'utf8'));
    const cases: [string, string, RegExp][] = [
      ['not json', '{', /not a receipt: the file is not JSON/],
      ['no signature', JSON.stringify({ ...receipt, signature: undefined }), /not a receipt: "signature" is missing/],
    ];
    for (const [name, text, message] of cases) {
      const file = path.join(dir, `${name.replace(/ /g, '-')}.json`);
      fs.writeFileSync(file, text);
      const res = await ludao(['verify-receipt', file, '--key', keysFile]);
      expect(res.code, name).toBe(1);
      expect(res.stderr.trim(), name).toMatch(message);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect((await ludao(['verify-receipt', path.join(dir, 'missing.json'), '--key', keysFile])).stderr.trim()).toBe(`ludao: no receipt at ${path.join(dir, 'missing.json')}`);
    expect((await ludao(['verify-receipt', receiptFile, '--key', receiptFile])).stderr.trim()).toBe('ludao: the key file holds neither a PEM public key nor the JSON of /api/sandbox/receipt-keys');
    // Without --key it reads this installation's keys, and says when there are none yet.
    const fresh = await ludao(['verify-receipt', receiptFile], { LUDAO_DATA_DIR: path.join(dir, 'data') });
    expect(fresh.code).toBe(1);
    expect(fresh.stderr.trim()).toBe('ludao: this installation has no signing key yet (the first `ludao start` makes it); give the public keys with --key');
  }, 240_000);

  it('rotates the key: new receipts carry the new one in every process, and the old one stays published for its receipts', async () => {
    const fields = { issuedAt: '2026-11-27T08:00:00.000Z', caseType: 'maternity_claim', caseId: 'MC-2026-0002', consumerOrg: 'xm.medsec', nonce: 'n0nce2', claims: [{ template: 'marriage.married_to', digest: 'cd'.repeat(32), result: 'match' as const }] };
    const otherProcess = new ReceiptSigner(tdb);
    await otherProcess.start();
    try {
      const before = signer.sign({ ...fields, id: 'SR-test-2' });
      expect(otherProcess.sign({ ...fields, id: 'SR-test-3' }).keyId).toBe(before.keyId);
      const rotated = await signer.rotate();
      expect(rotated.keyId).not.toBe(before.keyId);
      const after = signer.sign({ ...fields, id: 'SR-test-4' });
      expect(after.keyId).toBe(rotated.keyId);
      await vi.waitFor(() => expect(otherProcess.sign({ ...fields, id: 'SR-test-5' }).keyId).toBe(rotated.keyId), { timeout: 10_000 });
      const keys = await signer.publicKeys();
      expect(keys.map((k) => [k.keyId, k.retiredAt === null])).toEqual([
        [rotated.keyId, true],
        [before.keyId, false],
      ]);
      const published = JSON.stringify({ algorithm: 'Ed25519', keys });
      expect(checkReceipt(JSON.stringify(before), published).line).toMatch(/is valid/);
      expect(checkReceipt(JSON.stringify(after), published).line).toMatch(/is valid/);
      expect(checkReceipt(JSON.stringify({ ...after, keyId: before.keyId }), published).line).toMatch(/NOT valid/);
    } finally {
      await otherProcess.stop();
    }
  });
});
