import { Type, type Static } from 'typebox';

/**
 * Request and response shapes of the exchange API (shared with web/ and the CLI).
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const FIELD = Type.String({ pattern: '^[a-z][a-z0-9_]{0,47}$' });
const DATE = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

/** A consumer department's request for a conditional resource. */
export const NewRequestBody = Type.Object(
  {
    resource: Type.String({ minLength: 1, maxLength: 80 }),
    purpose: Type.String({ minLength: 4, maxLength: 500, description: 'What the data is for (the business it serves)' }),
    legalBasis: Type.String({ minLength: 4, maxLength: 1000, description: 'The law, regulation or policy that makes the use lawful' }),
    fields: Type.Array(FIELD, { minItems: 1, maxItems: 200, uniqueItems: true }),
    expectedCallsPerDay: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    validUntil: DATE,
    systemName: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Only API keys of this system may use the channel' })),
  },
  { additionalProperties: false },
);
export type NewRequestBody = Static<typeof NewRequestBody>;

/** The provider's approval: possibly fewer fields, a shorter validity, a rate limit. */
export const ApproveBody = Type.Object(
  {
    fields: Type.Optional(Type.Array(FIELD, { minItems: 1, maxItems: 200, uniqueItems: true })),
    validUntil: Type.Optional(DATE),
    rateLimitPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ApproveBody = Static<typeof ApproveBody>;

/** A refusal states its reason (DOMAIN.md). */
export const RefuseBody = Type.Object({ reason: Type.String({ minLength: 4, maxLength: 1000 }) }, { additionalProperties: false });

/** A withdrawal or revocation, with why. */
export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false });

