// Publishing open data: the department's datasets (every department's, for reviewers) with their
// versions, a draft derived from a catalogue resource or uploaded as a file, and sending a draft
// for review. The server's personal-data guard may refuse a draft: its reason is shown as given.
import { Fragment, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, uploadRaw, type Me, type UploadProgress } from './api';
import { valueLabel } from './dc-batches';
import { dcPaths, useApiGet, type Resource } from './dc-api';
import { useFormat } from './format';
import { useI18n, type MessageKey } from './i18n';
import { VersionStatusPill } from './od-dataset';
import {
  datasetPath,
  odPaths,
  UPDATE_FREQUENCIES,
  type Dataset,
  type DatasetMeta,
  type DatasetVersion,
  type DraftCreated,
  type Licence,
  type OpenDataAbilities,
  type Pipeline,
  type PublishFromResourceBody,
  type Theme,
} from './od-api';
import { Link } from './router';
import { ActionError, FormRow, ListTable, LoadedSection, LoadState, Notice, type ColumnHead } from './ui';
import { nameIn, useAction, xcPaths } from './xc-api';
import { FieldChecks, ReasonForm } from './xc-parts';

/** The publishing page: the datasets, then the two ways to make a draft. */
export function PublishPage({ me, abilities }: { me: Me; abilities: OpenDataAbilities }) {
  const { t } = useI18n();
  const datasets = useApiGet<Dataset[]>(odPaths.manage);
  const themes = useApiGet<Theme[]>(odPaths.themes);
  const licences = useApiGet<Licence[]>(odPaths.licences);
  const [done, setDone] = useState<string | null>(null);
  // Bumped whenever a draft is made or sent, so that every row reads its versions again.
  const [generation, setGeneration] = useState(0);
  const changed = (message: string | null) => {
    setDone(message);
    setGeneration((g) => g + 1);
    datasets.reload();
  };
  const vocabularies = { themes: themes.data ?? [], licences: licences.data ?? [] };

  return (
    <>
      <LoadedSection
        headingId="od-pub-h"
        title={abilities.review ? t('od.pub.allTitle') : t('od.pub.mineTitle')}
        help={t('od.pub.help')}
        loaded={datasets}
        refreshTestId="od-pub-refresh"
      >
        {(items) => (
          <>
            {done && <Notice testId="od-pub-done">{done}</Notice>}
            <DatasetTable datasets={items} generation={generation} onChanged={changed} />
          </>
        )}
      </LoadedSection>
      <section className="section panel" aria-labelledby="od-derive-h">
        <h2 id="od-derive-h">{t('od.derive.title')}</h2>
        <p className="muted small">{t('od.derive.help')}</p>
        <FromResourceForm me={me} reviewer={abilities.review} vocabularies={vocabularies} onCreated={() => changed(null)} onSubmitted={changed} />
      </section>
      <section className="section panel" aria-labelledby="od-upload-h">
        <h2 id="od-upload-h">{t('od.upload.title')}</h2>
        <p className="muted small">{t('od.upload.help')}</p>
        <UploadForm me={me} reviewer={abilities.review} vocabularies={vocabularies} onCreated={() => changed(null)} onSubmitted={changed} />
      </section>
    </>
  );
}

