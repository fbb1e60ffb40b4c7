import { Type, type Static } from 'typebox';
import { UPDATE_CYCLES } from '../datacentre';

/**
 * Request and response shapes of the open-data portal API (shared with web/, the CLI, and the
 * DCAT and CKAN presenters).
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const FIELD = Type.String({ pattern: '^[a-z][a-z0-9_]{0,47}$' });
const SLUG = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,79}$', description: 'Lower-case letters, digits and dashes' });

/** The column types a published dataset has (the data centre's identifier types never reach it). */
export const DatasetFieldType = Type.Union([
  Type.Literal('text'),
  Type.Literal('integer'),
  Type.Literal('decimal'),
  Type.Literal('date'),
  Type.Literal('timestamp'),
  Type.Literal('boolean'),
  Type.Literal('json'),
]);
export type DatasetFieldType = Static<typeof DatasetFieldType>;

/** One column of a published dataset. */
export const DatasetField = Type.Object({
  name: FIELD,
  labelZh: Type.String(),
  labelEn: Type.String(),
  type: DatasetFieldType,
  description: Type.String(),
  unit: Nullable(Type.String()),
});
export type DatasetField = Static<typeof DatasetField>;

/** How often a dataset is updated (the catalogue's update cycles). */
export const UpdateFrequency = Type.Enum(UPDATE_CYCLES);
export type UpdateFrequency = Static<typeof UpdateFrequency>;

/** The four parts of a dataset's quality score (each 0–25; the score is their sum). */
export const Quality = Type.Object({
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  completeness: Type.Integer({ description: 'Metadata filled in: description, tags, field descriptions, contact' }),
  machineReadable: Type.Integer({ description: 'Typed columns served as CSV, JSON, XLSX (and GeoJSON)' }),
  timeliness: Type.Integer({ description: 'Last update within the promised frequency' }),
  licence: Type.Integer({ description: 'An open licence is named' }),
});
export type Quality = Static<typeof Quality>;

/** A published version of a dataset. */
export const DatasetVersion = Type.Object({
  version: Type.Integer(),
  changelog: Type.String(),
  rows: Type.Integer(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('review'), Type.Literal('published'), Type.Literal('rejected'), Type.Literal('superseded')]),
  createdAt: Type.String(),
  publishedAt: Nullable(Type.String()),
  reviewNote: Nullable(Type.String()),
});
export type DatasetVersion = Static<typeof DatasetVersion>;

const Named = Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String() });

/** A dataset as the portal, the query API, DCAT and CKAN present it. */
export const Dataset = Type.Object({
  id: SLUG,
  title: Type.String(),
  titleEn: Type.String(),
  description: Type.String(),
  org: Named,
  theme: Named,
  tags: Type.Array(Type.String()),
  licence: Type.Object({ id: Type.String(), title: Type.String(), url: Type.String() }),
  updateFrequency: UpdateFrequency,
  openType: Type.Union([Type.Literal('unconditional'), Type.Literal('conditional')]),
  source: Type.Union([Type.Literal('resource'), Type.Literal('upload')]),
  /** The catalogue resource it is derived from (source 'resource'). */
  sourceResource: Nullable(Type.String()),
  status: Type.Union([Type.Literal('draft'), Type.Literal('review'), Type.Literal('published'), Type.Literal('withdrawn')]),
  /** The published version the API serves, or null before the first is published. */
  version: Nullable(Type.Integer()),
  fields: Type.Array(DatasetField),
  /** Latitude and longitude columns, when rows are places (a map, GeoJSON). */
  geo: Nullable(Type.Object({ lat: FIELD, lon: FIELD })),
  rows: Type.Integer(),
  formats: Type.Array(Type.String(), { description: 'CSV, JSON, XLSX and, with geo, GeoJSON' }),
  quality: Quality,
  downloads: Type.Integer(),
  apiCalls: Type.Integer(),
  createdAt: Type.String(),
  /** When the served version was published (Last-Modified), or created for drafts. */
  modifiedAt: Type.String(),
});
export type Dataset = Static<typeof Dataset>;

/** A facet: the values of one property among the matching datasets, with counts. */
export const Facet = Type.Array(Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() }));

/** A page of search results, with facets over all matches. */
export const DatasetSearch = Type.Object({
  total: Type.Integer(),
  items: Type.Array(Dataset),
  facets: Type.Object({ org: Facet, theme: Facet, tags: Facet, format: Facet, openType: Facet }),
  /** The words the query was segmented into (shown to the user: 思明区 | 公交). */
  terms: Type.Array(Type.String()),
});
export type DatasetSearch = Static<typeof DatasetSearch>;

