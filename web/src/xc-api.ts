// The exchange API (/api/exchange and /api/me/data-uses) as the department workbench, the
// operator console and the citizen portal use it: shapes, paths, names of departments and
// resources, and a hook for actions that may be refused.
import { useCallback, useMemo, useState } from 'react';
import { ApiError, type Me } from './api';
import { dcPaths, useApiGet, type FieldSpec, type Named, type Resource } from './dc-api';
import type { Lang } from './i18n';
import type { Subscription } from '../../src/modules/exchange';

// The shapes are the server's own contract (type-only imports: nothing of the server is bundled).
export type {
  ApproveBody,
  Call,
  Channel,
  DataUse,
  Delivery,
  ExchangeStats,
  NewChannelBody,
  NewRequestBody,
  NewSubscriptionBody,
  ResourceAccess,
  SharingRequest,
  Subscription,
} from '../../src/modules/exchange';
/** What POST /api/exchange/subscriptions answers: the signing secret is in this answer only. */
export interface CreatedSubscription {
  subscription: Subscription;
  secret: string;
}

/** Which side of a request a department is on. */
export type Side = 'consumer' | 'provider';

/** The statuses a request can have, in the order the filters list them. */
export const REQUEST_STATUSES = ['pending', 'approved', 'refused', 'withdrawn'] as const;

/** The cursor of a resource's change journal that means "from the start". */
export const JOURNAL_START = '0.0';

const enc = encodeURIComponent;

/** Paths of the exchange API. */
export const xcPaths = {
  requests: (filter: { side?: Side; status?: string; limit?: number }) => {
    const params = new URLSearchParams();
    if (filter.side) params.set('side', filter.side);
    if (filter.status) params.set('status', filter.status);
    params.set('limit', String(filter.limit ?? 200));
    return `/api/exchange/requests?${params.toString()}`;
  },
  newRequest: '/api/exchange/requests',
  request: (id: string) => `/api/exchange/requests/${enc(id)}`,
  approve: (id: string) => `/api/exchange/requests/${enc(id)}/approve`,
  refuse: (id: string) => `/api/exchange/requests/${enc(id)}/refuse`,
  withdraw: (id: string) => `/api/exchange/requests/${enc(id)}/withdraw`,
  access: (code: string) => `/api/exchange/resources/${enc(code)}/access`,
  channels: '/api/exchange/channels',
  revoke: (id: string) => `/api/exchange/channels/${enc(id)}/revoke`,
  subscriptions: '/api/exchange/subscriptions',
  deliveries: (id: string) => `/api/exchange/subscriptions/${enc(id)}/deliveries`,
  replay: (id: string) => `/api/exchange/subscriptions/${enc(id)}/replay`,
  cancelSubscription: (id: string) => `/api/exchange/subscriptions/${enc(id)}/cancel`,
  calls: (limit = 50) => `/api/exchange/calls?limit=${limit}`,
  stats: (days: number) => `/api/exchange/stats?days=${days}`,
  dataUses: '/api/me/data-uses',
  reportUse: (callId: string) => `/api/me/data-uses/${enc(callId)}/report`,
  orgs: '/api/orgs',
};

/**
 * Whether an organisation is the caller's or one of its units ('xm.hrss.si' is within 'xm.hrss'),
 * the rule the server applies to decide who sees and decides what.
 *
 * @example
 * within('xm.hrss.si', 'xm.hrss'); // true
 */
export function within(org: string | null | undefined, callerOrg: string | null | undefined): boolean {
  return !!org && !!callerOrg && (org === callerOrg || org.startsWith(`${callerOrg}.`));
}

/** Whether the user takes part in data sharing for a department (dept_admin or dept_staff). */
export function sharesData(me: Me): boolean {
  return me.org !== null && me.roles.some((r) => r === 'dept_admin' || r === 'dept_staff');
}

/** Whether the user may decide requests to the department and revoke what it provides. */
export function reviewsRequests(me: Me): boolean {
  return me.roles.includes('dept_admin');
}

