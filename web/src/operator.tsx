// The operator console: the city's data dashboard, the resource catalogue, the batch history, the
// exchange dashboard and the sandbox's oversight.
import { useEffect, useState, type ReactNode } from 'react';
import type { Me } from './api';
import { AREA_INFO } from './areas';
import { BarChart, ColumnChart, type Bar } from './charts';
import { BatchTable, valueLabel } from './dc-batches';
import { dcPaths, resourcePath, useApiGet, type Batch, type Domain, type Figures, type Resource } from './dc-api';
import { ResourcePage } from './dc-resource';
import { useFormat } from './format';
import { useI18n, type MessageKey } from './i18n';
import { Link } from './router';
import { Title } from './title';
import { SandboxOversight } from './sb-oversight';
import { AreaHeader, FigureCard, LoadedSection, LoadState, RefreshButton, TableHead, TabNav } from './ui';
import { ExchangeDashboard } from './xc-dashboard';

/** Where the operator console lives. */
export const OPERATOR_PATH = AREA_INFO.operator.path;

/** A page of the console. */
export type OperatorRoute = { page: 'dashboard' } | { page: 'catalogue' } | { page: 'batches' } | { page: 'exchange' } | { page: 'sandbox' } | { page: 'resource'; code: string };

/**
 * The console page for a path under /operator, or null when there is none. Resource codes use
 * slashes for their dots (`/operator/catalogue/population/person`).
 */
