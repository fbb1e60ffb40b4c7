import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A refused call's reason is also kept as a message code with its parameters (`messages.ts`,
 * ADR 0020), so the call log reads in each reader's language. The English words stay in
 * `reason`. The parameters are JSON text, not jsonb, because a row's hash covers them as
 * stored (`call-log.ts`); rows from before this migration have no code and hash as before.
 * Adding a nullable column to the partitioned log changes only the catalogue. Going down is
 * refused once a call has a code: its hash covers the code, so dropping it would leave the
 * evidence unverifiable.
 */
export const addCallReasonCode: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table xc_call add column reason_code text, add column reason_params text`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    const coded = await sql`select 1 from xc_call where reason_code is not null limit 1`.execute(db);
    if (coded.rows.length > 0) throw new Error('xc_call holds calls whose hash covers their reason code; dropping the code would leave them unverifiable');
    await sql`alter table xc_call drop column reason_code, drop column reason_params`.execute(db);
  },
};
