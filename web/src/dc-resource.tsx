// One resource in the operator console: metadata, schema, figures, sample rows, batches, upload.
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, may, type Me } from './api';
import { BatchResult, BatchTable, valueLabel } from './dc-batches';
import {
  dcPaths,
  suggestIdempotencyKey,
  uploadContentType,
  uploadFile,
  useApiGet,
  type Batch,
  type BatchOutcome,
  type FieldSpec,
  type OnInvalid,
  type Resource,
  type ResourceStats,
  type StoredRecord,
} from './dc-api';
import { useFormat } from './format';
import { useI18n, type Lang } from './i18n';
import { Link } from './router';
import { useTitle } from './title';
import { LoadError, Loading, LoadState, RefreshButton, TableHead } from './ui';

const SAMPLE_ROWS = 10;

/** A resource's page; `code` as in the catalogue (population.person). */
export function ResourcePage({ code, me }: { code: string; me: Me }) {
  const { lang, t } = useI18n();
  // An auditor reads the catalogue, not the records: no sample, no upload.
  const readsRecords = may(me, 'records:read');
  const writesRecords = may(me, 'records:write');
  const resource = useApiGet<Resource>(dcPaths.resource(code));
  const stats = useApiGet<ResourceStats>(resource.data ? dcPaths.stats(code) : null);
  const records = useApiGet<{ items: StoredRecord[]; next: string | null }>(resource.data && readsRecords ? dcPaths.records(code, SAMPLE_ROWS) : null);
  const batches = useApiGet<Batch[]>(resource.data ? dcPaths.batches(code, 50) : null);
  const r = resource.data;
  const name = r ? (lang === 'en' ? r.nameEn : r.name) : code;
  useTitle(`${name} · ${t('area.operator.name')}`);

  function refreshAfterUpload(): void {
    stats.reload();
    records.reload();
    batches.reload();
  }

  return (
    <div className="resource-page" data-testid="dc-resource-page">
      <nav className="breadcrumb" aria-label={t('dc.res.breadcrumb')}>
        <Link to="/operator/catalogue" data-testid="dc-back-to-catalogue">
          ← {t('area.operator.f1')}
        </Link>
      </nav>
      {resource.error ? (
        resource.error.status === 404 ? (
          <div className="alert" role="alert" data-testid="dc-resource-missing">
            <strong>{t('dc.res.notFound', { code })}</strong>
          </div>
        ) : (
          <LoadError message={resource.error.message} onRetry={resource.reload} />
        )
      ) : !r ? (
        <Loading />
      ) : (
        <>
          <header className="resource-head">
            <h2 className="resource-title" data-testid="dc-resource-name">
              {name}
              {r.baseRegistry && <span className="badge registry">{t('dc.baseRegistry')}</span>}
              <span className={`pill sharing-${r.sharingType}`}>{valueLabel(lang, 'sharing', r.sharingType)}</span>
            </h2>
            <p className="code" data-testid="dc-resource-code">
              {r.code}
            </p>
            <p className="abstract" data-testid="dc-resource-abstract">{lang === 'en' ? (r.abstractEn ?? r.abstract) : r.abstract}</p>
          </header>

          <section className="section" aria-labelledby="dc-res-stats">
            <div className="section-head">
              <h3 id="dc-res-stats">{t('dc.res.stats')}</h3>
            </div>
            <LoadState loaded={stats} />
            {stats.data && <StatsCards stats={stats.data} />}
          </section>

          <section className="section panel" aria-labelledby="dc-res-meta">
            <h3 id="dc-res-meta">{t('dc.res.metadata')}</h3>
            <Metadata resource={r} />
          </section>

          <section className="section" aria-labelledby="dc-res-schema">
            <h3 id="dc-res-schema">{t('dc.res.schema', { count: r.fields.length, version: r.version })}</h3>
            <SchemaTable fields={r.fields} keyFields={r.keyFields} />
          </section>

          {readsRecords && (
            <section className="section" aria-labelledby="dc-res-sample">
              <h3 id="dc-res-sample">{t('dc.res.sample', { count: SAMPLE_ROWS })}</h3>
              <p className="muted small">{t('dc.res.sampleNote')}</p>
              <LoadState loaded={records} />
              {records.data && <SampleRows fields={r.fields} records={records.data.items} />}
            </section>
          )}

          {writesRecords && (
            <section className="section panel" aria-labelledby="dc-res-upload">
              <h3 id="dc-res-upload">{t('dc.up.title')}</h3>
              <UploadForm code={r.code} fields={r.fields} onUploaded={refreshAfterUpload} />
            </section>
          )}

          <section className="section" aria-labelledby="dc-res-batches">
            <div className="section-head">
              <h3 id="dc-res-batches">{t('dc.res.batches')}</h3>
              <RefreshButton loading={batches.loading} onRefresh={batches.reload} />
            </div>
            <LoadState loaded={batches} />
            {batches.data && <BatchTable batches={batches.data} testId="dc-batches" />}
          </section>
        </>
      )}
    </div>
  );
}

