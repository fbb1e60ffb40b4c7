// The operator console's exchange dashboard: channels, calls, refusals and latency; calls per day,
// the busiest channels, calls by department, and requests past their deadline.
import { ColumnChart, type Bar } from './charts';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n } from './i18n';
import { FigureCard, ListTable, LoadState, RefreshButton, TableHead } from './ui';
import { chinaDay, useCatalogueNames, useOrgNames, xcPaths, type ExchangeStats, type SharingRequest } from './xc-api';

/** Days the dashboard covers (one column each in the chart). */
const DAYS = 14;
const TOP_CHANNELS = 10;

/** The dashboard. */
export function ExchangeDashboard() {
  const { lang, t } = useI18n();
  const f = useFormat();
  const stats = useApiGet<ExchangeStats>(xcPaths.stats(DAYS));
  const pending = useApiGet<SharingRequest[]>(xcPaths.requests({ status: 'pending', limit: 500 }));
  const orgName = useOrgNames(lang);
  const names = useCatalogueNames(lang);
  const s = stats.data;

  function refresh(): void {
    stats.reload();
    pending.reload();
  }

  return (
    <>
      <section aria-labelledby="xc-ops-overview" className="section">
        <div className="section-head">
          <h2 id="xc-ops-overview">{t('xc.ops.overview', { days: DAYS })}</h2>
          <RefreshButton loading={stats.loading} disabled={stats.loading || pending.loading} onRefresh={refresh} testId="xc-ops-refresh" />
        </div>
        <LoadState loaded={stats} />
        {s && (
          <ul className="figure-cards" data-testid="xc-figures">
            <FigureCard testId="xc-figure-live" label={t('xc.ops.live')} value={f.number(s.channels.live)} sub={t('xc.ops.totalChannels', { count: f.number(s.channels.total) })} />
            <FigureCard testId="xc-figure-calls" label={t('xc.ops.calls')} value={f.number(s.calls)} sub={t('xc.ops.callsSub', { ok: f.number(s.ok), notFound: f.number(s.notFound) })} />
            <FigureCard testId="xc-figure-refused" label={t('xc.ops.refused')} value={f.number(s.refused)} sub={s.calls > 0 ? t('xc.ops.ofCalls', { rate: f.percent(s.refused / s.calls) }) : undefined} />
            <FigureCard testId="xc-figure-errors" label={t('xc.ops.errors')} value={f.number(s.errors)} />
            <FigureCard testId="xc-figure-p50" label={t('xc.ops.latency', { p: 'P50' })} value={f.ms(s.latencyMs.p50)} small />
            <FigureCard testId="xc-figure-p95" label={t('xc.ops.latency', { p: 'P95' })} value={f.ms(s.latencyMs.p95)} small />
            <FigureCard testId="xc-figure-p99" label={t('xc.ops.latency', { p: 'P99' })} value={f.ms(s.latencyMs.p99)} small />
            <FigureCard
              testId="xc-figure-pending"
              label={t('xc.ops.pending')}
              value={f.number(s.pendingRequests)}
              sub={t('xc.ops.overdueCount', { count: f.number(s.overdueRequests) })}
            />
          </ul>
        )}
      </section>
      {s && (
        <div className="chart-grid">
          <section className="panel" aria-labelledby="xc-ops-daily">
            <h2 id="xc-ops-daily">{t('xc.ops.daily')}</h2>
            <DailyChart byDay={s.byDay} />
          </section>
          <section className="panel" aria-labelledby="xc-ops-departments">
            <h2 id="xc-ops-departments">{t('xc.ops.byDepartment')}</h2>
            <DepartmentTable byDepartment={s.byDepartment} orgName={orgName} />
          </section>
        </div>
      )}
      {s && (
        <section className="section" aria-labelledby="xc-ops-channels">
          <h2 id="xc-ops-channels">{t('xc.ops.topChannels', { count: TOP_CHANNELS })}</h2>
          <ListTable
            rows={s.byChannel.slice(0, TOP_CHANNELS)}
            columns={[t('xc.col.channel'), t('xc.col.resource'), t('xc.col.consumer'), { label: t('xc.ops.calls'), num: true }, { label: t('xc.ops.latency', { p: 'P95' }), num: true }]}
            empty={t('xc.callsNone')}
            testId="xc-ops-channels"
          >
            {(c) => (
              <tr key={c.channelId} data-testid="xc-ops-channel-row">
                <td className="code">{c.channelId}</td>
                <td>{names.resource(c.resource)}</td>
                <td>{orgName(c.consumerOrg)}</td>
                <td className="num">{f.number(c.calls)}</td>
                <td className="num nowrap">{f.ms(c.p95)}</td>
              </tr>
            )}
          </ListTable>
        </section>
      )}
      <section className="section" aria-labelledby="xc-ops-overdue">
        <h2 id="xc-ops-overdue">{t('xc.ops.overdue')}</h2>
        <LoadState loaded={pending} />
        {pending.data && <OverdueTable requests={pending.data.filter((r) => r.overdue)} orgName={orgName} resourceName={names.resource} />}
      </section>
    </>
  );
}

