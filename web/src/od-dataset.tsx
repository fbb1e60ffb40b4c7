// A dataset's page on the portal: what it is (metadata, quality, fields), a preview of its
// records page by page, a chart and a map drawn from the records API, downloads, the API call
// that reads it, and its versions with their changelogs.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ApiError, Me } from './api';
import { BarChart, LineChart, PointMap, type Bar, type MapPoint } from './charts';
import { valueLabel } from './dc-batches';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n, type Lang, type MessageKey } from './i18n';
import { ApplyPanel } from './od-applications';
import { QualityBadge } from './od-catalogue';
import { curlExample, odPaths, OPEN_PATH, openDataAbilities, type Dataset, type DatasetField, type DatasetVersion, type ExportFormat, type RecordPage } from './od-api';
import { Link } from './router';
import { useTitle } from './title';
import { FigureCard, ListTable, Loading, LoadError, LoadState } from './ui';
import { joinList } from './xc-parts';

/** Records in the preview table, per page. */
const PREVIEW_ROWS = 20;
/** Points fetched per page for the map (the records API's largest page). */
const MAP_PAGE = 100;

/** One dataset, by its id; `me` is who reads it (null: signed out), for applying to a conditional one. */
export function DatasetPage({ id, me }: { id: string; me: Me | null }) {
  const { lang, t } = useI18n();
  const dataset = useApiGet<Dataset>(odPaths.dataset(id));
  const versions = useApiGet<DatasetVersion[]>(odPaths.versions(id));
  const d = dataset.data;
  const title = d ? (lang === 'en' && d.titleEn ? d.titleEn : d.title) : id;
  useTitle(`${title} · ${t('area.open-data.name')}`);

  // Published datasets are read at their served version; a draft (seen by its department and
  // reviewers) at its latest version.
  const latest = versions.data?.[0]?.version;
  const version = d && d.version === null ? latest : undefined;
  const readable = d !== undefined && (d.version !== null || latest !== undefined);

  return (
    <div className="resource-page" data-testid="od-dataset-page">
      <nav className="breadcrumb" aria-label={t('dc.res.breadcrumb')}>
        <Link to={OPEN_PATH} data-testid="od-back">
          ← {t('od.tab.catalogue')}
        </Link>
      </nav>
      {dataset.error ? (
        dataset.error.status === 404 ? (
          <div className="alert" role="alert" data-testid="od-dataset-missing">
            <strong>{t('od.ds.notFound', { id })}</strong>
            <span className="alert-detail">{dataset.error.message}</span>
          </div>
        ) : (
          <LoadError message={dataset.error.message} onRetry={dataset.reload} />
        )
      ) : !d ? (
        <Loading />
      ) : (
        <>
          <DatasetHead dataset={d} title={title} />
          <Figures dataset={d} />
          {d.openType === 'conditional' && (
            <div className="note od-conditional" role="note" data-testid="od-conditional">
              <strong>{valueLabel(lang, 'open', 'conditional')}</strong> {t('od.ds.conditional')}
            </div>
          )}
          <ApplyPanel dataset={d} me={me} abilities={openDataAbilities(me)} />
          <Downloads dataset={d} version={version} />
          <section className="section panel" aria-labelledby="od-meta-h">
            <h3 id="od-meta-h">{t('od.ds.metadata')}</h3>
            <Metadata dataset={d} />
          </section>
          <QualityPanel dataset={d} />
          <section className="section" aria-labelledby="od-fields-h">
            <h3 id="od-fields-h">{t('od.ds.fields', { count: d.fields.length })}</h3>
            <FieldTable fields={d.fields} />
          </section>
          {readable ? <DataViews dataset={d} version={version} /> : <LoadState loaded={versions} />}
          <ApiExample dataset={d} />
          <Versions dataset={d} versions={versions.data} error={versions.error} />
        </>
      )}
    </div>
  );
}