function StatsCards({ stats }: { stats: ResourceStats }) {
  const { t } = useI18n();
  const f = useFormat();
  const cards: [string, string, string, string?][] = [
    ['records', t('dc.stat.records'), f.number(stats.records), t('dc.stat.versions', { count: f.number(stats.versions) })],
    ['updates', t('dc.fig.updatesThisMonth'), f.number(stats.updatesThisMonth)],
    ['last-update', t('dc.fig.lastUpdate'), stats.lastUpdate ? f.dateTime(stats.lastUpdate) : t('dc.fig.never')],
    ['rejected', t('dc.stat.rejectedRate'), f.percent(stats.rejectedRate), t('dc.stat.rejectedOf', { rejected: f.number(stats.rowsRejected), read: f.number(stats.rowsRead) })],
  ];
  return (
    <ul className="figure-cards compact" data-testid="dc-resource-stats">
      {cards.map(([id, label, value, sub]) => (
        <li key={id} className="card figure" data-testid={`dc-stat-${id}`}>
          <span className="figure-label">{label}</span>
          <span className={`figure-value${id === 'last-update' ? ' small' : ''}`} data-testid={`dc-stat-${id}-value`}>
            {value}
          </span>
          {sub && <span className="figure-sub">{sub}</span>}
        </li>
      ))}
    </ul>
  );
}