/** Calls on each of the last days (days without calls shown as zero). */
function DailyChart({ byDay }: { byDay: ExchangeStats['byDay'] }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const calls = new Map(byDay.map((d) => [d.day, d]));
  const short = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
  const bars: Bar[] = Array.from({ length: DAYS }, (_, i) => {
    const day = chinaDay(i - DAYS + 1);
    const d = calls.get(day);
    const value = d?.calls ?? 0;
    return { key: day, label: short.format(new Date(`${day}T00:00:00Z`)), value, shown: f.compact(value) };
  });
  const refused = byDay.reduce((n, d) => n + d.refused, 0);
  return (
    <>
      <p className="chart-caption">{t('xc.ops.dailyCaption', { from: f.day(bars[0]?.key), to: f.day(bars[bars.length - 1]?.key), refused: f.number(refused) })}</p>
      <ColumnChart bars={bars} label={t('xc.ops.daily')} testId="xc-chart-daily" />
    </>
  );
}

/** Calls per department, as the one calling and as the one providing. */
function DepartmentTable({ byDepartment, orgName }: { byDepartment: ExchangeStats['byDepartment']; orgName: (code: string) => string }) {
  const { t } = useI18n();
  const f = useFormat();
  const rows = new Map<string, { consumer: number; provider: number }>();
  for (const d of byDepartment) {
    const row = rows.get(d.org) ?? { consumer: 0, provider: 0 };
    if (d.role === 'provider') row.provider += d.calls;
    else row.consumer += d.calls;
    rows.set(d.org, row);
  }
  const sorted = [...rows.entries()].sort((a, b) => b[1].consumer + b[1].provider - (a[1].consumer + a[1].provider));
  const max = Math.max(1, ...sorted.map(([, r]) => Math.max(r.consumer, r.provider)));
  if (sorted.length === 0) {
    return (
      <p className="empty" data-testid="xc-ops-departments">
        {t('xc.callsNone')}
      </p>
    );
  }
  const meter = (n: number) => (
    <span className="meter" aria-hidden="true">
      <span style={{ width: `${(n / max) * 100}%` }} />
    </span>
  );
  return (
    <table className="table compact" data-testid="xc-ops-departments">
      <TableHead columns={[t('xc.col.department'), { label: t('xc.ops.asConsumer'), num: true }, { label: t('xc.ops.asProvider'), num: true }]} />
      <tbody>
        {sorted.map(([org, r]) => (
          <tr key={org} data-testid="xc-ops-department-row">
            <td>{orgName(org)}</td>
            <td className="num nowrap">
              {f.number(r.consumer)} {meter(r.consumer)}
            </td>
            <td className="num nowrap">
              {f.number(r.provider)} {meter(r.provider)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Pending requests past their deadline, the longest overdue first. */
function OverdueTable({ requests, orgName, resourceName }: { requests: SharingRequest[]; orgName: (code: string) => string; resourceName: (code: string, fallback?: string) => string }) {
  const { t } = useI18n();
  const f = useFormat();
  const sorted = [...requests].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return (
    <ListTable
      rows={sorted}
      columns={[t('xc.col.resource'), t('xc.col.consumer'), t('xc.col.provider'), t('xc.col.submitted'), t('xc.col.due')]}
      empty={t('xc.ops.noneOverdue')}
      testId="xc-ops-overdue"
    >
      {(r) => (
        <tr key={r.id} data-testid="xc-ops-overdue-row">
          <td>
            {resourceName(r.resource, r.resourceName)}
            <div className="code">{r.id}</div>
          </td>
          <td>{orgName(r.consumerOrg)}</td>
          <td>{orgName(r.providerOrg)}</td>
          <td className="nowrap">{f.day(r.submittedAt)}</td>
          <td className="nowrap">
            {f.day(r.dueAt)} <span className="badge overdue">{t('xc.overdue')}</span>
          </td>
        </tr>
      )}
    </ListTable>
  );
}
