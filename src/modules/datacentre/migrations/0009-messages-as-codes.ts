import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A rejected row's reason and a batch's message are kept as a code with parameters
 * (`messages.ts`, ADR 0020) and put into words in the reader's language. The English text stays
 * in `reason` and `message` beside them, for whoever reads the tables with SQL; rows from
 * before this migration have only that text, and are shown as it is.
 */
export const messagesAsCodes: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table dc_batch_error add column reason_code text, add column reason_params jsonb`.execute(db);
    await sql`alter table dc_batch add column message_code text, add column message_params jsonb`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`alter table dc_batch_error drop column reason_code, drop column reason_params`.execute(db);
    await sql`alter table dc_batch drop column message_code, drop column message_params`.execute(db);
  },
};