export function operatorRoute(path: string): OperatorRoute | null {
  if (path !== OPERATOR_PATH && !path.startsWith(`${OPERATOR_PATH}/`)) return null;
  let segments: string[];
  try {
    segments = path.slice(OPERATOR_PATH.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
  const [first, ...rest] = segments;
  if (first === undefined) return { page: 'dashboard' };
  if (first === 'catalogue') return rest.length === 0 ? { page: 'catalogue' } : { page: 'resource', code: rest.join('.') };
  if (first === 'batches' && rest.length === 0) return { page: 'batches' };
  if (first === 'exchange' && rest.length === 0) return { page: 'exchange' };
  if (first === 'sandbox' && rest.length === 0) return { page: 'sandbox' };
  return null;
}

/** The operator console at one of its pages (`me` decides what the sandbox page offers). */
export function OperatorConsole({ route, me }: { route: OperatorRoute; me: Me }) {
  switch (route.page) {
    case 'dashboard':
      return (
        <ConsoleFrame tab="dashboard">
          <Dashboard />
        </ConsoleFrame>
      );
    case 'catalogue':
      return (
        <ConsoleFrame tab="catalogue">
          <Catalogue />
        </ConsoleFrame>
      );
    case 'batches':
      return (
        <ConsoleFrame tab="batches">
          <BatchesPage />
        </ConsoleFrame>
      );
    case 'exchange':
      return (
        <ConsoleFrame tab="exchange">
          <ExchangeDashboard />
        </ConsoleFrame>
      );
    case 'sandbox':
      return (
        <ConsoleFrame tab="sandbox">
          <SandboxOversight counts={me.roles.includes('operator')} rotate={me.roles.includes('operator')} />
        </ConsoleFrame>
      );
    case 'resource':
      return (
        <ConsoleFrame tab="catalogue" titled={false}>
          <ResourcePage key={route.code} code={route.code} me={me} />
        </ConsoleFrame>
      );
  }
}

type Tab = 'dashboard' | 'catalogue' | 'batches' | 'exchange' | 'sandbox';

const TABS: readonly { tab: Tab; path: string; label: MessageKey }[] = [
  { tab: 'dashboard', path: OPERATOR_PATH, label: 'area.operator.f3' },
  { tab: 'catalogue', path: `${OPERATOR_PATH}/catalogue`, label: 'area.operator.f1' },
  { tab: 'batches', path: `${OPERATOR_PATH}/batches`, label: 'area.operator.f2' },
  { tab: 'exchange', path: `${OPERATOR_PATH}/exchange`, label: 'xc.ops.tab' },
  { tab: 'sandbox', path: `${OPERATOR_PATH}/sandbox`, label: 'sb.ops.tab' },
];

/** The console's heading and tabs around one of its pages; `titled` false: the page sets the title. */
function ConsoleFrame({ tab, titled = true, children }: { tab: Tab; titled?: boolean; children: ReactNode }) {
  const { t } = useI18n();
  const area = t('area.operator.name');
  const current = TABS.find((x) => x.tab === tab);
  return (
    <div className="page console" data-testid="area-page-operator">
      {titled && current && <Title text={`${t(current.label)} · ${area}`} />}
      <AreaHeader area="operator" />
      <TabNav
        label={t('dc.tabs')}
        testId="dc-tabs"
        current={tab}
        tabs={TABS.map((x) => ({ key: x.tab, path: x.path, label: t(x.label), testId: `dc-tab-${x.tab}` }))}
        planned={[{ label: t('area.operator.f4'), title: t('area.operator.f4d') }]}
      />
      {children}
    </div>
  );
}

const REFRESH_MS = 30_000;

/** The city in figures, records by domain and updates by month. */
function Dashboard() {
  const { lang, t } = useI18n();
  const f = useFormat();
  const figures = useApiGet<Figures>(dcPaths.figures);
  const { reload } = figures;

  // The figures move while departments (or the demo city) load data: refresh now and then.
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);

  const data = figures.data;
  return (
    <>
      <section aria-labelledby="dc-overview" className="section">
        <div className="section-head">
          <h2 id="dc-overview">{t('dc.dash.overview')}</h2>
          <RefreshButton loading={figures.loading} onRefresh={reload} testId="dc-refresh" />
        </div>
        <LoadState loaded={figures} />
        {data && (
          <ul className="figure-cards" data-testid="dc-figures">
            <FigureCard testId="dc-figure-domains" label={t('dc.fig.domains')} value={f.number(data.domains)} />
            <FigureCard
              testId="dc-figure-resources"
              label={t('dc.fig.resources')}
              value={f.number(data.resources)}
              sub={t('dc.fig.baseRegistries', { count: f.number(data.baseRegistries) })}
            />
            <FigureCard testId="dc-figure-fields" label={t('dc.fig.fields')} value={f.number(data.fields)} />
            <FigureCard testId="dc-figure-records" label={t('dc.fig.records')} value={f.number(data.records)} />
            <FigureCard
              testId="dc-figure-updates"
              label={t('dc.fig.updatesThisMonth')}
              value={f.number(data.updatesThisMonth)}
              sub={t('dc.fig.batchesApplied', { count: f.number(data.batchesApplied) })}
            />
            <FigureCard testId="dc-figure-last-update" label={t('dc.fig.lastUpdate')} value={data.lastUpdate ? f.dateTime(data.lastUpdate) : t('dc.fig.never')} small />
          </ul>
        )}
      </section>
      {data && (
        <div className="chart-grid">
          <section className="panel" aria-labelledby="dc-by-domain">
            <h2 id="dc-by-domain">{t('dc.dash.byDomain')}</h2>
            <BarChart
              label={t('dc.dash.byDomain')}
              testId="dc-chart-domains"
              labelWidth={lang === 'en' ? 170 : 110}
              bars={[...data.byDomain]
                .sort((a, b) => b.records - a.records)
                .map((d) => ({ key: d.code, label: lang === 'en' ? d.nameEn : d.name, value: d.records, shown: f.number(d.records) }))}
            />
          </section>
          <section className="panel" aria-labelledby="dc-monthly">
            <h2 id="dc-monthly">{t('dc.dash.monthly')}</h2>
            <MonthlyChart monthly={data.monthly} />
          </section>
        </div>
      )}
    </>
  );
}

const MONTHS_SHOWN = 12;

/** "YYYY-MM" of a month `offset` months after `month`. */
function addMonths(month: string, offset: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1 + offset, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Updates in each of the last twelve months (months without updates shown as zero). */
function MonthlyChart({ monthly }: { monthly: Figures['monthly'] }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const now = new Date();
  const thisMonth = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const latest = monthly.reduce((max, m) => (m.month > max ? m.month : max), thisMonth);
  const byMonth = new Map(monthly.map((m) => [m.month, m.updates]));
  const short = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { month: 'short', timeZone: 'UTC' });
  const bars: Bar[] = Array.from({ length: MONTHS_SHOWN }, (_, i) => {
    const month = addMonths(latest, i - MONTHS_SHOWN + 1);
    const [y, m] = month.split('-').map(Number);
    const updates = byMonth.get(month) ?? 0;
    return { key: month, label: short.format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 1))), value: updates, shown: f.compact(updates) };
  });
  return (
    <>
      <p className="chart-caption">{t('dc.dash.monthlyRange', { from: f.month(addMonths(latest, 1 - MONTHS_SHOWN)), to: f.month(latest) })}</p>
      <ColumnChart bars={bars} label={t('dc.dash.monthly')} testId="dc-chart-monthly" />
    </>
  );
}

