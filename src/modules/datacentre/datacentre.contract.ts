import { Type, type Static } from 'typebox';
import { UPDATE_CYCLES } from './catalogue';

const CODE = '^[a-z][a-z0-9_]{0,24}(\\.[a-z][a-z0-9_]{0,24}){0,2}$';
const FIELD_NAME = '^[a-z][a-z0-9_]{0,47}$';
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** Sharing types (国发〔2016〕51号): unconditional, conditional, not shared (needs a legal basis). */
export const SharingType = Type.Union([Type.Literal('unconditional'), Type.Literal('conditional'), Type.Literal('not_shared')]);
/** Open types for the open-data portal. */
export const OpenType = Type.Union([Type.Literal('unconditional'), Type.Literal('conditional'), Type.Literal('not_open')]);
/** How often the provider updates a resource. */
export const UpdateCycle = Type.Enum(UPDATE_CYCLES);

/**
 * One data item of a resource. Sensitivity: 1 public, 2 internal, 3 sensitive (masked in
 * samples), 4 highly sensitive personal data (masked, never opened).
 */
export const FieldSpec = Type.Object(
  {
    name: Type.String({ pattern: FIELD_NAME, description: 'Column name: lower-case letters, digits, _' }),
    labelZh: Type.String({ minLength: 1, maxLength: 100 }),
    labelEn: Type.String({ minLength: 1, maxLength: 100 }),
    type: Type.Union([
      Type.Literal('text'),
      Type.Literal('integer'),
      Type.Literal('decimal'),
      Type.Literal('date'),
      Type.Literal('timestamp'),
      Type.Literal('boolean'),
      Type.Literal('enum'),
      Type.Literal('geo_point'),
      Type.Literal('resident_id'),
      Type.Literal('credit_code'),
      Type.Literal('json'),
    ]),
    required: Type.Boolean({ default: false }),
    sensitivity: Type.Integer({ minimum: 1, maximum: 4, default: 1 }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    values: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 500 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    deprecated: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
/** One data item of a resource. */
export type FieldSpec = Static<typeof FieldSpec>;

/** A resource as its provider defines it (catalogue core metadata, 2017 national guide). */
export const ResourceSpec = Type.Object(
  {
    code: Type.String({ pattern: CODE, description: 'e.g. population.person' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    domain: Type.String({ minLength: 1, maxLength: 50 }),
    providerOrg: Type.String({ minLength: 1, maxLength: 64, description: 'Organisation code of the provider department' }),
    category: Type.String({ minLength: 1, maxLength: 100 }),
    item: Type.Optional(Type.String({ maxLength: 100 })),
    subItem: Type.Optional(Type.String({ maxLength: 100 })),
    abstract: Type.String({ minLength: 1, maxLength: 4000, description: 'In Chinese' }),
    abstractEn: Type.Optional(Type.String({ maxLength: 4000 })),
    format: Type.Optional(Type.String({ maxLength: 50, default: 'table' })),
    updateCycle: UpdateCycle,
    sharingType: SharingType,
    sharingCondition: Type.Optional(Type.String({ maxLength: 2000 })),
    sharingConditionEn: Type.Optional(Type.String({ maxLength: 2000 })),
    sharingMethod: Type.Optional(Type.String({ maxLength: 50, default: 'api' })),
    legalBasis: Type.Optional(Type.String({ maxLength: 2000, description: 'Required when sharingType is not_shared' })),
    openType: OpenType,
    keyFields: Type.Array(Type.String({ pattern: FIELD_NAME }), { minItems: 1, maxItems: 5, description: 'Fields whose values identify a record' }),
    subject: Type.Optional(
      Type.Object(
        { field: Type.String({ pattern: FIELD_NAME }), kind: Type.Union([Type.Literal('person'), Type.Literal('legal_person'), Type.Literal('place'), Type.Literal('mixed')], { description: 'mixed: people or legal persons' }) },
        { additionalProperties: false },
      ),
    ),
    relatedCodes: Type.Optional(Type.Array(Type.String({ pattern: CODE }), { maxItems: 50 })),
    baseRegistry: Type.Optional(Type.Boolean()),
    publishDate: Type.Optional(Type.String({ format: 'date' })),
    partitions: Type.Optional(Type.Integer({ minimum: 2, maximum: 64, description: 'Hash partitions of the record table (large resources)' })),
    fields: Type.Array(FieldSpec, { minItems: 1, maxItems: 300 }),
  },
  { additionalProperties: false },
);
/** A resource as its provider defines it. */
export type ResourceSpec = Static<typeof ResourceSpec>;

/** A resource in the catalogue, as the API shows it. */
export const Resource = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  domain: Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String() }),
  provider: Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String() }),
  category: Type.String(),
  item: Nullable(Type.String()),
  subItem: Nullable(Type.String()),
  abstract: Type.String(),
  abstractEn: Nullable(Type.String()),
  format: Type.String(),
  updateCycle: Type.String(),
  sharingType: Type.String(),
  sharingCondition: Nullable(Type.String()),
  sharingConditionEn: Nullable(Type.String()),
  sharingMethod: Type.String(),
  legalBasis: Nullable(Type.String()),
  openType: Type.String(),
  keyFields: Type.Array(Type.String()),
  subject: Nullable(Type.Object({ field: Type.String(), kind: Type.String() })),
  relatedCodes: Type.Array(Type.String()),
  baseRegistry: Type.Boolean(),
  version: Type.Integer(),
  publishDate: Type.String({ format: 'date' }),
  updatedAt: Type.String({ format: 'date-time' }),
  fields: Type.Array(FieldSpec),
});
/** A resource in the catalogue. */
export type Resource = Static<typeof Resource>;

