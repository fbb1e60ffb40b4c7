import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The demo case type `maternity_claim` also checks the social-security card's bank account
 * (`si.bank_account_is`, issue 5 part 7). New cities get it from `DEMO_CASE_TYPES`; this adds
 * it to the whitelist of a case type stored before, and does nothing where there is none.
 */
export const maternityClaimBankAccount: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`update sb_case_type set templates = array_append(templates, 'si.bank_account_is')
      where code = 'maternity_claim' and not ('si.bank_account_is' = any(templates))`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`update sb_case_type set templates = array_remove(templates, 'si.bank_account_is') where code = 'maternity_claim'`.execute(db);
  },
};
