// The sandbox API (/api/sandbox) as the citizen portal, the case handler's pages and the operator
// console use it: shapes, paths, names of templates and case types, and the refusal's reasons.
import { useCallback, useMemo } from 'react';
import type { ApiError } from './api';
import { useApiGet } from './dc-api';
import type { Lang } from './i18n';
import { nameIn } from './xc-api';
import type { CaseType, Template } from '../../src/modules/sandbox';

// The shapes are the server's own contract (type-only imports: nothing of the server is bundled).
export type {
  Aggregate,
  AggregateBody,
  CaseType,
  Consent,
  MyVerification,
  NewConsentBody,
  Receipt,
  ReceiptKey,
  ReceiptKeys,
  Template,
  Verification,
  VerificationAttempt,
  VerifyBody,
} from '../../src/modules/sandbox';

/** The problem type of every refused verification (the server's `REFUSED_PROBLEM_TYPE`). */
export const REFUSED_PROBLEM_TYPE = 'urn:ludao:problem:verification-refused';

const enc = encodeURIComponent;

/** Paths of the sandbox API. */
export const sbPaths = {
  templates: '/api/sandbox/templates',
  caseTypes: '/api/sandbox/case-types',
  consents: '/api/sandbox/consents',
  withdrawConsent: (id: string) => `/api/sandbox/consents/${enc(id)}/withdraw`,
  myVerifications: '/api/sandbox/my-verifications',
  verify: '/api/sandbox/verifications',
  verifications: (filter: { caseType?: string; caseId?: string; limit?: number } = {}) => {
    const params = new URLSearchParams();
    if (filter.caseType) params.set('caseType', filter.caseType);
    if (filter.caseId) params.set('caseId', filter.caseId);
    params.set('limit', String(filter.limit ?? 100));
    return `/api/sandbox/verifications?${params.toString()}`;
  },
  receipt: (id: string) => `/api/sandbox/receipts/${enc(id)}`,
  receiptKeys: '/api/sandbox/receipt-keys',
  aggregates: '/api/sandbox/aggregates',
};

/** Templates and case types by code, in the reader's language (falling back to the code). */
export interface SandboxNames {
  templates: readonly Template[];
  caseTypes: readonly CaseType[];
  template: (code: string) => Template | undefined;
  caseType: (code: string) => CaseType | undefined;
  templateName: (code: string) => string;
  caseTypeName: (code: string) => string;
  /** Whether both lists are loaded. */
  ready: boolean;
}

/** Loads the templates and case types (anyone signed in may list them) and names them. */
export function useSandboxNames(lang: Lang): SandboxNames {
  const templates = useApiGet<Template[]>(sbPaths.templates);
  const caseTypes = useApiGet<CaseType[]>(sbPaths.caseTypes);
  const byTemplate = useMemo(() => new Map((templates.data ?? []).map((t) => [t.code, t])), [templates.data]);
  const byCaseType = useMemo(() => new Map((caseTypes.data ?? []).map((c) => [c.code, c])), [caseTypes.data]);
  const pick = useCallback((named: { name: string; nameEn: string } | undefined, code: string) => (named ? nameIn(lang, named) : code), [lang]);
  return useMemo(
    () => ({
      templates: templates.data ?? [],
      caseTypes: caseTypes.data ?? [],
      template: (code) => byTemplate.get(code),
      caseType: (code) => byCaseType.get(code),
      templateName: (code) => pick(byTemplate.get(code), code),
      caseTypeName: (code) => pick(byCaseType.get(code), code),
      ready: templates.data !== undefined && caseTypes.data !== undefined,
    }),
    [templates.data, caseTypes.data, byTemplate, byCaseType, pick],
  );
}

/** A name the server gives in both languages, in the reader's. */
export function labelIn(lang: Lang, label: { zh: string; en: string } | null | undefined, fallback: string): string {
  return label ? (lang === 'en' ? label.en : label.zh) : fallback;
}

/** One claim's reason for a refusal, as the refusal problem lists it in `errors`. */
export interface ClaimRefusal {
  /** The claim's index in the request. */
  claim: number;
  reason: string;
}

/**
 * The reasons of a refused verification, per claim (`errors[].field` is `/body/claims/<i>`), or
 * an empty list when the error is something else.
 */
export function refusalReasons(error: ApiError | null): ClaimRefusal[] {
  const problem = error?.problem as { type?: string; errors?: { field?: string; message?: string }[] } | null | undefined;
  if (!problem || problem.type !== REFUSED_PROBLEM_TYPE || !Array.isArray(problem.errors)) return [];
  return problem.errors.flatMap((e) => {
    const index = /\/claims\/(\d+)$/.exec(e.field ?? '');
    return index && e.message ? [{ claim: Number(index[1]), reason: e.message }] : [];
  });
}