const SEARCH_DELAY_MS = 250;

/** The catalogue: search by words (Chinese or English) and filter by domain. */
function Catalogue() {
  const { lang, t } = useI18n();
  const f = useFormat();
  const [initial] = useState(() => new URLSearchParams(window.location.search));
  const [q, setQ] = useState(() => initial.get('q') ?? '');
  const [query, setQuery] = useState(() => (initial.get('q') ?? '').trim());
  const [domain, setDomain] = useState(() => initial.get('domain') ?? '');

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(q.trim()), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [q]);

  // Keep the search in the address, so that going back to the catalogue finds it again.
  useEffect(() => {
    const params = new URLSearchParams();
    if (query) params.set('q', query);
    if (domain) params.set('domain', domain);
    const search = params.toString();
    const url = `${window.location.pathname}${search ? `?${search}` : ''}`;
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, '', url);
  }, [query, domain]);

  const domains = useApiGet<Domain[]>(dcPaths.domains);
  const results = useApiGet<{ total: number; items: Resource[] }>(dcPaths.resources(query, domain));
  const items = results.data?.items;
  const searching = results.loading || q.trim() !== query;

  return (
    <section aria-labelledby="dc-catalogue" className="section">
      <div className="section-head">
        <h2 id="dc-catalogue">{t('area.operator.f1')}</h2>
      </div>
      <div className="toolbar" role="search">
        <label className="field grow">
          <span className="visually-hidden">{t('dc.cat.search')}</span>
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('dc.cat.searchPlaceholder')} maxLength={200} data-testid="dc-search" />
        </label>
        <label className="field inline">
          <span>{t('dc.cat.domain')}</span>
          <select value={domain} onChange={(e) => setDomain(e.target.value)} data-testid="dc-domain-filter">
            <option value="">{t('dc.cat.allDomains')}</option>
            {domains.data?.map((d) => (
              <option key={d.code} value={d.code}>
                {(lang === 'en' ? d.nameEn : d.name) + ` (${f.number(d.resources)})`}
              </option>
            ))}
          </select>
        </label>
      </div>
      <LoadState loaded={results} />
      {items && (
        <>
          <p className="muted count" aria-live="polite" data-testid="dc-catalogue-count">
            {searching ? t('dc.cat.searching') : t('dc.cat.count', { count: f.number(results.data?.total ?? 0) })}
            {results.data && results.data.total > items.length && ` ${t('dc.cat.showing', { count: f.number(items.length) })}`}
          </p>
          {items.length === 0 ? (
            <p className="empty" data-testid="dc-catalogue-empty">
              {t('dc.cat.none')}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="dc-catalogue">
                <TableHead columns={[t('dc.cat.name'), t('dc.cat.domain'), t('dc.cat.provider'), t('dc.meta.sharingType'), t('dc.meta.updateCycle')]} />
                <tbody>
                  {items.map((r) => (
                    <tr key={r.code} data-testid="dc-resource-row">
                      <td>
                        <Link to={resourcePath(r.code)} className="resource-link">
                          {lang === 'en' ? r.nameEn : r.name}
                        </Link>
                        {r.baseRegistry && (
                          <span className="badge registry" data-testid="dc-base-registry">
                            {t('dc.baseRegistry')}
                          </span>
                        )}
                        <div className="code">{r.code}</div>
                      </td>
                      <td>{lang === 'en' ? r.domain.nameEn : r.domain.name}</td>
                      <td>{lang === 'en' ? r.provider.nameEn : r.provider.name}</td>
                      <td>
                        <span className={`pill sharing-${r.sharingType}`}>{valueLabel(lang, 'sharing', r.sharingType)}</span>
                      </td>
                      <td className="nowrap">{valueLabel(lang, 'cycle', r.updateCycle)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** Recent batches across every resource. */
function BatchesPage() {
  const { t } = useI18n();
  const batches = useApiGet<Batch[]>(dcPaths.batches(undefined, 100));
  return (
    <LoadedSection headingId="dc-batches-h" title={t('dc.batches.recent')} loaded={batches} refreshTestId="dc-refresh">
      {(items) => <BatchTable batches={items} showResource testId="dc-batches" />}
    </LoadedSection>
  );
}
