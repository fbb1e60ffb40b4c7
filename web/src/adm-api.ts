// The admission API (/api/admission, 积分入学) as the bureau's, the handler's and the parents'
// pages use it: shapes (the server's own contract), paths, and a claim's fixed parameters in words.
import type { Round } from '../../src/modules/admission';

export type { Application, BatchOutcome, MyApplication, NewApplicationBody, NewRoundBody, Ranking, Round, RulesBody, RulesVersion } from '../../src/modules/admission';

const enc = encodeURIComponent;

/** Paths of the admission API. */
export const admPaths = {
  rounds: '/api/admission/rounds',
  round: (id: string) => `/api/admission/rounds/${enc(id)}`,
  rules: (id: string) => `/api/admission/rounds/${enc(id)}/rules`,
  open: (id: string) => `/api/admission/rounds/${enc(id)}/open`,
  applications: (id: string) => `/api/admission/rounds/${enc(id)}/applications`,
  verifyBatch: (id: string) => `/api/admission/rounds/${enc(id)}/verify-batch`,
  rank: (id: string) => `/api/admission/rounds/${enc(id)}/rank`,
  ranking: (id: string) => `/api/admission/rounds/${enc(id)}/ranking`,
  publish: (id: string) => `/api/admission/rounds/${enc(id)}/publish`,
  openRounds: '/api/admission/open-rounds',
  apply: '/api/admission/applications',
  mine: '/api/admission/my-applications',
  withdraw: (id: string) => `/api/admission/my-applications/${enc(id)}/withdraw`,
};

/** A claim of a round. */
type RoundClaim = Round['claims'][number];

/** The parameters the bureau fixed for a claim, as `name = value` pairs (empty when none). */
export function fixedText(claim: RoundClaim): string {
  return Object.entries(claim.fixed)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
}
