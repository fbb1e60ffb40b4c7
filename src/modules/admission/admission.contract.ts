import { Type, type Static } from 'typebox';

/**
 * Request and response shapes of the admission API (积分入学), shared with web/. No response
 * shape has room for a record's value or a resident ID in clear: handlers see results,
 * points and ranks per application; a parent sees their own, with the child's ID masked.
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const CODE = Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z][a-z0-9_.]*$' });
const DAY = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Labels = Type.Object({ zh: Type.String(), en: Type.String() });
const ParamValue = Type.Union([Type.String({ maxLength: 40 }), Type.Integer()]);

/** The statuses of a round, in order. */
export const ROUND_STATUSES = ['draft', 'open', 'verifying', 'ranked', 'published'] as const;
/** A round's status. */
export type RoundStatus = (typeof ROUND_STATUSES)[number];

/** The tie-breaks a bureau may order: the earlier application, or more points from one template. */
export const TIE_BREAK = Type.String({ pattern: '^(earlier_application|points:[a-z][a-z0-9_.]*)$', description: 'earlier_application, or points:<template>' });

/** One scoring rule: the points a verified match of a template earns, with the parameters the bureau fixes. */
export const ClaimRule = Type.Object(
  {
    template: CODE,
    points: Type.Integer({ minimum: 0, maximum: 1000 }),
    /** A required claim that does not match makes the application ineligible. */
    required: Type.Optional(Type.Boolean()),
    /** Parameters fixed by the bureau (e.g. months and window, the district); the others the parent declares. */
    params: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), ParamValue)),
  },
  { additionalProperties: false },
);
export type ClaimRule = Static<typeof ClaimRule>;

/** A school zone (学区) and its places. */
export const Zone = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' }), name: Type.String({ minLength: 1, maxLength: 100 }), places: Type.Integer({ minimum: 0, maximum: 100_000 }) },
  { additionalProperties: false },
);
export type Zone = Static<typeof Zone>;

/** A round's rules as the bureau sets them: scoring, tie-breaks, zones. */
export const RulesBody = Type.Object(
  {
    claims: Type.Array(ClaimRule, { minItems: 1, maxItems: 20 }),
    tieBreaks: Type.Array(TIE_BREAK, { maxItems: 10, uniqueItems: true }),
    zones: Type.Array(Zone, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type RulesBody = Static<typeof RulesBody>;

/** A new round (year, case type, window); its rules come next. */
export const NewRoundBody = Type.Object(
  {
    caseType: CODE,
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    name: Type.String({ minLength: 2, maxLength: 200 }),
    applyFrom: DAY,
    applyUntil: DAY,
    endsOn: Type.Optional(Type.String({ format: 'date', description: 'When the round ends (consents last until then); defaults to 60 days after the window' })),
  },
  { additionalProperties: false },
);
export type NewRoundBody = Static<typeof NewRoundBody>;

/** A parameter the parent declares for a claim. */
export const DeclaredParam = Type.Object({ name: Type.String(), type: Type.String(), labelZh: Type.String(), labelEn: Type.String() });

/** A claim of a round as shown to bureau and parents: points, what the bureau fixed, what the parent declares. */
export const RoundClaim = Type.Object({
  template: Type.String(),
  name: Labels,
  points: Type.Integer(),
  required: Type.Boolean(),
  fixed: Type.Record(Type.String(), ParamValue),
  declare: Type.Array(DeclaredParam),
});

/** A round. */
export const Round = Type.Object({
  id: Type.String(),
  org: Type.String(),
  caseType: Type.String(),
  year: Type.Integer(),
  name: Type.String(),
  applyFrom: Type.String(),
  applyUntil: Type.String(),
  endsOn: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('open'), Type.Literal('verifying'), Type.Literal('ranked'), Type.Literal('published')]),
  rulesVersion: Type.Integer(),
  verifiedRulesVersion: Nullable(Type.Integer()),
  claims: Type.Array(RoundClaim),
  tieBreaks: Type.Array(Type.String()),
  zones: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), places: Type.Integer() })),
  counts: Type.Object({ submitted: Type.Integer(), withdrawn: Type.Integer(), verified: Type.Integer(), refused: Type.Integer() }),
});
export type Round = Static<typeof Round>;

