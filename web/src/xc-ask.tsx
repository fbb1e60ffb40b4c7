// "Ask for data": find a resource, see what the catalogue's sharing type allows, and either open a
// channel (unconditional), submit a request (conditional) or read why it is not shared.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, type Me } from './api';
import { valueLabel } from './dc-batches';
import { dcPaths, useApiGet, type Resource } from './dc-api';
import { useFormat } from './format';
import { useI18n } from './i18n';
import { Link, navigate } from './router';
import { ActionError, LoadError, Loading, LoadState, Notice } from './ui';
import { chinaDay, nameIn, useAction, useOrgNames, within, xcPaths, type Action, type Channel, type NewChannelBody, type NewRequestBody, type ResourceAccess, type SharingRequest } from './xc-api';
import { FieldChecks, joinList, requestPath, type FieldChoice } from './xc-parts';

const SEARCH_DELAY_MS = 250;
const SUGGESTIONS = 8;

/** The page: a search for the resource, then what may be done with it. */
export function AskPage({ me }: { me: Me }) {
  const { lang, t } = useI18n();
  const [initial] = useState(() => new URLSearchParams(window.location.search).get('resource')?.trim() ?? '');
  const [q, setQ] = useState(initial);
  const [query, setQuery] = useState(initial);
  const [code, setCode] = useState(initial);

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(q.trim()), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [q]);

  // The chosen resource lives in the address, so a reload (or a link) finds it again.
  useEffect(() => {
    const url = `${window.location.pathname}${code ? `?resource=${encodeURIComponent(code)}` : ''}`;
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, '', url);
  }, [code]);

  const searching = query !== '' && query !== code;
  const results = useApiGet<{ total: number; items: Resource[] }>(searching ? dcPaths.resources(query, '', SUGGESTIONS) : null);

  function choose(chosen: string): void {
    setQ(chosen);
    setQuery(chosen);
    setCode(chosen);
  }

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const typed = q.trim();
    // A typed code is taken as it is; words pick the first match of the search.
    const first = results.data?.items[0]?.code;
    choose(/^[a-z][a-z0-9_]*\.[a-z0-9_.]+$/.test(typed) || !first ? typed : first);
  }

  return (
    <section className="section" aria-labelledby="xc-ask-h">
      <div className="section-head">
        <h2 id="xc-ask-h">{t('xc.ask')}</h2>
      </div>
      <p className="muted small">{t('xc.ask.help')}</p>
      <form className="toolbar" role="search" onSubmit={submit}>
        <label className="field grow">
          <span>{t('xc.ask.resource')}</span>
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('xc.ask.placeholder')} required maxLength={200} spellCheck={false} data-testid="xc-ask-search" />
        </label>
        <button type="submit" className="button" data-testid="xc-ask-go">
          {t('xc.ask.go')}
        </button>
      </form>
      {searching && (
        <div className="suggestions" data-testid="xc-ask-results">
          <LoadState loaded={results} />
          {results.data && results.data.items.length === 0 && <p className="empty">{t('dc.cat.none')}</p>}
          {results.data && results.data.items.length > 0 && (
            <ul className="suggestion-list">
              {results.data.items.map((r) => (
                <li key={r.code}>
                  <button type="button" className="suggestion" onClick={() => choose(r.code)} data-testid="xc-ask-result" data-code={r.code}>
                    <span className="suggestion-name">{nameIn(lang, r)}</span>
                    <span className="code">{r.code}</span>
                    <span className="muted small">{nameIn(lang, r.provider)}</span>
                    <span className={`pill sharing-${r.sharingType}`}>{valueLabel(lang, 'sharing', r.sharingType)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {code && <AccessPanel key={code} code={code} me={me} />}
    </section>
  );
}

/** What the department may do with one resource, and the form that fits its sharing type. */
function AccessPanel({ code, me }: { code: string; me: Me }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const access = useApiGet<ResourceAccess>(xcPaths.access(code));
  const catalogue = useApiGet<Resource>(dcPaths.resource(code));
  const orgName = useOrgNames(lang);
  const [opened, setOpened] = useState<Channel | null>(null);
  const a = access.data;

  if (access.error) {
    return access.error.status === 404 ? (
      <div className="alert" role="alert" data-testid="xc-ask-missing">
        <strong>{t('dc.res.notFound', { code })}</strong>
      </div>
    ) : (
      <LoadError message={access.error.message} onRetry={access.reload} testId="xc-ask-error" />
    );
  }
  if (!a) return <Loading />;

  const name = catalogue.data ? nameIn(lang, catalogue.data) : a.name;
  const fields: FieldChoice[] = a.fields.filter((x) => !x.deprecated).map((x) => ({ name: x.name, label: lang === 'en' ? x.labelEn : x.labelZh, sensitivity: x.sensitivity }));
  const label = (field: string) => fields.find((x) => x.name === field)?.label ?? field;
  const ours = within(me.org?.code, a.providerOrg);
  const live = a.channels.filter((c) => c.live);

  return (
    <div className="panel access" data-testid="xc-access" data-sharing={a.sharingType}>
      <header className="resource-head">
        <h3 className="resource-title" data-testid="xc-access-name">
          {name}
          <span className={`pill sharing-${a.sharingType}`} data-testid="xc-access-sharing">
            {valueLabel(lang, 'sharing', a.sharingType)}
          </span>
        </h3>
        <p className="code">{a.resource}</p>
      </header>
      <dl className="meta">
        <div>
          <dt>{t('dc.meta.provider')}</dt>
          <dd>{orgName(a.providerOrg)}</dd>
        </div>
        {a.sharingCondition && (
          <div>
            <dt>{t('dc.meta.sharingCondition')}</dt>
            <dd data-testid="xc-access-condition">{lang === 'en' ? (a.sharingConditionEn ?? a.sharingCondition) : a.sharingCondition}</dd>
          </div>
        )}
      </dl>

      {live.length > 0 && (
        <div className="notice" data-testid="xc-access-channels">
          <strong>{t('xc.ask.haveChannels', { count: live.length })}</strong>
          <ul>
            {live.map((c) => (
              <li key={c.id}>
                <span className="code">{c.id}</span> · {joinList(lang, c.fields.map(label))} · {t('xc.validUntil', { date: f.day(c.validUntil) })}
              </li>
            ))}
          </ul>
          <Link to="/department/channels">{t('xc.ask.seeChannels')}</Link>
        </div>
      )}
      {a.openRequests.length > 0 && (
        <div className="notice" data-testid="xc-access-requests">
          <strong>{t('xc.ask.openRequests', { count: a.openRequests.length })}</strong>{' '}
          {a.openRequests.map((id) => (
            <Link key={id} to={requestPath(id)} className="code request-ref">
              {id}
            </Link>
          ))}
        </div>
      )}

      {a.sharingType === 'not_shared' ? (
        <div className="alert" role="note" data-testid="xc-not-shared">
          <strong>{t('xc.ask.notShared')}</strong>
          <span className="alert-detail">{t('xc.ask.legalBasis', { basis: a.legalBasis ?? t('xc.ask.noBasis') })}</span>
        </div>
      ) : ours ? (
        <p className="note" data-testid="xc-ask-ours">
          {t('xc.ask.ours')}
        </p>
      ) : a.sharingType === 'unconditional' ? (
        <>
          {opened && (
            <Notice testId="xc-channel-opened">
              {t('xc.open.done', { id: opened.id })} <Link to="/department/channels">{t('xc.ask.seeChannels')}</Link>
            </Notice>
          )}
          <ChannelForm
            code={a.resource}
            fields={fields}
            onOpened={(channel) => {
              setOpened(channel);
              access.reload();
            }}
          />
        </>
      ) : (
        <RequestForm code={a.resource} fields={fields} onSubmitted={(request) => navigate(requestPath(request.id))} />
      )}
    </div>
  );
}

/** Items, purpose and system: what both forms ask, and whether items are missing. */
function useCommonFields() {
  const [fields, setFields] = useState<string[]>([]);
  const [purpose, setPurpose] = useState('');
  const [systemName, setSystemName] = useState('');
  const [missing, setMissing] = useState(false);
  return { fields, setFields, purpose, setPurpose, systemName, setSystemName, missing, setMissing };
}

/** The part of the body both forms send; the system only when one is named. */
function commonBody(form: CommonFields, resource: string): Pick<NewChannelBody, 'resource' | 'purpose' | 'fields' | 'systemName'> {
  const systemName = form.systemName.trim();
  return { resource, purpose: form.purpose.trim(), fields: form.fields, ...(systemName ? { systemName } : {}) };
}

/** Unconditional: open a channel at once, naming the purpose and the items wanted. */
function ChannelForm({ code, fields: choices, onOpened }: { code: string; fields: FieldChoice[]; onOpened: (channel: Channel) => void }) {
  const { t } = useI18n();
  const form = useCommonFields();
  const [until, setUntil] = useState('');
  const action = useAction();

  async function send(): Promise<void> {
    const body: NewChannelBody = commonBody(form, code);
    if (until) body.validUntil = until;
    const channel = await action.run(() => api<Channel>('POST', xcPaths.channels, body));
    if (channel) {
      form.setFields([]);
      form.setPurpose('');
      onOpened(channel);
    }
  }

  return (
    <AskForm form={form} action={action} choices={choices} testId="xc-channel" title={t('xc.open.title')} help={t('xc.open.help')} submit={t('xc.open.submit')} failed={t('xc.open.failed')} onSend={send}>
      <div className="form-grid">
        <label className="field">
          <span>{t('xc.form.validUntilOptional')}</span>
          <input type="date" value={until} min={chinaDay(1)} onChange={(e) => setUntil(e.target.value)} disabled={action.busy} data-testid="xc-form-until" />
          <span className="hint">{t('xc.open.untilHelp')}</span>
        </label>
        <SystemField form={form} disabled={action.busy} />
      </div>
    </AskForm>
  );
}

/** Conditional: a request the provider answers within ten working days. */
function RequestForm({ code, fields: choices, onSubmitted }: { code: string; fields: FieldChoice[]; onSubmitted: (request: SharingRequest) => void }) {
  const { t } = useI18n();
  const form = useCommonFields();
  const [legalBasis, setLegalBasis] = useState('');
  const [callsPerDay, setCallsPerDay] = useState('');
  const [until, setUntil] = useState(() => chinaDay(365));
  const action = useAction();

  async function send(): Promise<void> {
    const body: NewRequestBody = { ...commonBody(form, code), legalBasis: legalBasis.trim(), expectedCallsPerDay: Number(callsPerDay), validUntil: until };
    const request = await action.run(() => api<SharingRequest>('POST', xcPaths.newRequest, body));
    if (request) onSubmitted(request);
  }

  return (
    <AskForm form={form} action={action} choices={choices} testId="xc-request" title={t('xc.submit.title')} help={t('xc.submit.help')} submit={t('xc.submit.submit')} failed={t('xc.submit.failed')} onSend={send}>
      <label className="field">
        <span>{t('xc.req.legalBasis')}</span>
        <textarea value={legalBasis} required minLength={4} maxLength={1000} rows={2} onChange={(e) => setLegalBasis(e.target.value)} disabled={action.busy} placeholder={t('xc.form.legalBasisPlaceholder')} data-testid="xc-form-basis" />
      </label>
      <div className="form-grid">
        <label className="field">
          <span>{t('xc.req.callsPerDay')}</span>
          <input type="number" inputMode="numeric" required min={1} max={100_000_000} step={1} value={callsPerDay} onChange={(e) => setCallsPerDay(e.target.value)} disabled={action.busy} data-testid="xc-form-calls" />
        </label>
        <label className="field">
          <span>{t('xc.req.requestedUntil')}</span>
          <input type="date" required value={until} min={chinaDay(1)} onChange={(e) => setUntil(e.target.value)} disabled={action.busy} data-testid="xc-form-until" />
        </label>
        <SystemField form={form} disabled={action.busy} />
      </div>
    </AskForm>
  );
}

/**
 * What both forms are around their own fields: title and help, the items and the purpose first,
 * the submit button and the server's refusal last; `onSend` runs once items are chosen. Test ids:
 * `<testId>-form`, `<testId>-submit`.
 */
function AskForm({
  form,
  action,
  choices,
  testId,
  title,
  help,
  submit: submitLabel,
  failed,
  onSend,
  children,
}: {
  form: CommonFields;
  action: Action;
  choices: FieldChoice[];
  testId: string;
  title: string;
  help: string;
  submit: string;
  failed: string;
  onSend: () => Promise<void>;
  children: ReactNode;
}) {
  const { t } = useI18n();

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (action.busy) return;
    if (form.fields.length === 0) {
      form.setMissing(true);
      return;
    }
    void onSend();
  }

  return (
    <form className="form" onSubmit={submit} data-testid={`${testId}-form`} aria-busy={action.busy}>
      <h4>{title}</h4>
      <p className="muted small">{help}</p>
      <FieldPicker choices={choices} form={form} disabled={action.busy} />
      <PurposeField form={form} disabled={action.busy} />
      {children}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={action.busy} data-testid={`${testId}-submit`}>
          {action.busy ? t('xc.sending') : submitLabel}
        </button>
      </div>
      {action.error && <ActionError title={failed} error={action.error} testId="xc-form-error" />}
    </form>
  );
}

type CommonFields = ReturnType<typeof useCommonFields>;

function FieldPicker({ choices, form, disabled }: { choices: FieldChoice[]; form: CommonFields; disabled: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <FieldChecks
        legend={t('xc.form.fields')}
        fields={choices}
        selected={form.fields}
        onChange={(next) => {
          form.setFields(next);
          form.setMissing(false);
        }}
        disabled={disabled}
        testId="xc-form-fields"
      />
      {form.missing && (
        <p className="field-error" role="alert">
          {t('xc.form.chooseFields')}
        </p>
      )}
    </>
  );
}

function PurposeField({ form, disabled }: { form: CommonFields; disabled: boolean }) {
  const { t } = useI18n();
  return (
    <label className="field">
      <span>{t('xc.req.purpose')}</span>
      <textarea value={form.purpose} required minLength={4} maxLength={500} rows={2} onChange={(e) => form.setPurpose(e.target.value)} disabled={disabled} placeholder={t('xc.form.purposePlaceholder')} data-testid="xc-form-purpose" />
    </label>
  );
}

function SystemField({ form, disabled }: { form: CommonFields; disabled: boolean }) {
  const { t } = useI18n();
  return (
    <label className="field">
      <span>{t('xc.form.system')}</span>
      <input value={form.systemName} maxLength={100} onChange={(e) => form.setSystemName(e.target.value)} disabled={disabled} data-testid="xc-form-system" />
      <span className="hint">{t('xc.form.systemHelp')}</span>
    </label>
  );
}