function DatasetHead({ dataset: d, title }: { dataset: Dataset; title: string }) {
  const { lang, t } = useI18n();
  return (
    <header className="resource-head">
      <h2 className="resource-title" data-testid="od-dataset-title">
        {title}
        <span className={`pill sharing-${d.openType}`} data-testid="od-open-type">
          {valueLabel(lang, 'open', d.openType)}
        </span>
        {d.status !== 'published' && (
          <span className={`pill od-status-${d.status}`} data-testid="od-dataset-status">
            {t(`od.status.${d.status}` as MessageKey)}
          </span>
        )}
      </h2>
      {lang !== 'en' && d.titleEn && <p className="muted">{d.titleEn}</p>}
      <p className="code" data-testid="od-dataset-id">
        {d.id}
      </p>
      <p className="abstract" data-testid="od-description">
        {d.description}
      </p>
    </header>
  );
}

function Figures({ dataset: d }: { dataset: Dataset }) {
  const { t } = useI18n();
  const f = useFormat();
  return (
    <ul className="figure-cards compact" data-testid="od-figures">
      <FigureCard testId="od-fig-rows" label={t('od.fig.rows')} value={f.number(d.rows)} />
      <FigureCard testId="od-fig-downloads" label={t('od.fig.downloads')} value={f.number(d.downloads)} />
      <FigureCard testId="od-fig-calls" label={t('od.fig.apiCalls')} value={f.number(d.apiCalls)} />
      <FigureCard testId="od-fig-quality" label={t('od.quality.score')} value={String(d.quality.score)} sub={t('od.quality.outOf')} />
      <FigureCard
        testId="od-fig-modified"
        label={t('od.fig.modified')}
        value={f.day(d.modifiedAt)}
        sub={d.version !== null ? t('od.ds.servedVersion', { version: d.version }) : t('od.ds.unpublished')}
        small
      />
    </ul>
  );
}

/** The file formats offered, in the order the buttons show them. */
const DOWNLOADS: readonly { key: string; format: ExportFormat; bom?: boolean; label: MessageKey }[] = [
  { key: 'csv', format: 'csv', label: 'od.dl.csv' },
  { key: 'csv-bom', format: 'csv', bom: true, label: 'od.dl.csvExcel' },
  { key: 'json', format: 'json', label: 'od.dl.json' },
  { key: 'xlsx', format: 'xlsx', label: 'od.dl.xlsx' },
  { key: 'geojson', format: 'geojson', label: 'od.dl.geojson' },
];

function Downloads({ dataset: d, version }: { dataset: Dataset; version: number | undefined }) {
  const { t } = useI18n();
  const offered = DOWNLOADS.filter((x) => x.format !== 'geojson' || d.formats.includes('GeoJSON'));
  // A conditional dataset is downloaded with an approved key, which a link cannot send: no
  // buttons that would only fail, but how to do it.
  const conditional = d.openType === 'conditional';
  return (
    <section className="section panel" aria-labelledby="od-dl-h">
      <h3 id="od-dl-h">{t('od.dl.title')}</h3>
      {!conditional && (
        <>
          <div className="od-downloads" data-testid="od-downloads">
            {offered.map((x) => (
              <a key={x.key} className="button small" href={odPaths.export(d.id, x.format, { bom: x.bom, version })} download data-testid={`od-download-${x.key}`}>
                {t(x.label)}
              </a>
            ))}
          </div>
          <p className="hint">{t('od.dl.help')}</p>
        </>
      )}
      {conditional && (
        <>
          <p className="hint">{t('od.dl.conditional')}</p>
          <pre className="snippet">{`curl -H 'X-API-Key: odk_…' -o ${d.id}.csv \\\n  '${window.location.origin}${odPaths.export(d.id, 'csv', { version })}'`}</pre>
        </>
      )}
    </section>
  );
}