/** The department's datasets: status, versions (drafts can be sent for review), figures, withdraw. */
function DatasetTable({ datasets, generation, onChanged }: { datasets: readonly Dataset[]; generation: number; onChanged: (message: string) => void }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  const columns: ColumnHead[] = [t('od.pub.col.dataset'), t('od.meta.org'), t('xc.col.status'), t('od.pub.col.versions'), { label: t('od.fig.rows'), num: true }, t('od.fig.modified'), { label: t('xc.col.actions'), hidden: true }];
  return (
    <ListTable rows={datasets} columns={columns} empty={t('od.pub.none')} emptyTestId="od-pub-empty" testId="od-pub-datasets">
      {(d) => (
        <Fragment key={d.id}>
          <tr data-testid="od-pub-row" data-id={d.id} data-status={d.status}>
            <td>
              <Link to={datasetPath(d.id)} className="resource-link" data-testid="od-pub-link">
                {lang === 'en' && d.titleEn ? d.titleEn : d.title}
              </Link>
              <div className="code">{d.id}</div>
            </td>
            <td>{lang === 'en' ? d.org.nameEn : d.org.name}</td>
            <td>
              <span className={`pill od-status-${d.status}`} data-testid="od-pub-status">
                {t(`od.status.${d.status}` as MessageKey)}
              </span>
            </td>
            <td>
              <VersionList key={`${d.id}-${generation}`} dataset={d} onChanged={onChanged} />
            </td>
            <td className="num">{f.number(d.rows)}</td>
            <td className="nowrap">{f.day(d.modifiedAt)}</td>
            <td>
              {d.status === 'published' && (
                <button type="button" className="button small" aria-expanded={withdrawing === d.id} onClick={() => setWithdrawing((w) => (w === d.id ? null : d.id))} data-testid="od-withdraw">
                  {t('od.pub.withdraw')}
                </button>
              )}
            </td>
          </tr>
          {withdrawing === d.id && d.status === 'published' && (
            <FormRow columns={columns.length}>
              <ReasonForm
                path={odPaths.withdraw(d.id)}
                label={t('od.pub.withdrawReason', { title: d.title })}
                minLength={2}
                rows={1}
                help={t('od.pub.withdrawHelp')}
                submit={t('od.pub.withdrawSubmit')}
                failed={t('od.pub.withdrawFailed')}
                testId="od-withdraw"
                danger
                onCancel={() => setWithdrawing(null)}
                onDone={() => {
                  setWithdrawing(null);
                  onChanged(t('od.pub.withdrawn', { title: d.title }));
                }}
              />
            </FormRow>
          )}
        </Fragment>
      )}
    </ListTable>
  );
}

/** A dataset's versions, newest first; a draft (or a rejected version) with its "send for review". */
function VersionList({ dataset: d, onChanged }: { dataset: Dataset; onChanged: (message: string) => void }) {
  const { t } = useI18n();
  const f = useFormat();
  const versions = useApiGet<DatasetVersion[]>(odPaths.versions(d.id));
  if (!versions.data) return versions.error ? <span className="sub">{versions.error.message}</span> : <span className="spinner small" aria-label={t('app.loading')} />;
  return (
    <ul className="od-vlist" data-testid="od-pub-versions">
      {versions.data.map((v) => (
        <li key={v.version} data-testid="od-pub-version" data-version={v.version} data-status={v.status}>
          <span className="nowrap">
            v{v.version} <VersionStatusPill status={v.status} testId="od-pub-version-status" /> <span className="sub">{t('od.pub.rows', { count: f.number(v.rows) })}</span>
          </span>
          {v.status === 'rejected' && v.reviewNote && <div className="sub message">{t('od.versions.note', { note: v.reviewNote })}</div>}
          {(v.status === 'draft' || v.status === 'rejected') && (
            <SubmitButton
              dataset={d}
              version={v.version}
              onSubmitted={(message) => {
                versions.reload();
                onChanged(message);
              }}
            />
          )}
        </li>
      ))}
    </ul>
  );
}

/** Sends a version for review; says why when the server will not. */
function SubmitButton({ dataset, version, onSubmitted }: { dataset: Pick<Dataset, 'id' | 'title'>; version: number; onSubmitted: (message: string) => void }) {
  const { t } = useI18n();
  const action = useAction();
  async function submit(): Promise<void> {
    if (action.busy) return;
    if (await action.run(() => api<DatasetVersion>('POST', odPaths.submit(dataset.id, version)))) onSubmitted(t('od.pub.submitted', { title: dataset.title, version }));
  }
  return (
    <div className="od-submit">
      <button type="button" className="button small primary" onClick={() => void submit()} disabled={action.busy} data-testid="od-submit">
        {action.busy ? t('xc.sending') : t('od.pub.submit')}
      </button>
      {action.error && <ActionError title={t('od.pub.submitFailed')} error={action.error} testId="od-submit-error" />}
    </div>
  );
}