/** A resource's figures for the console. */
export const ResourceStats = Type.Object({
  records: Type.Integer({ description: 'Current records (deleted ones excluded)' }),
  versions: Type.Integer({ description: 'Stored versions, history included' }),
  updatesThisMonth: Type.Integer(),
  lastUpdate: Nullable(Type.String({ format: 'date-time' })),
  rowsRead: Type.Integer(),
  rowsRejected: Type.Integer(),
  rejectedRate: Type.Number(),
});
/** A resource's figures. */
export type ResourceStats = Static<typeof ResourceStats>;

/** An ingestion batch. */
export const Batch = Type.Object({
  id: Type.String(),
  resource: Type.String(),
  idempotencyKey: Type.String(),
  operation: Type.String(),
  source: Type.String(),
  fileName: Nullable(Type.String()),
  encoding: Nullable(Type.String()),
  status: Type.Union([Type.Literal('receiving'), Type.Literal('applying'), Type.Literal('applied'), Type.Literal('rejected'), Type.Literal('interrupted')]),
  onInvalid: Type.String(),
  rowsRead: Type.Integer(),
  rowsValid: Type.Integer(),
  rowsInvalid: Type.Integer(),
  bytesRead: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  deleted: Type.Integer(),
  /** What the batch's outcome says, in the reader's language (Accept-Language). */
  message: Nullable(Type.String()),
  /** The message's stable code (`dc.batch.*`, `dc.file.*`); null for batches stored before codes were. */
  messageCode: Nullable(Type.String()),
  createdBy: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});
/** An ingestion batch. */
export type Batch = Static<typeof Batch>;

/** A rejected row of a batch. */
export const BatchError = Type.Object({
  rowNumber: Type.Integer(),
  field: Type.String(),
  /** Why, in the reader's language. */
  reason: Type.String(),
  /** The reason's stable code (`dc.row.*`); null for rows stored before codes were. */
  code: Nullable(Type.String()),
});
/** A rejected row of a batch. */
export type BatchError = Static<typeof BatchError>;

/** Body of POST /api/dc/resources/{code}/batches (API push). */
export const PushBatchBody = Type.Object(
  {
    idempotencyKey: Type.String({ minLength: 1, maxLength: 200 }),
    operation: Type.Union([Type.Literal('upsert'), Type.Literal('delete')]),
    onInvalid: Type.Optional(Type.Union([Type.Literal('skip'), Type.Literal('reject')], { default: 'skip' })),
    records: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, maxItems: 10_000 }),
  },
  { additionalProperties: false },
);
/** An API push. */
export type PushBatchBody = Static<typeof PushBatchBody>;

/** A record as the data centre returns it: its fields plus version metadata. */
export const StoredRecord = Type.Object({
  key: Type.String(),
  subject: Nullable(Type.String()),
  validFrom: Type.String({ format: 'date-time' }),
  validTo: Nullable(Type.String({ format: 'date-time' })),
  deleted: Type.Boolean(),
  batchId: Type.String(),
  values: Type.Record(Type.String(), Type.Unknown()),
});
/** A stored record version. */
export type StoredRecord = Static<typeof StoredRecord>;