/** Search parameters of the catalogue. */
export const DatasetSearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    org: Type.Optional(Type.String({ maxLength: 80 })),
    theme: Type.Optional(Type.String({ maxLength: 80 })),
    tag: Type.Optional(Type.String({ maxLength: 80 })),
    format: Type.Optional(Type.String({ maxLength: 20 })),
    openType: Type.Optional(Type.Union([Type.Literal('unconditional'), Type.Literal('conditional')])),
    sort: Type.Optional(Type.Union([Type.Literal('relevance'), Type.Literal('modified'), Type.Literal('downloads'), Type.Literal('title')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type DatasetSearchQuery = Static<typeof DatasetSearchQuery>;

/** The derivation of a dataset from a catalogue resource. Personal data leaves only aggregated. */
export const Pipeline = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('aggregate'),
      /** Fields to group by (never identifiers or names). */
      groupBy: Type.Array(FIELD, { minItems: 1, maxItems: 5 }),
      /** Sums or averages of numeric fields, beside the count. */
      measures: Type.Optional(Type.Array(Type.Object({ fn: Type.Union([Type.Literal('sum'), Type.Literal('avg'), Type.Literal('min'), Type.Literal('max')]), field: FIELD }), { maxItems: 10 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('select'),
      /** Fields published row by row (only for resources whose records are not about people). */
      fields: Type.Array(FIELD, { minItems: 1, maxItems: 100, uniqueItems: true }),
    },
    { additionalProperties: false },
  ),
]);
export type Pipeline = Static<typeof Pipeline>;

/** Metadata a department gives a dataset. */
export const DatasetMeta = Type.Object(
  {
    id: SLUG,
    title: Type.String({ minLength: 2, maxLength: 200 }),
    titleEn: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.String({ minLength: 10, maxLength: 5000 }),
    theme: Type.String({ maxLength: 40 }),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20, uniqueItems: true })),
    licence: Type.Optional(Type.String({ maxLength: 40, description: 'A licence id from /api/open/v1/licences' })),
    updateFrequency: UpdateFrequency,
    openType: Type.Union([Type.Literal('unconditional'), Type.Literal('conditional')]),
    /** The department an uploaded dataset is published for (reviewers only; others publish for their own). */
    publisher: Type.Optional(Type.String({ maxLength: 80 })),
    /** Field descriptions and units, by field name. */
    fieldNotes: Type.Optional(Type.Record(Type.String(), Type.Object({ description: Type.Optional(Type.String({ maxLength: 500 })), unit: Type.Optional(Type.String({ maxLength: 20 })) }))),
  },
  { additionalProperties: false },
);
export type DatasetMeta = Static<typeof DatasetMeta>;

/** A new dataset (or a new version of one) derived from a catalogue resource. */
export const PublishFromResourceBody = Type.Object(
  {
    meta: DatasetMeta,
    resource: Type.String({ minLength: 1, maxLength: 80 }),
    pipeline: Pipeline,
    changelog: Type.String({ minLength: 2, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type PublishFromResourceBody = Static<typeof PublishFromResourceBody>;

/** A review decision on a version submitted for review. */
export const ReviewBody = Type.Object(
  { decision: Type.Union([Type.Literal('publish'), Type.Literal('reject')]), note: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
export type ReviewBody = Static<typeof ReviewBody>;

/** One page of records from the query API. */
export const RecordPage = Type.Object({
  dataset: Type.String(),
  version: Type.Integer(),
  fields: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
  records: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  /** Pass as `cursor` for the next page; null on the last page. */
  next: Nullable(Type.String()),
});
export type RecordPage = Static<typeof RecordPage>;

/** An application to use a conditional dataset (有条件开放). */
export const NewApplicationBody = Type.Object(
  {
    purpose: Type.String({ minLength: 4, maxLength: 1000, description: 'What the data will be used for' }),
    scenario: Type.String({ minLength: 4, maxLength: 2000, description: 'The application scenario: product, users, how the data flows' }),
    undertaking: Type.String({ minLength: 10, maxLength: 5000, description: 'The security undertaking (安全承诺) the applicant signs' }),
    acceptUndertaking: Type.Literal(true, { description: 'The applicant accepts the undertaking' }),
    requestedDays: Type.Integer({ minimum: 1, maximum: 366 }),
  },
  { additionalProperties: false },
);
export type NewApplicationBody = Static<typeof NewApplicationBody>;

/** A decision on an application, with a note (required to return or refuse). */
export const ApplicationDecisionBody = Type.Object(
  { approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, description: 'A shorter validity than asked' })) },
  { additionalProperties: false },
);
export type ApplicationDecisionBody = Static<typeof ApplicationDecisionBody>;

/** An application as both sides see it: its steps, and the key's use once approved. */
export const Application = Type.Object({
  id: Type.String(),
  dataset: Type.Object({ id: Type.String(), title: Type.String() }),
  providerOrg: Type.String(),
  applicant: Type.String(),
  purpose: Type.String(),
  scenario: Type.String(),
  undertaking: Type.String(),
  requestedDays: Type.Integer(),
  status: Type.Union([
    Type.Literal('submitted'),
    Type.Literal('returned'),
    Type.Literal('checked'),
    Type.Literal('approved'),
    Type.Literal('refused'),
    Type.Literal('revoked'),
    Type.Literal('expired'),
  ]),
  /** The completeness check is due by the end of this day (5 working days). */
  checkDue: Type.String(),
  checkOverdue: Type.Boolean(),
  submittedAt: Type.String(),
  validUntil: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  keyIssued: Type.Boolean(),
  steps: Type.Array(Type.Object({ at: Type.String(), actor: Type.String(), actorOrg: Nullable(Type.String()), action: Type.String(), note: Nullable(Type.String()) })),
  usage: Type.Array(Type.Object({ day: Type.String(), calls: Type.Integer(), downloads: Type.Integer() })),
});
export type Application = Static<typeof Application>;