/** The vocabularies the metadata form picks from. */
interface Vocabularies {
  themes: readonly Theme[];
  licences: readonly Licence[];
}

/** The metadata form's values, as typed (tags as one line). */
interface MetaDraft {
  id: string;
  title: string;
  titleEn: string;
  description: string;
  theme: string;
  tags: string;
  licence: string;
  updateFrequency: DatasetMeta['updateFrequency'];
  openType: DatasetMeta['openType'];
  publisher: string;
  changelog: string;
}

const EMPTY_META: MetaDraft = { id: '', title: '', titleEn: '', description: '', theme: '', tags: '', licence: '', updateFrequency: 'irregular', openType: 'unconditional', publisher: '', changelog: '' };

/** The metadata as the API takes it: tags split on commas, 、 or spaces; blanks left out. */
function toMeta(m: MetaDraft): DatasetMeta {
  const tags = [...new Set(m.tags.split(/[,，、;；\s]+/).map((x) => x.trim()).filter(Boolean))];
  return {
    id: m.id.trim(),
    title: m.title.trim(),
    ...(m.titleEn.trim() ? { titleEn: m.titleEn.trim() } : {}),
    description: m.description.trim(),
    theme: m.theme,
    ...(tags.length ? { tags } : {}),
    ...(m.licence ? { licence: m.licence } : {}),
    updateFrequency: m.updateFrequency,
    openType: m.openType,
    ...(m.publisher ? { publisher: m.publisher } : {}),
  };
}