/** A channel to an unconditional resource, opened by the consumer itself. */
export const NewChannelBody = Type.Object(
  {
    resource: Type.String({ minLength: 1, maxLength: 80 }),
    purpose: Type.String({ minLength: 4, maxLength: 500 }),
    fields: Type.Array(FIELD, { minItems: 1, maxItems: 200, uniqueItems: true }),
    validUntil: Type.Optional(DATE),
    systemName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type NewChannelBody = Static<typeof NewChannelBody>;

/** A step in a request's life. */
export const RequestStep = Type.Object({ at: Type.String(), actor: Type.String(), actorOrg: Nullable(Type.String()), action: Type.String(), note: Nullable(Type.String()) });

/** A request as both sides see it. */
export const SharingRequest = Type.Object({
  id: Type.String(),
  resource: Type.String(),
  resourceName: Type.String(),
  providerOrg: Type.String(),
  consumerOrg: Type.String(),
  consumerSystem: Nullable(Type.String()),
  purpose: Type.String(),
  legalBasis: Type.String(),
  fields: Type.Array(Type.String()),
  expectedCallsPerDay: Type.Integer(),
  requestedUntil: Type.String(),
  status: Type.String(),
  submittedAt: Type.String(),
  dueAt: Type.String(),
  workingDaysLeft: Nullable(Type.Integer()),
  overdue: Type.Boolean(),
  decidedAt: Nullable(Type.String()),
  approvedFields: Nullable(Type.Array(Type.String())),
  approvedUntil: Nullable(Type.String()),
  rateLimitPerMinute: Nullable(Type.Integer()),
  reason: Nullable(Type.String()),
  channelId: Nullable(Type.String()),
  steps: Type.Optional(Type.Array(RequestStep)),
});
export type SharingRequest = Static<typeof SharingRequest>;

/** A channel: what a consumer department may call. */
export const Channel = Type.Object({
  id: Type.String(),
  resource: Type.String(),
  providerOrg: Type.String(),
  consumerOrg: Type.String(),
  consumerSystem: Nullable(Type.String()),
  fields: Type.Array(Type.String()),
  purpose: Type.String(),
  basis: Type.String(),
  requestId: Nullable(Type.String()),
  rateLimitPerMinute: Type.Integer(),
  validFrom: Type.String(),
  validUntil: Type.String(),
  status: Type.String(),
  live: Type.Boolean(),
  revokedAt: Nullable(Type.String()),
  revokeReason: Nullable(Type.String()),
});
export type Channel = Static<typeof Channel>;

/** What a department may do with a resource, and why. */
export const ResourceAccess = Type.Object({
  resource: Type.String(),
  name: Type.String(),
  providerOrg: Type.String(),
  sharingType: Type.String(),
  sharingCondition: Nullable(Type.String()),
  sharingConditionEn: Nullable(Type.String()),
  legalBasis: Nullable(Type.String()),
  fields: Type.Array(Type.Object({ name: Type.String(), labelZh: Type.String(), labelEn: Type.String(), type: Type.String(), sensitivity: Type.Integer(), deprecated: Type.Boolean() })),
  channels: Type.Array(Channel),
  openRequests: Type.Array(Type.String()),
  howToGetAccess: Type.String(),
});

/** One logged call. */
export const Call = Type.Object({
  id: Type.String(),
  receivedAt: Type.String(),
  authorisedAt: Nullable(Type.String()),
  dataReadyAt: Nullable(Type.String()),
  respondedAt: Type.String(),
  channelId: Nullable(Type.String()),
  consumerOrg: Nullable(Type.String()),
  consumerSystem: Nullable(Type.String()),
  providerOrg: Nullable(Type.String()),
  resource: Nullable(Type.String()),
  operation: Type.String(),
  fields: Type.Array(Type.String()),
  purpose: Nullable(Type.String()),
  caseId: Nullable(Type.String()),
  endUser: Nullable(Type.String()),
  recordCount: Type.Integer(),
  outcome: Type.String(),
  statusCode: Type.Integer(),
  /** Why the call was refused or failed, in the reader's language where it has a code. */
  reason: Nullable(Type.String()),
  /** The reason's message code (`xc.notGranted`, …), for clients that word it themselves. */
  reasonCode: Nullable(Type.String()),
  requestHash: Type.String(),
  responseHash: Nullable(Type.String()),
});
export type Call = Static<typeof Call>;

/** Exchange statistics for operators (all) and departments (their own). */
export const ExchangeStats = Type.Object({
  since: Type.String(),
  channels: Type.Object({ live: Type.Integer(), total: Type.Integer() }),
  calls: Type.Integer(),
  ok: Type.Integer(),
  notFound: Type.Integer(),
  refused: Type.Integer(),
  errors: Type.Integer(),
  records: Type.Integer(),
  latencyMs: Type.Object({ p50: Nullable(Type.Number()), p95: Nullable(Type.Number()), p99: Nullable(Type.Number()) }),
  byDay: Type.Array(Type.Object({ day: Type.String(), calls: Type.Integer(), refused: Type.Integer(), errors: Type.Integer() })),
  byChannel: Type.Array(Type.Object({ channelId: Type.String(), resource: Type.String(), consumerOrg: Type.String(), calls: Type.Integer(), p95: Nullable(Type.Number()) })),
  byDepartment: Type.Array(Type.Object({ org: Type.String(), role: Type.String(), calls: Type.Integer() })),
  overdueRequests: Type.Integer(),
  pendingRequests: Type.Integer(),
});
export type ExchangeStats = Static<typeof ExchangeStats>;

const Names = Nullable(Type.Object({ zh: Type.String(), en: Type.String() }));

/** One use of a citizen's data, as the citizen sees it (codes, and names a citizen can read). */
export const DataUse = Type.Object({
  callId: Type.String(),
  at: Type.String(),
  department: Nullable(Type.String()),
  departmentName: Names,
  system: Nullable(Type.String()),
  provider: Nullable(Type.String()),
  providerName: Names,
  resource: Nullable(Type.String()),
  resourceName: Names,
  fields: Type.Array(Type.String()),
  fieldLabels: Type.Array(Type.Object({ name: Type.String(), zh: Type.String(), en: Type.String() })),
  purpose: Nullable(Type.String()),
  caseId: Nullable(Type.String()),
  outcome: Type.String(),
  reported: Type.Boolean(),
});
export type DataUse = Static<typeof DataUse>;

/** A data-plane answer: the records (granted fields only) and the evidence binding it to the call. */
export const DataAnswer = Type.Object({
  callId: Type.String(),
  requestHash: Type.String({ description: 'SHA-256 of the call as received (consumer, resource, operation, fields, purpose, case, end user, time)' }),
  resource: Type.String(),
  fields: Type.Array(Type.String()),
  records: Type.Array(Type.Object({ key: Type.String(), subject: Nullable(Type.String()), validFrom: Type.String(), values: Type.Record(Type.String(), Type.Unknown()) })),
  next: Nullable(Type.String()),
});

/** What a department may do with a resource (GET /api/exchange/resources/:code/access). */
export type ResourceAccess = Static<typeof ResourceAccess>;
/** A refusal's or withdrawal's body. */
export type ReasonBody = Static<typeof ReasonBody>;

/** A webhook subscription to a channel's resource changes. */
export const Subscription = Type.Object({
  id: Type.String(),
  channelId: Type.String(),
  consumerOrg: Type.String(),
  resource: Type.String(),
  url: Type.String(),
  status: Type.String(),
  cursor: Type.String({ description: 'Where delivery resumes: "<journal seq>.<row>"' }),
  attempts: Type.Integer({ description: 'Failed attempts in a row' }),
  nextAttemptAt: Type.String(),
  /** Why the last attempt failed, in the reader's language where it has a code. */
  lastError: Nullable(Type.String()),
  /** Its message code (`xc.hook.answered`, …). */
  lastErrorCode: Nullable(Type.String()),
  delivered: Type.Integer(),
  createdAt: Type.String(),
});
export type Subscription = Static<typeof Subscription>;

/** A new webhook subscription. */
export const NewSubscriptionBody = Type.Object(
  {
    channelId: Type.String({ minLength: 1, maxLength: 80 }),
    url: Type.String({ minLength: 8, maxLength: 2000 }),
    from: Type.Optional(Type.Union([Type.Literal('now'), Type.Literal('start')])),
  },
  { additionalProperties: false },
);

/** A new webhook subscription's body. */
export type NewSubscriptionBody = Static<typeof NewSubscriptionBody>;

/** One delivery attempt. */
export const Delivery = Type.Object({
  id: Nullable(Type.String({ description: 'The X-Ludao-Delivery header the webhook received' })),
  attemptedAt: Type.String(),
  fromCursor: Type.String(),
  toCursor: Type.String(),
  changes: Type.Integer(),
  statusCode: Nullable(Type.Integer()),
  outcome: Type.String(),
  /** Why the attempt failed, in the reader's language where it has a code. */
  error: Nullable(Type.String()),
  /** Its message code (`xc.hook.answered`, …). */
  errorCode: Nullable(Type.String()),
});
/** One delivery attempt. */
export type Delivery = Static<typeof Delivery>;