/**
 * A day in China time as YYYY-MM-DD, `offsetDays` from today: the server counts validity and
 * "after today" in China days.
 *
 * @example
 * chinaDay(1); // tomorrow, e.g. '2026-05-13'
 */
export function chinaDay(offsetDays = 0, now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The name of a thing in the reader's language. */
export function nameIn(lang: Lang, named: Pick<Named, 'name' | 'nameEn'>): string {
  return lang === 'en' ? named.nameEn : named.name;
}

/**
 * A lookup of department names by code (GET /api/orgs), falling back to the code itself while
 * the list loads or when the user may not read it. The exchange API speaks in codes only.
 */
export function useOrgNames(lang: Lang, enabled = true): (code: string | null | undefined) => string {
  const orgs = useApiGet<Named[]>(enabled ? xcPaths.orgs : null);
  const byCode = useMemo(() => new Map((orgs.data ?? []).map((o) => [o.code, o])), [orgs.data]);
  return useCallback(
    (code) => {
      if (!code) return '—';
      const org = byCode.get(code);
      return org ? nameIn(lang, org) : code;
    },
    [byCode, lang],
  );
}

/** Names of resources and their data items, in the reader's language. */
export interface CatalogueNames {
  /** A resource's name; `fallback` (say, a request's own Chinese name) or the code when unknown. */
  resource: (code: string | null | undefined, fallback?: string) => string;
  /** A data item's label, or its name when unknown. */
  field: (code: string, field: string) => string;
  /** A data item's specification, when the catalogue has it. */
  fieldSpec: (code: string, field: string) => FieldSpec | undefined;
}

// The catalogue holds a few dozen resources; one page of the search names them all.
const CATALOGUE_PAGE = 200;

/**
 * Names of resources and data items from the catalogue. Requests, channels and calls carry
 * only codes (requests add a Chinese name).
 */
export function useCatalogueNames(lang: Lang): CatalogueNames {
  const catalogue = useApiGet<{ total: number; items: Resource[] }>(dcPaths.resources('', '', CATALOGUE_PAGE));
  const byCode = useMemo(() => new Map((catalogue.data?.items ?? []).map((r) => [r.code, r])), [catalogue.data]);
  return useMemo(() => {
    const fieldSpec = (code: string, field: string) => byCode.get(code)?.fields.find((f) => f.name === field);
    return {
      resource: (code, fallback) => {
        if (!code) return '—';
        const resource = byCode.get(code);
        return resource ? nameIn(lang, resource) : (fallback ?? code);
      },
      field: (code, field) => {
        const spec = fieldSpec(code, field);
        return spec ? (lang === 'en' ? spec.labelEn : spec.labelZh) : field;
      },
      fieldSpec,
    };
  }, [byCode, lang]);
}

/** An action under way or refused. */
export interface Action {
  busy: boolean;
  error: ApiError | null;
  /** Runs the work once at a time; resolves with its result, or undefined when it failed. */
  run: <T>(work: () => Promise<T>) => Promise<T | undefined>;
  /** Forgets the last error. */
  clear: () => void;
}

/**
 * Runs a POST (or any call) and keeps whether it is under way and, when it fails, the server's
 * problem (its `detail` is the error's message).
 *
 * @example
 * const approve = useAction();
 * const updated = await approve.run(() => api<SharingRequest>('POST', xcPaths.approve(id), body));
 */
export function useAction(): Action {
  const [state, setState] = useState<{ busy: boolean; error: ApiError | null }>({ busy: false, error: null });
  const run = useCallback(async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    setState({ busy: true, error: null });
    try {
      const out = await work();
      setState({ busy: false, error: null });
      return out;
    } catch (error) {
      setState({ busy: false, error: error instanceof ApiError ? error : new ApiError(String(error), 0) });
      return undefined;
    }
  }, []);
  const clear = useCallback(() => setState((s) => (s.error ? { ...s, error: null } : s)), []);
  return { ...state, run, clear };
}
