import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Why a webhook delivery failed (the answer's status, an unreachable address, a channel gone) is
 * also kept as a message code with its parameters (`messages.ts`, ADR 0020), on each attempt and
 * as the subscription's last error, so the subscriptions page reads in the reader's language.
 * The English words stay in `error` and `last_error`; rows from before have only those.
 */
export const addDeliveryErrorCode: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table xc_delivery add column error_code text, add column error_params jsonb`.execute(db);
    await sql`alter table xc_subscription add column last_error_code text, add column last_error_params jsonb`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`alter table xc_delivery drop column error_code, drop column error_params`.execute(db);
    await sql`alter table xc_subscription drop column last_error_code, drop column last_error_params`.execute(db);
  },
};