function Metadata({ resource: r }: { resource: Resource }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const en = lang === 'en';
  const label = (name: string) => {
    const field = r.fields.find((x) => x.name === name);
    return field ? `${en ? field.labelEn : field.labelZh} (${name})` : name;
  };
  const rows: [string, ReactNode][] = [
    [t('dc.meta.provider'), en ? r.provider.nameEn : r.provider.name],
    [t('dc.cat.domain'), en ? r.domain.nameEn : r.domain.name],
    [t('dc.meta.category'), [r.category, r.item, r.subItem].filter(Boolean).join(' / ')],
    [t('dc.meta.updateCycle'), valueLabel(lang, 'cycle', r.updateCycle)],
    [t('dc.meta.sharingType'), valueLabel(lang, 'sharing', r.sharingType)],
    [t('dc.meta.sharingCondition'), (en ? (r.sharingConditionEn ?? r.sharingCondition) : r.sharingCondition) ?? '—'],
    [t('dc.meta.sharingMethod'), valueLabel(lang, 'method', r.sharingMethod)],
    [t('dc.meta.legalBasis'), r.legalBasis ?? '—'],
    [t('dc.meta.openType'), valueLabel(lang, 'open', r.openType)],
    [t('dc.meta.keyFields'), r.keyFields.map(label).join(', ')],
    [t('dc.meta.subject'), r.subject ? `${label(r.subject.field)} · ${valueLabel(lang, 'subject', r.subject.kind)}` : '—'],
    [t('dc.meta.format'), valueLabel(lang, 'format', r.format)],
    [t('dc.meta.version'), t('dc.meta.versionValue', { version: r.version, date: f.dateTime(r.updatedAt) })],
    [t('dc.meta.publishDate'), r.publishDate],
  ];
  if (r.relatedCodes.length > 0) rows.push([t('dc.meta.related'), r.relatedCodes.join(', ')]);
  return (
    <dl className="meta" data-testid="dc-resource-meta">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function SchemaTable({ fields, keyFields }: { fields: FieldSpec[]; keyFields: string[] }) {
  const { lang, t } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="dc-schema">
        <TableHead columns={[t('dc.schema.name'), t('dc.schema.label'), t('dc.schema.type'), t('dc.schema.required'), t('dc.schema.sensitivity'), t('dc.schema.deprecated')]} />
        <tbody>
          {fields.map((field) => (
            <tr key={field.name} className={field.deprecated ? 'deprecated' : undefined} data-testid="dc-schema-row">
              <td>
                <span className="code">{field.name}</span>
                {keyFields.includes(field.name) && <span className="badge key">{t('dc.schema.key')}</span>}
              </td>
              <td>
                {lang === 'en' ? field.labelEn : field.labelZh}
                {field.description && <div className="sub">{field.description}</div>}
              </td>
              <td>
                {valueLabel(lang, 'type', field.type)}
                {field.values && <div className="sub">{field.values.join(' / ')}</div>}
              </td>
              <td>{field.required ? t('dc.yes') : t('dc.no')}</td>
              <td>
                <span className={`pill sens-${field.sensitivity}`}>{valueLabel(lang, 'sens', String(field.sensitivity))}</span>
              </td>
              <td>{field.deprecated ? <span className="pill status-interrupted">{t('dc.schema.isDeprecated')}</span> : t('dc.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function cellText(value: unknown, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? (lang === 'en' ? 'Yes' : '是') : lang === 'en' ? 'No' : '否';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function SampleRows({ fields, records }: { fields: FieldSpec[]; records: StoredRecord[] }) {
  const { lang, t } = useI18n();
  const shown = fields.filter((field) => !field.deprecated);
  if (records.length === 0) {
    return (
      <p className="empty" data-testid="dc-sample-rows">
        {t('dc.res.noRecords')}
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid="dc-sample-rows">
        <thead>
          <tr>
            {shown.map((field) => (
              <th key={field.name} scope="col" title={field.name} className={field.sensitivity >= 3 ? 'sensitive' : undefined}>
                {lang === 'en' ? field.labelEn : field.labelZh}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {records.map((record) => (
            <tr key={record.key} data-testid="dc-sample-row">
              {shown.map((field) => (
                <td key={field.name} className="nowrap">
                  {cellText(record.values[field.name], lang)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; sent: number; total: number }
  | { phase: 'applying' }
  | { phase: 'done'; outcome: BatchOutcome }
  | { phase: 'failed'; status: number; detail: string };

/** The upload form: a file, an idempotency key and what to do with invalid rows. */
function UploadForm({ code, fields, onUploaded }: { code: string; fields: FieldSpec[]; onUploaded: () => void }) {
  const { t } = useI18n();
  const f = useFormat();
  const [file, setFile] = useState<File | null>(null);
  const [key, setKey] = useState('');
  const [onInvalid, setOnInvalid] = useState<OnInvalid>('skip');
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const [inputKey, setInputKey] = useState(0);
  const fileRef = useRef<HTMLInputElement>(null);
  const busy = state.phase === 'uploading' || state.phase === 'applying';
  const columns = fields.filter((x) => !x.deprecated).map((x) => x.name);

  function choose(chosen: File | null): void {
    setFile(chosen);
    setKey(chosen ? suggestIdempotencyKey(chosen.name) : '');
    if (state.phase === 'failed') setState({ phase: 'idle' });
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    if (!file) {
      setState({ phase: 'failed', status: 0, detail: t('dc.up.noFile') });
      fileRef.current?.focus();
      return;
    }
    const contentType = uploadContentType(file.name);
    if (!contentType) {
      setState({ phase: 'failed', status: 0, detail: t('dc.up.badType', { name: file.name }) });
      return;
    }
    const idempotencyKey = key.trim() || suggestIdempotencyKey(file.name);
    setState({ phase: 'uploading', sent: 0, total: file.size });
    try {
      const outcome = await uploadFile(code, file, { idempotencyKey, onInvalid, contentType }, (p) =>
        setState(p.sent >= p.total ? { phase: 'applying' } : { phase: 'uploading', sent: p.sent, total: p.total }),
      );
      setState({ phase: 'done', outcome });
      // The next upload is a new batch: a new file, a new key.
      setFile(null);
      setKey('');
      setInputKey((k) => k + 1);
      onUploaded();
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(String(error), 0);
      setState({ phase: 'failed', status: e.status, detail: e.status === 0 ? t('dc.up.unreachable') : e.message });
    }
  }

  let progress = '';
  if (state.phase === 'uploading') {
    const pct = state.total > 0 ? Math.floor((state.sent / state.total) * 100) : 0;
    progress = t('dc.up.uploading', { percent: pct, sent: f.bytes(state.sent), total: f.bytes(state.total) });
  } else if (state.phase === 'applying') progress = t('dc.up.applying');

  return (
    <form className="upload-form" onSubmit={(e) => void submit(e)} data-testid="dc-upload-form" aria-busy={busy}>
      <p className="muted small">{t('dc.up.help', { columns: columns.join(',') })}</p>
      <div className="upload-grid">
        <label className="field">
          <span>{t('dc.up.file')}</span>
          <input
            key={inputKey}
            ref={fileRef}
            type="file"
            accept=".csv,.txt,.ndjson,.jsonl,.xlsx,text/csv,application/x-ndjson,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => choose(e.target.files?.[0] ?? null)}
            disabled={busy}
            data-testid="dc-upload-file"
          />
          {file && <span className="hint">{t('dc.up.chosen', { name: file.name, size: f.bytes(file.size) })}</span>}
        </label>
        <label className="field">
          <span>{t('dc.up.key')}</span>
          <input value={key} onChange={(e) => setKey(e.target.value)} maxLength={200} disabled={busy} spellCheck={false} data-testid="dc-upload-key" />
          <span className="hint">{t('dc.up.keyHelp')}</span>
        </label>
      </div>
      <fieldset className="choice" disabled={busy}>
        <legend>{t('dc.up.onInvalid')}</legend>
        <label>
          <input type="radio" name="onInvalid" value="skip" checked={onInvalid === 'skip'} onChange={() => setOnInvalid('skip')} data-testid="dc-upload-skip" />
          {t('dc.up.skip')}
        </label>
        <label>
          <input type="radio" name="onInvalid" value="reject" checked={onInvalid === 'reject'} onChange={() => setOnInvalid('reject')} data-testid="dc-upload-reject" />
          {t('dc.up.reject')}
        </label>
      </fieldset>
      <div className="upload-actions">
        <button type="submit" className="button primary" disabled={busy} aria-busy={busy} data-testid="dc-upload-submit">
          {busy ? (state.phase === 'applying' ? t('dc.up.applyingShort') : t('dc.up.uploadingShort')) : t('dc.up.submit')}
        </button>
        <span className="upload-progress" aria-live="polite" data-testid="dc-upload-status">
          {busy && <span className="spinner small" aria-hidden="true" />} {progress}
        </span>
      </div>
      {state.phase === 'uploading' && <progress className="upload-bar" max={state.total || 1} value={state.sent} />}
      {state.phase === 'failed' && (
        <div className="alert" role="alert" data-testid="dc-upload-error" data-status={state.status || undefined}>
          <strong>{t('dc.up.failed')}</strong>
          <span className="alert-detail">{state.detail}</span>
        </div>
      )}
      {state.phase === 'done' && <BatchResult outcome={state.outcome} />}
    </form>
  );
}