/** The dataset's metadata and the version's changelog; test ids are `<testId>-<field>`. */
function MetaFields({
  value,
  onChange,
  vocabularies,
  publishers,
  disabled,
  testId,
}: {
  value: MetaDraft;
  onChange: (next: MetaDraft) => void;
  vocabularies: Vocabularies;
  /** Departments a reviewer may upload for (none: the user's own). */
  publishers?: readonly { code: string; name: string }[];
  disabled: boolean;
  testId: string;
}) {
  const { lang, t } = useI18n();
  const set = <K extends keyof MetaDraft>(key: K, v: MetaDraft[K]) => onChange({ ...value, [key]: v });
  const field = (key: keyof MetaDraft) => `${testId}-${key}`;
  return (
    <>
      <div className="form-grid">
        <label className="field">
          <span>{t('od.meta.id')}</span>
          <input
            value={value.id}
            required
            pattern="[a-z0-9][a-z0-9\-]{1,79}"
            maxLength={80}
            spellCheck={false}
            placeholder="bus-stops"
            onChange={(e) => set('id', e.target.value.toLowerCase())}
            disabled={disabled}
            data-testid={field('id')}
          />
          <span className="hint">{t('od.meta.idHelp')}</span>
        </label>
        <label className="field">
          <span>{t('od.meta.title')}</span>
          <input value={value.title} required minLength={2} maxLength={200} onChange={(e) => set('title', e.target.value)} disabled={disabled} data-testid={field('title')} />
        </label>
        <label className="field">
          <span>{t('od.meta.titleEn')}</span>
          <input value={value.titleEn} maxLength={200} onChange={(e) => set('titleEn', e.target.value)} disabled={disabled} data-testid={field('titleEn')} />
        </label>
        <label className="field">
          <span>{t('od.meta.theme')}</span>
          <select value={value.theme} required onChange={(e) => set('theme', e.target.value)} disabled={disabled} data-testid={field('theme')}>
            <option value="">{t('od.meta.choose')}</option>
            {vocabularies.themes.map((x) => (
              <option key={x.code} value={x.code}>
                {nameIn(lang, x)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('od.meta.tags')}</span>
          <input value={value.tags} maxLength={400} placeholder={t('od.meta.tagsPlaceholder')} onChange={(e) => set('tags', e.target.value)} disabled={disabled} data-testid={field('tags')} />
          <span className="hint">{t('od.meta.tagsHelp')}</span>
        </label>
        <label className="field">
          <span>{t('od.meta.licence')}</span>
          <select value={value.licence} onChange={(e) => set('licence', e.target.value)} disabled={disabled} data-testid={field('licence')}>
            {vocabularies.licences.map((x, i) => (
              <option key={x.id} value={i === 0 ? '' : x.id}>
                {i === 0 ? t('od.meta.licenceDefault', { title: x.title }) : x.title}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('od.meta.frequency')}</span>
          <select value={value.updateFrequency} onChange={(e) => set('updateFrequency', e.target.value as MetaDraft['updateFrequency'])} disabled={disabled} data-testid={field('updateFrequency')}>
            {UPDATE_FREQUENCIES.map((x) => (
              <option key={x} value={x}>
                {valueLabel(lang, 'cycle', x)}
              </option>
            ))}
          </select>
        </label>
        {publishers && publishers.length > 0 && (
          <label className="field">
            <span>{t('od.meta.publisher')}</span>
            <select value={value.publisher} onChange={(e) => set('publisher', e.target.value)} disabled={disabled} data-testid={field('publisher')}>
              <option value="">{t('od.meta.publisherOwn')}</option>
              {publishers.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <fieldset className="choice" disabled={disabled}>
        <legend>{t('od.meta.openType')}</legend>
        {(['unconditional', 'conditional'] as const).map((x) => (
          <label key={x}>
            <input type="radio" name={`${testId}-open`} checked={value.openType === x} onChange={() => set('openType', x)} data-testid={`${field('openType')}-${x}`} />
            {valueLabel(lang, 'open', x)}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('od.meta.description')}</span>
        <textarea value={value.description} required minLength={10} maxLength={5000} rows={3} onChange={(e) => set('description', e.target.value)} disabled={disabled} data-testid={field('description')} />
        <span className="hint">{t('od.meta.descriptionHelp')}</span>
      </label>
      <label className="field">
        <span>{t('od.meta.changelog')}</span>
        <input value={value.changelog} required minLength={2} maxLength={2000} placeholder={t('od.meta.changelogPlaceholder')} onChange={(e) => set('changelog', e.target.value)} disabled={disabled} data-testid={field('changelog')} />
      </label>
    </>
  );
}

/** What a form that makes a draft shows once it has one: the draft, and "send for review". */
function DraftResult({ created, onSubmitted }: { created: DraftCreated; onSubmitted: (message: string) => void }) {
  const { t } = useI18n();
  const f = useFormat();
  const [sent, setSent] = useState(false);
  const { dataset: d, version: v } = created;
  return (
    <Notice testId="od-created">
      <span>
        {t('od.pub.created', { title: d.title, id: d.id, version: v.version, rows: f.number(v.rows) })} <Link to={datasetPath(d.id)}>{t('od.pub.view')}</Link>
      </span>
      {sent ? (
        <span data-testid="od-created-sent">{t('od.pub.submitted', { title: d.title, version: v.version })}</span>
      ) : (
        <SubmitButton
          dataset={d}
          version={v.version}
          onSubmitted={(message) => {
            setSent(true);
            onSubmitted(message);
          }}
        />
      )}
    </Notice>
  );
}

/** A failed draft: a refusal by the personal-data guard is said as such, with the server's reason. */
function DraftError({ error, failed, testId }: { error: ApiError; failed: string; testId: string }) {
  const { t } = useI18n();
  // Known by the problem's code: its words are in the page's language.
  const refused = error.problem?.code === 'od.refused';
  return refused ? (
    <div className="alert" role="alert" data-testid={testId}>
      <strong>{t('od.pub.refused')}</strong>
      <span className="alert-detail" data-testid={`${testId}-detail`}>
        {error.message}
      </span>
    </div>
  ) : (
    <ActionError title={failed} error={error} testId={testId} />
  );
}

/** Whether the caller's organisation may publish from a resource its provider holds (either is within the other). */
function related(provider: string, org: string | null | undefined): boolean {
  return !!org && (provider === org || provider.startsWith(`${org}.`) || org.startsWith(`${provider}.`));
}

type Measure = NonNullable<Extract<Pipeline, { kind: 'aggregate' }>['measures']>[number];

/** A draft derived from a catalogue resource: aggregated by some fields, or some fields row by row. */
function FromResourceForm({
  me,
  reviewer,
  vocabularies,
  onCreated,
  onSubmitted,
}: {
  me: Me;
  reviewer: boolean;
  vocabularies: Vocabularies;
  onCreated: () => void;
  onSubmitted: (message: string) => void;
}) {
  const { lang, t } = useI18n();
  const catalogue = useApiGet<{ total: number; items: Resource[] }>(dcPaths.resources('', '', 200));
  const [code, setCode] = useState('');
  const [kind, setKind] = useState<Pipeline['kind']>('aggregate');
  const [groupBy, setGroupBy] = useState<string[]>([]);
  const [measures, setMeasures] = useState<Measure[]>([]);
  const [fields, setFields] = useState<string[]>([]);
  const [meta, setMeta] = useState<MetaDraft>(EMPTY_META);
  const [created, setCreated] = useState<DraftCreated | null>(null);
  const action = useAction();
  // Departments publish from what they provide; reviewers from anything.
  const offered = useMemo(() => (catalogue.data?.items ?? []).filter((r) => reviewer || related(r.provider.code, me.org?.code)), [catalogue.data, reviewer, me.org]);
  const resource = offered.find((r) => r.code === code);
  const choices = (resource?.fields ?? []).filter((x) => !x.deprecated).map((x) => ({ name: x.name, label: lang === 'en' ? x.labelEn : x.labelZh, sensitivity: x.sensitivity }));
  const numeric = (resource?.fields ?? []).filter((x) => !x.deprecated && (x.type === 'integer' || x.type === 'decimal'));

  function choose(next: string): void {
    setCode(next);
    setGroupBy([]);
    setMeasures([]);
    setFields([]);
    setCreated(null);
    action.clear();
    const r = offered.find((x) => x.code === next);
    if (!r) return;
    // Suggest what the resource already says, without overwriting what was typed.
    setMeta((m) => ({
      ...m,
      id: m.id || r.code.replace(/[._]+/g, '-').toLowerCase(),
      title: m.title || r.name,
      titleEn: m.titleEn || r.nameEn,
      description: m.description || r.abstract,
      updateFrequency: (UPDATE_FREQUENCIES as readonly string[]).includes(r.updateCycle) ? (r.updateCycle as MetaDraft['updateFrequency']) : m.updateFrequency,
      openType: r.openType === 'conditional' ? 'conditional' : m.openType,
    }));
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy || !resource) return;
    const pipeline: Pipeline = kind === 'aggregate' ? { kind, groupBy, ...(measures.length ? { measures } : {}) } : { kind, fields };
    const body: PublishFromResourceBody = { meta: toMeta(meta), resource: resource.code, pipeline, changelog: meta.changelog.trim() };
    const out = await action.run(() => api<DraftCreated>('POST', odPaths.manage, body));
    if (out) {
      setCreated(out);
      onCreated();
    }
  }

  if (catalogue.data === undefined) return <LoadState loaded={catalogue} />;
  if (offered.length === 0) {
    return (
      <p className="note" data-testid="od-derive-none">
        {t('od.derive.noResources')}
      </p>
    );
  }
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="od-derive-form" aria-busy={action.busy}>
      <label className="field">
        <span>{t('od.derive.resource')}</span>
        <select value={code} required onChange={(e) => choose(e.target.value)} disabled={action.busy} data-testid="od-derive-resource">
          <option value="">{t('od.meta.choose')}</option>
          {offered.map((r) => (
            <option key={r.code} value={r.code}>
              {`${nameIn(lang, r)} (${r.code}) · ${valueLabel(lang, 'open', r.openType)}`}
            </option>
          ))}
        </select>
        {resource && (
          <span className="hint" data-testid="od-derive-resource-hint">
            {t('od.derive.resourceHint', { provider: nameIn(lang, resource.provider), open: valueLabel(lang, 'open', resource.openType), subject: resource.subject ? valueLabel(lang, 'subject', resource.subject.kind) : '—' })}
          </span>
        )}
      </label>
      {resource && (
        <>
          <fieldset className="choice" disabled={action.busy}>
            <legend>{t('od.derive.pipeline')}</legend>
            <label>
              <input type="radio" name="od-derive-kind" checked={kind === 'aggregate'} onChange={() => setKind('aggregate')} data-testid="od-derive-aggregate" />
              {t('od.derive.aggregate')}
            </label>
            <label>
              <input type="radio" name="od-derive-kind" checked={kind === 'select'} onChange={() => setKind('select')} data-testid="od-derive-select" />
              {t('od.derive.select')}
            </label>
          </fieldset>
          <p className="hint">{kind === 'aggregate' ? t('od.derive.aggregateHelp') : t('od.derive.selectHelp')}</p>
          {kind === 'aggregate' ? (
            <>
              <FieldChecks legend={t('od.derive.groupBy')} fields={choices} selected={groupBy} onChange={setGroupBy} disabled={action.busy} testId="od-derive-group" />
              <MeasureRows measures={measures} numeric={numeric.map((x) => ({ name: x.name, label: lang === 'en' ? x.labelEn : x.labelZh }))} onChange={setMeasures} disabled={action.busy} />
            </>
          ) : (
            <FieldChecks legend={t('od.derive.fields')} fields={choices} selected={fields} onChange={setFields} disabled={action.busy} testId="od-derive-fields" />
          )}
          <MetaFields value={meta} onChange={setMeta} vocabularies={vocabularies} disabled={action.busy} testId="od-derive" />
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={action.busy || (kind === 'aggregate' ? groupBy.length === 0 : fields.length === 0)} data-testid="od-derive-submit">
              {action.busy ? t('od.derive.working') : t('od.derive.submit')}
            </button>
          </div>
        </>
      )}
      {action.error && <DraftError error={action.error} failed={t('od.derive.failed')} testId="od-derive-error" />}
      {created && <DraftResult created={created} onSubmitted={onSubmitted} />}
    </form>
  );
}

/** The sums, averages, minima or maxima published beside each group's count. */
function MeasureRows({ measures, numeric, onChange, disabled }: { measures: Measure[]; numeric: { name: string; label: string }[]; onChange: (next: Measure[]) => void; disabled: boolean }) {
  const { t } = useI18n();
  const set = (i: number, m: Measure) => onChange(measures.map((x, j) => (j === i ? m : x)));
  return (
    <fieldset className="field-checks" disabled={disabled} data-testid="od-derive-measures">
      <legend>
        {t('od.derive.measures')}
        <button type="button" className="link-button" disabled={numeric.length === 0 || measures.length >= 10} onClick={() => onChange([...measures, { fn: 'sum', field: numeric[0]!.name }])} data-testid="od-derive-measure-add">
          {t('od.derive.addMeasure')}
        </button>
      </legend>
      {numeric.length === 0 && <p className="hint">{t('od.derive.noNumeric')}</p>}
      {measures.map((m, i) => (
        <div key={i} className="toolbar od-measure">
          <select value={m.fn} onChange={(e) => set(i, { ...m, fn: e.target.value as Measure['fn'] })} aria-label={t('od.derive.fn')}>
            {(['sum', 'avg', 'min', 'max'] as const).map((fn) => (
              <option key={fn} value={fn}>
                {t(`od.fn.${fn}` as MessageKey)}
              </option>
            ))}
          </select>
          <select value={m.field} onChange={(e) => set(i, { ...m, field: e.target.value })} aria-label={t('od.derive.measureField')}>
            {numeric.map((x) => (
              <option key={x.name} value={x.name}>
                {x.label} ({x.name})
              </option>
            ))}
          </select>
          <button type="button" className="link-button" onClick={() => onChange(measures.filter((_, j) => j !== i))}>
            {t('od.derive.removeMeasure')}
          </button>
        </div>
      ))}
    </fieldset>
  );
}

/** The file types the portal reads, by what the file input offers. */
const UPLOAD_ACCEPT = '.csv,.txt,.xlsx,.ndjson,.jsonl,.json,.geojson';

type UploadState = { phase: 'idle' } | { phase: 'no-file' } | { phase: 'uploading'; progress: UploadProgress } | { phase: 'working' } | { phase: 'failed'; error: ApiError } | { phase: 'done'; created: DraftCreated };

/** A draft from a file, posted as the raw request body with the metadata in the query. */
function UploadForm({ me, reviewer, vocabularies, onCreated, onSubmitted }: { me: Me; reviewer: boolean; vocabularies: Vocabularies; onCreated: () => void; onSubmitted: (message: string) => void }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const [file, setFile] = useState<File | null>(null);
  const [meta, setMeta] = useState<MetaDraft>(EMPTY_META);
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const [inputKey, setInputKey] = useState(0);
  const fileRef = useRef<HTMLInputElement>(null);
  const busy = state.phase === 'uploading' || state.phase === 'working';
  // Reviewers may upload for any department; others publish for their own.
  const orgs = useApiGet<{ code: string; name: string; nameEn: string; kind: string }[]>(reviewer ? xcPaths.orgs : null);
  const publishers = useMemo(
    () => (orgs.data ?? []).filter((o) => o.kind === 'department' && o.code !== me.org?.code).map((o) => ({ code: o.code, name: nameIn(lang, o) })),
    [orgs.data, me.org, lang],
  );

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    if (!file) {
      setState({ phase: 'no-file' });
      fileRef.current?.focus();
      return;
    }
    setState({ phase: 'uploading', progress: { sent: 0, total: file.size } });
    try {
      const created = await uploadRaw<DraftCreated>(odPaths.upload(file.name, meta.changelog.trim(), toMeta(meta)), file, 'application/octet-stream', (progress) =>
        setState(progress.sent >= progress.total ? { phase: 'working' } : { phase: 'uploading', progress }),
      );
      setState({ phase: 'done', created });
      setFile(null);
      setInputKey((k) => k + 1);
      onCreated();
    } catch (error) {
      setState({ phase: 'failed', error: error instanceof ApiError ? error : new ApiError(String(error), 0) });
    }
  }

  let progress: ReactNode = null;
  if (state.phase === 'uploading') {
    const { sent, total } = state.progress;
    progress = t('dc.up.uploading', { percent: total > 0 ? Math.floor((sent / total) * 100) : 0, sent: f.bytes(sent), total: f.bytes(total) });
  } else if (state.phase === 'working') progress = t('od.upload.working');

  return (
    <form className="upload-form" onSubmit={(e) => void submit(e)} data-testid="od-upload-form" aria-busy={busy}>
      <label className="field">
        <span>{t('dc.up.file')}</span>
        <input
          key={inputKey}
          ref={fileRef}
          type="file"
          accept={UPLOAD_ACCEPT}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            if (state.phase === 'failed' || state.phase === 'no-file' || state.phase === 'done') setState({ phase: 'idle' });
          }}
          disabled={busy}
          data-testid="od-upload-file"
        />
        <span className="hint">{file ? t('dc.up.chosen', { name: file.name, size: f.bytes(file.size) }) : t('od.upload.formats')}</span>
      </label>
      <MetaFields value={meta} onChange={setMeta} vocabularies={vocabularies} publishers={reviewer ? publishers : undefined} disabled={busy} testId="od-upload" />
      <div className="upload-actions">
        <button type="submit" className="button primary" disabled={busy} aria-busy={busy} data-testid="od-upload-submit">
          {busy ? t('od.upload.busy') : t('od.upload.submit')}
        </button>
        <span className="upload-progress" aria-live="polite" data-testid="od-upload-status">
          {busy && <span className="spinner small" aria-hidden="true" />} {progress}
        </span>
      </div>
      {state.phase === 'uploading' && <progress className="upload-bar" max={state.progress.total || 1} value={state.progress.sent} />}
      {state.phase === 'no-file' && (
        <div className="alert" role="alert" data-testid="od-upload-error">
          <strong>{t('dc.up.noFile')}</strong>
        </div>
      )}
      {state.phase === 'failed' && <DraftError error={state.error} failed={t('od.upload.failed')} testId="od-upload-error" />}
      {state.phase === 'done' && <DraftResult created={state.created} onSubmitted={onSubmitted} />}
    </form>
  );
}