function Metadata({ dataset: d }: { dataset: Dataset }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const en = lang === 'en';
  const rows: [string, ReactNode][] = [
    [t('od.meta.org'), en ? d.org.nameEn : d.org.name],
    [t('od.meta.theme'), en ? d.theme.nameEn : d.theme.name],
    [t('od.meta.tags'), joinList(lang, d.tags)],
    [
      t('od.meta.licence'),
      d.licence.url ? (
        <a href={d.licence.url} target="_blank" rel="noreferrer" data-testid="od-licence">
          {d.licence.title}
        </a>
      ) : (
        d.licence.title
      ),
    ],
    [t('od.meta.frequency'), valueLabel(lang, 'cycle', d.updateFrequency)],
    [t('od.meta.openType'), `${valueLabel(lang, 'open', d.openType)}${d.openType === 'conditional' ? ` — ${t('od.ds.conditionalShort')}` : ''}`],
    [t('od.meta.source'), d.source === 'resource' ? t('od.meta.fromResource', { code: d.sourceResource ?? '—' }) : t('od.meta.fromUpload')],
    [t('od.meta.formats'), d.formats.join(' · ')],
    [t('od.meta.created'), f.dateTime(d.createdAt)],
    [t('od.meta.modified'), f.dateTime(d.modifiedAt)],
  ];
  return (
    <dl className="meta" data-testid="od-metadata">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const QUALITY_PARTS = ['completeness', 'machineReadable', 'timeliness', 'licence'] as const;

function QualityPanel({ dataset: d }: { dataset: Dataset }) {
  const { t } = useI18n();
  return (
    <section className="section panel" aria-labelledby="od-quality-h" data-testid="od-quality">
      <div className="section-head">
        <h3 id="od-quality-h">{t('od.quality.title')}</h3>
        <QualityBadge score={d.quality.score} testId="od-quality-score" />
      </div>
      <ul className="od-quality-parts">
        {QUALITY_PARTS.map((part) => (
          <li key={part} data-testid={`od-quality-${part}`}>
            <span className="od-quality-name">{t(`od.quality.${part}` as MessageKey)}</span>
            <span className="meter wide" aria-hidden="true">
              <span style={{ width: `${(d.quality[part] / 25) * 100}%` }} />
            </span>
            <span className="od-quality-value">{t('od.quality.part', { value: d.quality[part] })}</span>
            <span className="hint">{t(`od.quality.${part}Help` as MessageKey)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function FieldTable({ fields }: { fields: DatasetField[] }) {
  const { lang, t } = useI18n();
  return (
    <ListTable rows={fields} columns={[t('dc.schema.name'), t('dc.schema.label'), t('dc.schema.type'), t('od.field.unit'), t('od.field.description')]} empty={t('od.ds.noFields')} testId="od-fields">
      {(field) => (
        <tr key={field.name} data-testid="od-field-row">
          <td className="code">{field.name}</td>
          <td>
            {lang === 'en' ? field.labelEn : field.labelZh}
            {lang !== 'en' && field.labelEn !== field.labelZh && <div className="sub">{field.labelEn}</div>}
          </td>
          <td className="nowrap">{valueLabel(lang, 'type', field.type)}</td>
          <td>{field.unit ?? '—'}</td>
          <td className="purpose">{field.description || '—'}</td>
        </tr>
      )}
    </ListTable>
  );
}

function cellText(value: unknown, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? (lang === 'en' ? 'Yes' : '是') : lang === 'en' ? 'No' : '否';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The preview, and — once its first page has come back, so that a conditional dataset's refusal
 * is said once — the chart and the map.
 */
function DataViews({ dataset: d, version }: { dataset: Dataset; version: number | undefined }) {
  const { lang, t } = useI18n();
  // The cursors of the pages seen so far: the last is the page shown (null: the first page).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? undefined;
  const page = useApiGet<RecordPage>(odPaths.records(d.id, { limit: PREVIEW_ROWS, cursor, version }));
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    if (page.data) setOpened(true);
  }, [page.data]);
  const labelOf = (name: string) => {
    const field = d.fields.find((x) => x.name === name);
    return field ? (lang === 'en' ? field.labelEn : field.labelZh) : name;
  };

  return (
    <>
      <section className="section" aria-labelledby="od-preview-h">
        <div className="section-head">
          <h3 id="od-preview-h">{t('od.preview.title', { count: PREVIEW_ROWS })}</h3>
          <div className="toolbar pager">
            <button type="button" className="button small" disabled={cursors.length <= 1 || page.loading} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="od-preview-prev">
              {t('od.cat.prev')}
            </button>
            <span className="muted small" data-testid="od-preview-page">
              {t('od.preview.page', { page: cursors.length })}
            </span>
            <button
              type="button"
              className="button small"
              disabled={!page.data?.next || page.loading}
              onClick={() => {
                const next = page.data?.next;
                if (next) setCursors((c) => [...c, next]);
              }}
              data-testid="od-preview-next"
            >
              {t('od.cat.next')}
            </button>
          </div>
        </div>
        {page.error && (page.error.status === 401 || page.error.status === 403) ? (
          // A conditional dataset without an approved key: not a failure, the rule of the dataset.
          <p className="note od-conditional" role="note" data-testid="od-preview-refused">
            {page.error.message}
          </p>
        ) : (
          <LoadState loaded={page} />
        )}
        {page.data &&
          (page.data.records.length === 0 ? (
            <p className="empty" data-testid="od-preview">
              {t('od.preview.none')}
            </p>
          ) : (
            <div className="table-wrap" data-testid="od-preview">
              <table className="table compact">
                <thead>
                  <tr>
                    {page.data.fields.map((field) => (
                      <th key={field.name} scope="col" title={field.name} className={field.type === 'integer' || field.type === 'decimal' ? 'num' : undefined}>
                        {labelOf(field.name)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {page.data.records.map((record, i) => (
                    <tr key={i} data-testid="od-preview-row">
                      {page.data!.fields.map((field) => (
                        <td key={field.name} className={field.type === 'integer' || field.type === 'decimal' ? 'num nowrap' : 'nowrap'}>
                          {cellText(record[field.name], lang)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
      </section>
      {opened && (
        <div className="chart-grid od-views">
          <DatasetChart dataset={d} version={version} />
          {d.geo && <DatasetMap dataset={d} geo={d.geo} version={version} />}
        </div>
      )}
    </>
  );
}

const NUMERIC = new Set(['integer', 'decimal']);
const DATED = new Set(['date', 'timestamp']);
/** Groups shown as bars (the largest first); a line shows up to the records API's page. */
const BARS_SHOWN = 15;
const LINE_POINTS = 100;
// Text columns that name or identify each row (one group per row) make poor categories.
const IDENTIFYING = /(^|_)(name|code|id|no|number|address|remark|note)s?($|_)|名称|代码|编号|地址|备注/;

/** The fields a chart can group by: dates first (a line), then categories, identifying columns last. */
function dimensionsOf(fields: readonly DatasetField[]): DatasetField[] {
  const identifying = (f: DatasetField) => IDENTIFYING.test(f.name) || IDENTIFYING.test(f.labelZh);
  const categories = fields.filter((x) => x.type === 'text' || x.type === 'boolean');
  return [...fields.filter((x) => DATED.has(x.type)), ...categories.filter((x) => !identifying(x)), ...categories.filter(identifying)];
}

/**
 * A numeric field summed (or averaged, or the rows counted) by a category — bars — or over a
 * date — a line — computed by the records API's group_by, drawn as plain SVG.
 */
function DatasetChart({ dataset: d, version }: { dataset: Dataset; version: number | undefined }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const geo = new Set(d.geo ? [d.geo.lat, d.geo.lon] : []);
  const measures = d.fields.filter((x) => NUMERIC.has(x.type) && !geo.has(x.name));
  const dims = dimensionsOf(d.fields);
  const [measure, setMeasure] = useState(measures[0]?.name ?? '');
  const [fn, setFn] = useState<'sum' | 'avg'>('sum');
  const [dim, setDim] = useState(dims[0]?.name ?? '');
  const dimField = dims.find((x) => x.name === dim);
  const dated = dimField !== undefined && DATED.has(dimField.type);
  const expr = measure ? `${fn}(${measure})` : 'count(*)';
  const path = dimField
    ? odPaths.records(d.id, {
        select: `${dim}, ${expr} as chart_value`,
        group_by: dim,
        order_by: dated ? `${dim} asc` : 'chart_value desc',
        limit: dated ? LINE_POINTS : BARS_SHOWN,
        version,
      })
    : null;
  const groups = useApiGet<RecordPage>(path);
  const label = (field: DatasetField | undefined) => (field ? (lang === 'en' ? field.labelEn : field.labelZh) : '');
  const measureLabel = measure ? label(measures.find((x) => x.name === measure)) : t('od.chart.rows');

  const bars: Bar[] = useMemo(
    () =>
      (groups.data?.records ?? []).map((r, i) => {
        const value = Number(r.chart_value ?? 0);
        const key = r[dim];
        const shownKey = key === null || key === undefined || key === '' ? t('od.chart.blank') : dated ? f.day(String(key)) : cellText(key, lang);
        return { key: `${i}-${String(key)}`, label: shownKey, value: Number.isFinite(value) ? value : 0, shown: f.compact(Math.round(value * 100) / 100) };
      }),
    [groups.data, dim, dated, f, lang, t],
  );
  if (dims.length === 0) return null;

  const caption = t(measure ? (fn === 'sum' ? 'od.chart.sumBy' : 'od.chart.avgBy') : 'od.chart.countBy', { measure: measureLabel, dim: label(dimField) });
  return (
    <section className="section panel" aria-labelledby="od-chart-h" data-testid="od-chart-panel">
      <h3 id="od-chart-h">{t('od.chart.title')}</h3>
      <div className="toolbar">
        <label className="field inline">
          <span>{t('od.chart.measure')}</span>
          <select value={measure} onChange={(e) => setMeasure(e.target.value)} data-testid="od-chart-measure">
            <option value="">{t('od.chart.rows')}</option>
            {measures.map((m) => (
              <option key={m.name} value={m.name}>
                {label(m)}
              </option>
            ))}
          </select>
        </label>
        {measure && (
          <label className="field inline">
            <span>{t('od.chart.fn')}</span>
            <select value={fn} onChange={(e) => setFn(e.target.value as 'sum' | 'avg')} data-testid="od-chart-fn">
              <option value="sum">{t('od.chart.sum')}</option>
              <option value="avg">{t('od.chart.avg')}</option>
            </select>
          </label>
        )}
        <label className="field inline">
          <span>{t('od.chart.dim')}</span>
          <select value={dim} onChange={(e) => setDim(e.target.value)} data-testid="od-chart-dim">
            {dims.map((x) => (
              <option key={x.name} value={x.name}>
                {label(x)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="chart-caption">
        {caption}
        {!dated && bars.length >= BARS_SHOWN && ` ${t('od.chart.top', { count: BARS_SHOWN })}`}
      </p>
      <LoadState loaded={groups} />
      {groups.data &&
        (bars.length === 0 ? (
          <p className="empty">{t('od.preview.none')}</p>
        ) : dated ? (
          <LineChart points={bars} label={caption} testId="od-chart" />
        ) : (
          <BarChart bars={bars} label={caption} labelWidth={lang === 'en' ? 150 : 120} testId="od-chart" />
        ))}
    </section>
  );
}

/** The dataset's places on a map of their own bounds, a page of points at a time. */
function DatasetMap({ dataset: d, geo, version }: { dataset: Dataset; geo: { lat: string; lon: string }; version: number | undefined }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const name = d.fields.find((x) => x.type === 'text' && x.name !== geo.lat && x.name !== geo.lon)?.name;
  // The cursors of the pages asked for so far (undefined: the first); the points of each page come back by its cursor.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const select = [geo.lat, geo.lon, ...(name ? [name] : [])].join(',');
  const page = useApiGet<RecordPage>(odPaths.records(d.id, { select, limit: MAP_PAGE, cursor, version }));
  const [pages, setPages] = useState<ReadonlyMap<string, { points: MapPoint[]; next: string | null }>>(new Map());
  useEffect(() => {
    const out = page.data;
    if (!out) return;
    const points = out.records.flatMap((r, i): MapPoint[] => {
      const lat = Number(r[geo.lat]);
      const lon = Number(r[geo.lon]);
      if (r[geo.lat] === null || r[geo.lon] === null || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return [];
      return [{ key: `${cursor ?? ''}-${i}`, lat, lon, label: name ? cellText(r[name], lang) : `${lat}, ${lon}` }];
    });
    setPages((m) => new Map(m).set(cursor ?? '', { points, next: out.next }));
  }, [page.data, cursor, geo.lat, geo.lon, name, lang]);
  const points = cursors.flatMap((c) => pages.get(c ?? '')?.points ?? []);
  const next = pages.get(cursor ?? '')?.next ?? null;

  return (
    <section className="section panel" aria-labelledby="od-map-h" data-testid="od-map-panel">
      <div className="section-head">
        <h3 id="od-map-h">{t('od.map.title')}</h3>
        {next && (
          <button type="button" className="button small" onClick={() => setCursors((c) => [...c, next])} disabled={page.loading} data-testid="od-map-more">
            {t('od.map.more', { count: MAP_PAGE })}
          </button>
        )}
      </div>
      <p className="chart-caption" data-testid="od-map-count">
        {t('od.map.caption', { shown: f.number(points.length), total: f.number(d.rows) })}
      </p>
      {page.error && <LoadError message={page.error.message} onRetry={page.reload} />}
      {page.loading && points.length === 0 && <Loading />}
      {points.length > 0 && <PointMap points={points} label={t('od.map.title')} testId="od-map" />}
    </section>
  );
}

function ApiExample({ dataset: d }: { dataset: Dataset }) {
  const { t } = useI18n();
  const conditional = d.openType === 'conditional';
  return (
    <section className="section panel" aria-labelledby="od-api-h">
      <h3 id="od-api-h">{t('od.api.title')}</h3>
      <p className="muted small">{t(conditional ? 'od.api.helpKey' : 'od.api.help')}</p>
      <pre className="snippet" data-testid="od-curl">
        {curlExample(window.location.origin, d.id, conditional)}
      </pre>
      <p className="hint">
        {t('od.api.grammar')} <a href="/api/docs">{t('area.apiDocs')}</a>
      </p>
    </section>
  );
}

function Versions({ dataset: d, versions, error }: { dataset: Dataset; versions: DatasetVersion[] | undefined; error: ApiError | null }) {
  const { t } = useI18n();
  const f = useFormat();
  return (
    <section className="section" aria-labelledby="od-versions-h">
      <h3 id="od-versions-h">{t('od.versions.title')}</h3>
      {error && <LoadError message={error.message} />}
      {versions === undefined && !error && <Loading />}
      {versions && (
        <ListTable
          rows={versions}
          columns={[t('od.versions.version'), t('xc.col.status'), { label: t('od.fig.rows'), num: true }, t('od.versions.when'), t('od.versions.changelog'), t('od.versions.download')]}
          empty={t('od.versions.none')}
          testId="od-versions"
        >
          {(v) => (
            <tr key={v.version} data-testid="od-version-row" data-version={v.version}>
              <td className="nowrap">
                v{v.version}
                {v.version === d.version && <span className="badge key">{t('od.versions.current')}</span>}
              </td>
              <td>
                <VersionStatusPill status={v.status} />
              </td>
              <td className="num">{f.number(v.rows)}</td>
              <td className="nowrap">{f.dateTime(v.publishedAt ?? v.createdAt)}</td>
              <td className="purpose">
                <span className="od-changelog">{v.changelog}</span>
                {v.reviewNote && <div className="sub">{t('od.versions.note', { note: v.reviewNote })}</div>}
              </td>
              <td className="nowrap">
                {/* A conditional dataset's versions are downloaded with a key (see Downloads). */}
                {d.openType === 'conditional' ? (
                  <span className="muted">—</span>
                ) : (
                  <a href={odPaths.export(d.id, 'csv', { version: v.version })} download data-testid="od-version-download">
                    {t('od.versions.csv', { version: v.version })}
                  </a>
                )}
              </td>
            </tr>
          )}
        </ListTable>
      )}
    </section>
  );
}

/** A version's status as a coloured pill. */
export function VersionStatusPill({ status, testId }: { status: DatasetVersion['status']; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={`pill od-status-${status}`} data-testid={testId}>
      {t(`od.vstatus.${status}` as MessageKey)}
    </span>
  );
}
