import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The portal's community: feedback and error reports (纠错) on a dataset, routed to its
 * provider; requests for data not yet open; and the showcase of apps built on datasets.
 */
export const createCommunity: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table od_feedback (
        id text primary key,
        dataset_id text not null references od_dataset (id),
        provider_org text not null,
        kind text not null check (kind in ('error', 'comment')),
        body text not null,
        user_id text not null,
        author text not null,
        status text not null check (status in ('open', 'answered')),
        reply text,
        replied_by text,
        created_at timestamptz not null default now(),
        replied_at timestamptz
      )`.execute(db);
    await sql`create index od_feedback_dataset on od_feedback (dataset_id, created_at)`.execute(db);
    await sql`create index od_feedback_provider on od_feedback (provider_org, status)`.execute(db);
    await sql`
      create table od_data_request (
        id text primary key,
        title text not null,
        description text not null,
        theme text,
        user_id text not null,
        author text not null,
        status text not null check (status in ('open', 'planned', 'fulfilled', 'declined')),
        reply text,
        dataset_id text,
        created_at timestamptz not null default now(),
        answered_at timestamptz
      )`.execute(db);
    await sql`
      create table od_app (
        id text primary key,
        name text not null,
        description text not null,
        url text not null,
        datasets text[] not null,
        user_id text not null,
        author text not null,
        status text not null check (status in ('pending', 'listed', 'rejected')),
        note text,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index od_app_datasets on od_app using gin (datasets)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['od_app', 'od_data_request', 'od_feedback']) await sql`drop table if exists ${sql.table(table)}`.execute(db);
  },
};
