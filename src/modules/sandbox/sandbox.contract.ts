import { Type, type Static } from 'typebox';

/**
 * Request and response shapes of the sandbox API (shared with web/ and the services built on
 * it). No response shape has room for a record's value: results are `match`, `no_match` or
 * `unverifiable`, and claims are named by template, never echoed with their parameters.
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const CODE = Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z][a-z0-9_.]*$' });
const CASE_ID = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:/-]*$' });
const RESIDENT_ID = Type.String({ minLength: 18, maxLength: 18, description: 'Resident ID number (GB 11643)' });
const Labels = Type.Object({ zh: Type.String(), en: Type.String() });

/** A template parameter. */
export const TemplateParam = Type.Object({ name: Type.String(), type: Type.String(), labelZh: Type.String(), labelEn: Type.String() });

/** A verification template as anyone signed in may list it. */
export const Template = Type.Object({
  code: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  description: Type.String(),
  providerOrg: Type.String(),
  resources: Type.Array(Type.String()),
  params: Type.Array(TemplateParam),
  declaredAt: Type.String(),
});
export type Template = Static<typeof Template>;

/** A provider department declares a template: a predicate kind on its resources, named. */
export const NewTemplateBody = Type.Object(
  {
    code: CODE,
    kind: Type.String({ minLength: 1, maxLength: 80 }),
    name: Type.String({ minLength: 2, maxLength: 200 }),
    nameEn: Type.String({ minLength: 2, maxLength: 200 }),
    description: Type.String({ minLength: 2, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type NewTemplateBody = Static<typeof NewTemplateBody>;

/** A consuming department declares a case type: purpose, legal basis, whitelist, throttles. */
export const NewCaseTypeBody = Type.Object(
  {
    code: CODE,
    name: Type.String({ minLength: 2, maxLength: 200 }),
    nameEn: Type.String({ minLength: 2, maxLength: 200 }),
    purpose: Type.String({ minLength: 4, maxLength: 500 }),
    legalBasis: Type.String({ minLength: 4, maxLength: 1000 }),
    templates: Type.Array(CODE, { minItems: 1, maxItems: 20, uniqueItems: true }),
    perCasePerDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    perApplicantPerDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    perHandlerPerDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);
export type NewCaseTypeBody = Static<typeof NewCaseTypeBody>;

/** A case type: its owner, purpose, claim whitelist and throttles. */
export const CaseType = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  ownerOrg: Type.String(),
  /** The owning department's names, where the directory knows them (in lists). */
  ownerName: Type.Optional(Nullable(Labels)),
  purpose: Type.String(),
  legalBasis: Type.String(),
  templates: Type.Array(Type.String()),
  perCasePerDay: Type.Integer(),
  perApplicantPerDay: Type.Integer(),
  perHandlerPerDay: Type.Integer(),
});
export type CaseType = Static<typeof CaseType>;

/** A citizen's consent: which case type may check which claims, until when. */
export const NewConsentBody = Type.Object(
  {
    caseType: CODE,
    templates: Type.Array(CODE, { minItems: 1, maxItems: 20, uniqueItems: true }),
    validUntil: Type.String({ format: 'date', description: 'YYYY-MM-DD, at most two years ahead' }),
  },
  { additionalProperties: false },
);
export type NewConsentBody = Static<typeof NewConsentBody>;

/** A consent as its citizen sees it. */
export const Consent = Type.Object({
  id: Type.String(),
  caseType: Type.String(),
  caseTypeName: Labels,
  department: Type.String(),
  departmentName: Nullable(Labels),
  templates: Type.Array(Type.Object({ code: Type.String(), name: Labels })),
  validUntil: Type.String(),
  createdAt: Type.String(),
  withdrawnAt: Nullable(Type.String()),
  status: Type.Union([Type.Literal('live'), Type.Literal('withdrawn'), Type.Literal('expired')]),
});
export type Consent = Static<typeof Consent>;

/** One claim: a template and its parameters. */
export const ClaimBody = Type.Object(
  { template: CODE, params: Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 40 }), Type.Integer()])) },
  { additionalProperties: false },
);
export type ClaimBody = Static<typeof ClaimBody>;

/** One case's claims about its applicant. */
export const CaseClaims = Type.Object(
  { caseId: CASE_ID, subject: RESIDENT_ID, claims: Type.Array(ClaimBody, { minItems: 1, maxItems: 20 }) },
  { additionalProperties: false },
);
export type CaseClaims = Static<typeof CaseClaims>;

/** A verification of one case. */
export const VerifyBody = Type.Object(
  { caseType: CODE, caseId: CASE_ID, subject: RESIDENT_ID, claims: Type.Array(ClaimBody, { minItems: 1, maxItems: 20 }) },
  { additionalProperties: false },
);
export type VerifyBody = Static<typeof VerifyBody>;