/** A version of a round's rules. */
export const RulesVersion = Type.Object({ version: Type.Integer(), rules: RulesBody, createdBy: Type.String(), createdAt: Type.String() });
export type RulesVersion = Static<typeof RulesVersion>;

/** What one claim came to. */
export const ClaimOutcome = Type.Object({
  template: Type.String(),
  result: Type.Union([Type.Literal('match'), Type.Literal('no_match'), Type.Literal('unverifiable')]),
  points: Type.Integer(),
});

/** An application as the handler sees it: no names, no resident IDs, no declared values. */
export const Application = Type.Object({
  id: Type.String(),
  zone: Type.String(),
  status: Type.Union([Type.Literal('submitted'), Type.Literal('withdrawn'), Type.Literal('verified'), Type.Literal('refused')]),
  submittedAt: Type.String(),
  verifiedAt: Nullable(Type.String()),
  results: Nullable(Type.Array(ClaimOutcome)),
  refusals: Nullable(Type.Array(Type.Object({ template: Type.String(), reason: Type.String() }))),
  eligible: Nullable(Type.Boolean()),
  points: Nullable(Type.Integer()),
  rank: Nullable(Type.Integer()),
  admitted: Nullable(Type.Boolean()),
});
export type Application = Static<typeof Application>;

/** A parent's application: results, points, rank and outcome once the round is published. */
export const MyApplication = Type.Object({
  id: Type.String(),
  roundId: Type.String(),
  roundName: Type.String(),
  year: Type.Integer(),
  roundStatus: Type.String(),
  zone: Type.String(),
  zoneName: Type.String(),
  child: Type.String({ description: 'Masked: the first 6 and last 2 characters' }),
  status: Type.String(),
  submittedAt: Type.String(),
  published: Type.Boolean(),
  results: Nullable(Type.Array(ClaimOutcome)),
  failed: Nullable(Type.Array(Type.Object({ template: Type.String(), name: Labels, result: Type.String() }))),
  eligible: Nullable(Type.Boolean()),
  points: Nullable(Type.Integer()),
  rank: Nullable(Type.Integer()),
  places: Nullable(Type.Integer()),
  admitted: Nullable(Type.Boolean()),
});
export type MyApplication = Static<typeof MyApplication>;

/** A parent applies: the child, the zone, the facts they declare per template, and consent. */
export const NewApplicationBody = Type.Object(
  {
    roundId: Type.String({ minLength: 1, maxLength: 80 }),
    child: Type.String({ minLength: 18, maxLength: 18, description: 'The child’s resident ID number' }),
    zone: Type.String({ minLength: 1, maxLength: 40 }),
    declared: Type.Record(CODE, Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 40 }))),
    consent: Type.Literal(true, { description: 'The parent consents to the checks the round lists' }),
  },
  { additionalProperties: false },
);
export type NewApplicationBody = Static<typeof NewApplicationBody>;

/** What a batch verification came to. */
export const BatchOutcome = Type.Object({ batchId: Nullable(Type.String()), verified: Type.Integer(), refused: Type.Integer(), claims: Type.Integer(), round: Round });
export type BatchOutcome = Static<typeof BatchOutcome>;

/** The ranking of a round, per zone. */
export const Ranking = Type.Object({
  roundId: Type.String(),
  status: Type.String(),
  zones: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      places: Type.Integer(),
      applicants: Type.Integer(),
      eligible: Type.Integer(),
      admitted: Type.Integer(),
      cutoff: Nullable(Type.Integer({ description: 'Points of the last admitted applicant' })),
      ranking: Type.Array(Type.Object({ rank: Type.Integer(), applicationId: Type.String(), points: Type.Integer(), admitted: Type.Boolean() })),
    }),
  ),
});
export type Ranking = Static<typeof Ranking>;
