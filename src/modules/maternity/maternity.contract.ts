import { Type, type Static } from 'typebox';

/**
 * Request and response shapes of the maternity quick claim (生育险快速申领), shared with web/.
 * A claim is presented with its declared identifiers masked and each check's result by
 * template: never a value from a record.
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Labels = Type.Object({ zh: Type.String(), en: Type.String() });
const RESIDENT_ID = Type.String({ minLength: 15, maxLength: 20, description: 'Resident ID number (GB 11643)' });
const ACCOUNT = Type.String({ minLength: 12, maxLength: 40, description: 'Social-security card bank account number (digits; spaces allowed)' });

/** The city's allowance rules, as configured. */
export const Rules = Type.Object({
  version: Type.Integer(),
  wageYear: Type.Integer({ description: 'The year whose average monthly wage is used' }),
  avgMonthlyWageFen: Type.Integer({ minimum: 1, description: 'The city’s average monthly wage of that year, in fen' }),
  baseDays: Type.Integer({ minimum: 1, description: 'Maternity leave days of a birth' }),
  difficultBirthDays: Type.Integer({ minimum: 0, description: 'Extra days for a difficult birth' }),
  extraBabyDays: Type.Integer({ minimum: 0, description: 'Extra days for each further baby of a multiple birth' }),
  minMonths: Type.Integer({ minimum: 1, maximum: 120, description: 'Months insured required …' }),
  windowMonths: Type.Integer({ minimum: 1, maximum: 120, description: '… within this many months before the month of birth' }),
  claimWithinDays: Type.Integer({ minimum: 1, maximum: 3650, description: 'A claim is filed within this many days of the birth' }),
  formula: Type.String({ description: 'The formula, in words' }),
});
export type Rules = Static<typeof Rules>;

/** A new version of the rules (the bureau configures them). */
export const RulesBody = Type.Object(
  {
    wageYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
    avgMonthlyWageFen: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    baseDays: Type.Integer({ minimum: 1, maximum: 1000 }),
    difficultBirthDays: Type.Integer({ minimum: 0, maximum: 1000 }),
    extraBabyDays: Type.Integer({ minimum: 0, maximum: 1000 }),
    minMonths: Type.Integer({ minimum: 1, maximum: 120 }),
    windowMonths: Type.Integer({ minimum: 1, maximum: 120 }),
    claimWithinDays: Type.Integer({ minimum: 1, maximum: 3650 }),
  },
  { additionalProperties: false },
);
export type RulesBody = Static<typeof RulesBody>;

/** A parent's claim: what they declare, and their consent to exactly the listed checks. */
export const NewClaimBody = Type.Object(
  {
    spouse: RESIDENT_ID,
    child: RESIDENT_ID,
    account: ACCOUNT,
    difficultBirth: Type.Boolean(),
    babies: Type.Integer({ minimum: 1, maximum: 9, description: 'Babies born at this birth' }),
    consent: Type.Literal(true, { description: 'The parent consents to the checks GET /api/maternity/rules lists' }),
  },
  { additionalProperties: false },
);
export type NewClaimBody = Static<typeof NewClaimBody>;

/** A corrected account for a claim whose account check failed. */
export const AccountBody = Type.Object({ account: ACCOUNT }, { additionalProperties: false });
export type AccountBody = Static<typeof AccountBody>;

/** A handler's decision on a claim in review. */
export const DecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    note: Type.String({ minLength: 2, maxLength: 1000, description: 'For an approval, the paper proof checked; for a rejection, the reason' }),
  },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;

/** One check of a claim. */
export const Check = Type.Object({
  template: Type.String(),
  name: Labels,
  result: Type.Union([Type.Literal('match'), Type.Literal('no_match'), Type.Literal('unverifiable'), Type.Literal('refused')]),
});

/** How the allowance was (or will be) computed: configuration and what the parent declared. */
export const Allowance = Type.Object({
  ruleVersion: Type.Integer(),
  wageYear: Type.Integer(),
  avgMonthlyWageFen: Type.Integer(),
  leaveDays: Type.Integer(),
  amountFen: Type.Integer(),
});

/** A claim as its parent and the bureau's handlers see it. */
export const Claim = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('verifying'), Type.Literal('approved'), Type.Literal('pending_review'), Type.Literal('rejected')]),
  applicant: Type.String({ description: 'The applicant’s name as signed in' }),
  applicantId: Type.String({ description: 'Masked' }),
  spouse: Type.String({ description: 'Masked' }),
  child: Type.String({ description: 'Masked' }),
  account: Type.String({ description: 'Masked: the last four digits' }),
  difficultBirth: Type.Boolean(),
  babies: Type.Integer(),
  checks: Type.Array(Check),
  failed: Type.Array(Type.String({ description: 'Templates of the checks that did not match' })),
  allowance: Allowance,
  amountFen: Nullable(Type.Integer({ description: 'The amount approved, in fen' })),
  canCorrectAccount: Type.Boolean(),
  submittedAt: Type.String(),
  decidedAt: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  note: Nullable(Type.String()),
});
export type Claim = Static<typeof Claim>;

/** The checks a claim makes, shown before the parent consents. */
export const ClaimChecks = Type.Object({ caseType: Type.String(), department: Type.String(), purpose: Type.String(), checks: Type.Array(Type.Object({ template: Type.String(), name: Labels })), rules: Rules });
export type ClaimChecks = Static<typeof ClaimChecks>;