/** A batch: many cases of one case type in one call (set-based: one statement per template). */
export const VerifyBatchBody = Type.Object({ caseType: CODE, items: Type.Array(CaseClaims, { minItems: 1, maxItems: 100_000 }) }, { additionalProperties: false });
export type VerifyBatchBody = Static<typeof VerifyBatchBody>;

/** What one claim came to. */
export const ClaimResult = Type.Object({ template: Type.String(), result: Type.Union([Type.Literal('match'), Type.Literal('no_match'), Type.Literal('unverifiable')]) });

/** The signed receipt of one case's results. */
export const Receipt = Type.Object({
  v: Type.Literal(1),
  id: Type.String(),
  issuer: Type.Literal('ludao'),
  keyId: Type.String(),
  issuedAt: Type.String(),
  caseType: Type.String(),
  caseId: Type.String(),
  consumerOrg: Type.String(),
  nonce: Type.String(),
  claims: Type.Array(Type.Object({ template: Type.String(), digest: Type.String(), result: Type.String() })),
  signature: Type.String(),
});

/** The answer to one case. */
export const Verification = Type.Object({ caseType: Type.String(), caseId: Type.String(), results: Type.Array(ClaimResult), receipt: Receipt });
export type Verification = Static<typeof Verification>;
/** A case's answer as the sandbox stored it, with the batch it was answered in (a service recovering its own step reads these). */
export type StoredVerification = Verification & { batchId: string };

/** Refusal reasons: each depends only on the request and its history, never on a record. */
export const REFUSALS = ['wrong_department', 'not_whitelisted', 'no_consent', 'repeated', 'case_subject_mismatch', 'throttled', 'sweep'] as const;
export type Refusal = (typeof REFUSALS)[number];

/** One case of a batch: answered (results and receipt id) or refused (reasons per claim). */
export const BatchItem = Type.Object({
  caseId: Type.String(),
  status: Type.Union([Type.Literal('answered'), Type.Literal('refused')]),
  results: Type.Optional(Type.Array(ClaimResult)),
  receiptId: Type.Optional(Type.String()),
  refusals: Type.Optional(Type.Array(Type.Object({ claim: Type.Integer(), template: Type.String(), reason: Type.String() }))),
});

/** The answer to a batch. */
export const BatchVerification = Type.Object({ batchId: Type.String(), caseType: Type.String(), answered: Type.Integer(), refused: Type.Integer(), claims: Type.Integer(), items: Type.Array(BatchItem) });
export type BatchVerification = Static<typeof BatchVerification>;

/** A verification about me, as the citizen sees it. */
export const MyVerification = Type.Object({
  id: Type.String(),
  at: Type.String(),
  department: Type.String(),
  departmentName: Nullable(Labels),
  caseType: Type.String(),
  caseTypeName: Nullable(Labels),
  caseId: Type.String(),
  template: Type.String(),
  templateName: Nullable(Labels),
  outcome: Type.String(),
  result: Nullable(Type.String()),
  refusal: Nullable(Type.String()),
});
export type MyVerification = Static<typeof MyVerification>;

/** One claim's attempt as its department (or an overseer) lists it: answered or refused, never a value. */
export const VerificationAttempt = Type.Object({
  id: Type.String(),
  at: Type.String(),
  caseType: Type.String(),
  caseId: Type.String(),
  template: Type.String(),
  department: Type.String(),
  handler: Type.String(),
  outcome: Type.String(),
  result: Nullable(Type.String()),
  refusal: Nullable(Type.String()),
  receiptId: Nullable(Type.String()),
});
export type VerificationAttempt = Static<typeof VerificationAttempt>;

/** A planning aggregate request. */
export const AggregateBody = Type.Object(
  {
    caseType: CODE,
    template: CODE,
    params: Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 40 }), Type.Integer()])),
    groupBy: Type.Union([Type.Literal('street'), Type.Literal('district')]),
  },
  { additionalProperties: false },
);
export type AggregateBody = Static<typeof AggregateBody>;

/** Counts after disclosure control: ≤ 7 withheld (null), others rounded to 5. */
export const Aggregate = Type.Object({
  caseType: Type.String(),
  template: Type.String(),
  groupBy: Type.String(),
  rule: Type.String(),
  groups: Type.Array(Type.Object({ group: Nullable(Type.String()), applicants: Nullable(Type.Integer()), matched: Nullable(Type.Integer()) })),
});
export type Aggregate = Static<typeof Aggregate>;

/** A public key receipts are checked against; a retired one signs no more. */
export const ReceiptKey = Type.Object({ keyId: Type.String(), algorithm: Type.String(), publicKeyPem: Type.String(), createdAt: Type.String(), retiredAt: Nullable(Type.String()) });
export type ReceiptKey = Static<typeof ReceiptKey>;

/** The public keys receipts are checked against. */
export const ReceiptKeys = Type.Object({
  algorithm: Type.String(),
  keys: Type.Array(ReceiptKey),
});
export type ReceiptKeys = Static<typeof ReceiptKeys>;
