import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A resource's abstract and sharing condition in English beside the Chinese (`abstract_en`,
 * `sharing_condition_en`), where both languages stood in one text ("…为主键。Residents with…",
 * "…后共享 (on request, …)"), which readers of either language read whole.
 *
 * Texts written that way are split on the way up: an abstract where Chinese ends with 。 and
 * an English sentence follows, a condition where the English stands in brackets at the end.
 * Any other text stays as it is, Chinese or not, with no English beside it. Down joins them again.
 */
export const englishTexts: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table dc_resource add column abstract_en text, add column sharing_condition_en text`.execute(db);
    // "中文。English." → "中文。" and "English.": the English is what follows the last 。, when it
    // starts with a Latin letter (it may name a Chinese term in brackets).
    await sql`
      update dc_resource set
        abstract = substring(abstract from '^(.*。) *[A-Za-z][^。]*$'),
        abstract_en = substring(abstract from '^.*。 *([A-Za-z][^。]*)$')
      where abstract ~ '[一-鿿].*。 *[A-Za-z][^。]*$'`.execute(db);
    // "中文 (English)" → "中文" and "English": a bracket at the end, in Latin letters only.
    await sql`
      update dc_resource set
        sharing_condition = substring(sharing_condition from '^(.*[^ ]) *\\([A-Za-z][^()一-鿿]*\\)$'),
        sharing_condition_en = substring(sharing_condition from '\\(([A-Za-z][^()一-鿿]*)\\)$')
      where sharing_condition ~ '[一-鿿].* *\\([A-Za-z][^()一-鿿]*\\)$'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`update dc_resource set abstract = abstract || abstract_en where abstract_en is not null`.execute(db);
    await sql`update dc_resource set sharing_condition = sharing_condition || ' (' || sharing_condition_en || ')' where sharing_condition_en is not null`.execute(db);
    await sql`alter table dc_resource drop column abstract_en, drop column sharing_condition_en`.execute(db);
  },
};
