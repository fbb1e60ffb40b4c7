// Change subscriptions in the department workbench: the department's webhooks on the channels it
// uses, their deliveries, replay and cancellation, and a new subscription whose signing secret
// is shown once (it lives in this page's state only and is gone when the page is left).
import { Fragment, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, type Me } from './api';
import { useApiGet } from './dc-api';
import { useFormat, type Formatters } from './format';
import { useI18n } from './i18n';
import { Link } from './router';
import { ActionError, ConfirmForm, FormRow, ListTable, LoadedSection, LoadState, Notice, RefreshButton, type ColumnHead } from './ui';
import {
  JOURNAL_START,
  useAction,
  useCatalogueNames,
  useOrgNames,
  within,
  xcPaths,
  type CatalogueNames,
  type Channel,
  type CreatedSubscription,
  type Delivery,
  type NewSubscriptionBody,
  type Subscription,
} from './xc-api';
import { ChannelStatePill, joinList, xcLabel } from './xc-parts';

/** How many of a subscription's latest deliveries are listed (the server keeps more). */
const DELIVERIES_SHOWN = 20;

/** The department's subscriptions, and the form for a new one. */
export function SubscriptionsPage({ me }: { me: Me }) {
  const { lang, t } = useI18n();
  const subscriptions = useApiGet<Subscription[]>(xcPaths.subscriptions);
  const channels = useApiGet<Channel[]>(xcPaths.channels);
  const names = useCatalogueNames(lang);
  const orgName = useOrgNames(lang);
  const [created, setCreated] = useState<CreatedSubscription | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const myOrg = me.org?.code;
  const channelById = useMemo(() => new Map((channels.data ?? []).map((c) => [c.id, c])), [channels.data]);
  // Only the channels the department uses may be subscribed to, and only while they are live.
  const subscribable = useMemo(() => (channels.data ?? []).filter((c) => c.live && within(c.consumerOrg, myOrg)), [channels.data, myOrg]);

  return (
    <>
      <LoadedSection headingId="xc-subs-h" title={t('xc.subscriptions')} help={t('xc.subs.help')} loaded={subscriptions} refreshTestId="xc-refresh">
        {(items) => (
          <>
            {done && <Notice testId="xc-sub-done">{done}</Notice>}
            <SubscriptionTable
              subscriptions={items}
              channelById={channelById}
              names={names}
              orgName={orgName}
              onChanged={(message) => {
                setDone(message);
                subscriptions.reload();
              }}
            />
          </>
        )}
      </LoadedSection>
      <section className="section panel" aria-labelledby="xc-sub-new-h">
        <h2 id="xc-sub-new-h">{t('xc.sub.new')}</h2>
        {created ? (
          <SecretBox created={created} onDone={() => setCreated(null)} />
        ) : (
          <>
            <p className="muted small">{t('xc.sub.newHelp')}</p>
            <LoadState loaded={channels} />
            {channels.data !== undefined &&
              (subscribable.length === 0 ? (
                <p className="note" data-testid="xc-sub-no-channels">
                  {t('xc.sub.noChannels')} <Link to="/department/ask">{t('xc.ask')}</Link>
                </p>
              ) : (
                <NewSubscriptionForm
                  channels={subscribable}
                  names={names}
                  orgName={orgName}
                  onCreated={(out) => {
                    setDone(null);
                    setCreated(out);
                    subscriptions.reload();
                  }}
                />
              ))}
          </>
        )}
      </section>
    </>
  );
}

/** What a row has open under it: a form (replay, cancel) or its deliveries. */
type Opened = { id: string; what: 'replay' | 'cancel' | 'deliveries' } | null;

/** Subscriptions as a table, each with its actions and, on demand, its latest deliveries. */
function SubscriptionTable({
  subscriptions,
  channelById,
  names,
  orgName,
  onChanged,
}: {
  subscriptions: readonly Subscription[];
  channelById: ReadonlyMap<string, Channel>;
  names: CatalogueNames;
  orgName: (code: string | null | undefined) => string;
  onChanged: (message: string) => void;
}) {
  const { t } = useI18n();
  const f = useFormat();
  const [opened, setOpened] = useState<Opened>(null);
  const columns: ColumnHead[] = [
    t('xc.col.resource'),
    t('xc.col.channel'),
    t('xc.col.webhook'),
    t('xc.col.statusNext'),
    { label: t('xc.col.delivered'), num: true },
    t('xc.col.failures'),
    { label: t('xc.col.actions'), hidden: true },
  ];
  const toggle = (id: string, what: 'replay' | 'cancel' | 'deliveries') => setOpened((o) => (o?.id === id && o.what === what ? null : { id, what }));
  const finished = (message: string) => {
    setOpened(null);
    onChanged(message);
  };

  return (
    <ListTable rows={subscriptions} columns={columns} empty={t('xc.subs.none')} emptyTestId="xc-subs-empty" testId="xc-subs">
      {(s) => {
        const channel = channelById.get(s.channelId);
        const open = opened?.id === s.id ? opened.what : null;
        const cancelled = s.status === 'cancelled';
        return (
          <Fragment key={s.id}>
            <tr data-testid="xc-sub-row" data-id={s.id} data-status={s.status}>
              <td>
                <span className="resource-name">{names.resource(s.resource)}</span>
                <div className="code nowrap">{s.id}</div>
                <div className="sub">{t('xc.sub.created', { time: f.dateTime(s.createdAt) })}</div>
              </td>
              <td>
                <span className="code nowrap">{s.channelId}</span>
                {channel && <div className="sub">{t('xc.dir.from', { org: orgName(channel.providerOrg) })}</div>}
                {channel && !channel.live && <ChannelStatePill channel={channel} />}
              </td>
              <td className="url-cell">
                <span className="code" data-testid="xc-sub-url">
                  {s.url}
                </span>
              </td>
              <td>
                <SubscriptionStatusPill status={s.status} />
                <div className="sub" data-testid="xc-sub-next">
                  {nextAttempt(s, t, f)}
                </div>
              </td>
              <td className="num">
                <span data-testid="xc-sub-delivered">{f.number(s.delivered)}</span>
                <div className="sub nowrap">
                  {t('xc.col.cursor')} <span className="code" data-testid="xc-sub-cursor">{s.cursor}</span>
                </div>
              </td>
              <td data-testid="xc-sub-failures">
                {s.attempts > 0 && t('xc.sub.failures', { count: s.attempts })}
                {s.attempts === 0 && !s.lastError && '—'}
                {s.lastError && <div className="sub message">{s.lastError}</div>}
              </td>
              <td>
                <div className="row-actions">
                  {!cancelled && (
                    <>
                      <button type="button" className="button small" aria-expanded={open === 'replay'} onClick={() => toggle(s.id, 'replay')} data-testid="xc-sub-replay">
                        {t('xc.sub.replay')}
                      </button>
                      <button type="button" className="button small" aria-expanded={open === 'cancel'} onClick={() => toggle(s.id, 'cancel')} data-testid="xc-sub-cancel">
                        {t('xc.sub.cancel')}
                      </button>
                    </>
                  )}
                  <button type="button" className="link-button" aria-expanded={open === 'deliveries'} onClick={() => toggle(s.id, 'deliveries')} data-testid="xc-sub-deliveries-toggle">
                    {open === 'deliveries' ? t('xc.sub.hideDeliveries') : t('xc.sub.deliveries')}
                  </button>
                </div>
              </td>
            </tr>
            {open === 'replay' && !cancelled && (
              <FormRow columns={columns.length}>
                <ReplayForm subscription={s} onCancel={() => setOpened(null)} onDone={finished} />
              </FormRow>
            )}
            {open === 'cancel' && !cancelled && (
              <FormRow columns={columns.length}>
                <CancelForm subscription={s} onCancel={() => setOpened(null)} onDone={finished} />
              </FormRow>
            )}
            {open === 'deliveries' && (
              <FormRow columns={columns.length}>
                <DeliveryList id={s.id} />
              </FormRow>
            )}
          </Fragment>
        );
      }}
    </ListTable>
  );
}

/**
 * When the next delivery is due, as a reader would put it: an idle active subscription waits for
 * the next journal entry (the server sets it an hour ahead, but a change wakes it at once), and a
 * parked one waits for a replay.
 */
function nextAttempt(s: Subscription, t: ReturnType<typeof useI18n>['t'], f: Formatters): string {
  if (s.status === 'cancelled') return '';
  if (s.status === 'parked') return t('xc.sub.next.parked');
  if (s.attempts > 0) return t('xc.sub.next.retry', { time: f.dateTime(s.nextAttemptAt) });
  return Date.parse(s.nextAttemptAt) <= Date.now() ? t('xc.sub.next.now') : t('xc.sub.next.onChange');
}

/** A subscription's status as a coloured pill. */
function SubscriptionStatusPill({ status }: { status: string }) {
  const { lang } = useI18n();
  return (
    <span className={`pill xc-sub-${status}`} data-testid="xc-sub-status">
      {xcLabel(lang, 'sub.status', status)}
    </span>
  );
}

/** Replay from where it stopped (no cursor sent) or from the start of the journal. */
function ReplayForm({ subscription: s, onCancel, onDone }: { subscription: Subscription; onCancel: () => void; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const [from, setFrom] = useState<'stopped' | 'start'>('stopped');
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    const updated = await action.run(() => api<Subscription>('POST', xcPaths.replay(s.id), from === 'start' ? { from: JOURNAL_START } : {}));
    if (updated) onDone(t('xc.sub.replayDone', { id: s.id, cursor: updated.cursor }));
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="xc-sub-replay-form" aria-busy={action.busy}>
      <fieldset className="choice" disabled={action.busy}>
        <legend>{t('xc.sub.replayLegend', { id: s.id })}</legend>
        <label>
          <input type="radio" name={`replay-${s.id}`} checked={from === 'stopped'} onChange={() => setFrom('stopped')} autoFocus data-testid="xc-sub-replay-stopped" />
          {t('xc.sub.replayStopped', { cursor: s.cursor })}
        </label>
        <label>
          <input type="radio" name={`replay-${s.id}`} checked={from === 'start'} onChange={() => setFrom('start')} data-testid="xc-sub-replay-start" />
          {t('xc.sub.replayStart')}
        </label>
      </fieldset>
      <p className="hint">{t('xc.sub.replayHelp')}</p>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={action.busy} data-testid="xc-sub-replay-submit">
          {action.busy ? t('xc.sending') : t('xc.sub.replaySubmit')}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={action.busy}>
          {t('xc.cancel')}
        </button>
      </div>
      {action.error && <ActionError title={t('xc.sub.replayFailed')} error={action.error} testId="xc-sub-replay-error" />}
    </form>
  );
}

/** Cancelling is for good, so it is confirmed first. */
function CancelForm({ subscription: s, onCancel, onDone }: { subscription: Subscription; onCancel: () => void; onDone: (message: string) => void }) {
  const { t } = useI18n();
  return (
    <ConfirmForm
      text={t('xc.sub.cancelText', { id: s.id })}
      confirmLabel={t('xc.sub.cancelConfirm')}
      keepLabel={t('xc.sub.keep')}
      failedTitle={t('xc.sub.cancelFailed')}
      testId="xc-sub-cancel"
      run={() => api<Subscription>('POST', xcPaths.cancelSubscription(s.id))}
      onCancel={onCancel}
      onDone={() => onDone(t('xc.sub.cancelDone', { id: s.id }))}
    />
  );
}

/** A subscription's latest delivery attempts, newest first. */
function DeliveryList({ id }: { id: string }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const deliveries = useApiGet<Delivery[]>(xcPaths.deliveries(id));
  return (
    <div className="deliveries" data-testid="xc-sub-deliveries">
      <div className="deliveries-head">
        <strong>{t('xc.sub.deliveriesTitle', { id, count: DELIVERIES_SHOWN })}</strong>
        <RefreshButton loading={deliveries.loading} onRefresh={deliveries.reload} />
      </div>
      <LoadState loaded={deliveries} />
      {deliveries.data && (
        <ListTable
          rows={deliveries.data.slice(0, DELIVERIES_SHOWN)}
          columns={[
            t('xc.col.time'),
            t('xc.col.cursorRange'),
            { label: t('xc.col.changes'), num: true },
            { label: t('xc.col.statusCode'), num: true },
            t('xc.col.outcome'),
            t('xc.col.error'),
          ]}
          compact
          empty={t('xc.sub.deliveriesNone')}
          emptyTestId="xc-sub-deliveries-empty"
        >
          {(d) => (
            <tr key={`${d.attemptedAt}-${d.fromCursor}-${d.outcome}`} data-testid="xc-delivery-row" data-outcome={d.outcome}>
              <td className="nowrap">{f.dateTime(d.attemptedAt)}</td>
              <td className="code nowrap">
                {d.fromCursor} → {d.toCursor}
              </td>
              <td className="num">{f.number(d.changes)}</td>
              <td className="num">{d.statusCode ?? '—'}</td>
              <td>
                <span className={`pill xc-delivery-${d.outcome}`}>{xcLabel(lang, 'delivery', d.outcome)}</span>
              </td>
              <td className="sub message">{d.error ?? '—'}</td>
            </tr>
          )}
        </ListTable>
      )}
    </div>
  );
}

/** The channel, the webhook and where to start; the answer carries the secret, shown once. */
function NewSubscriptionForm({
  channels,
  names,
  orgName,
  onCreated,
}: {
  channels: readonly Channel[];
  names: CatalogueNames;
  orgName: (code: string | null | undefined) => string;
  onCreated: (created: CreatedSubscription) => void;
}) {
  const { lang, t } = useI18n();
  const [channelId, setChannelId] = useState('');
  const [url, setUrl] = useState('');
  const [from, setFrom] = useState<'now' | 'start'>('now');
  const action = useAction();
  const chosen = channels.find((c) => c.id === channelId);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    const body: NewSubscriptionBody = { channelId, url: url.trim(), from };
    const created = await action.run(() => api<CreatedSubscription>('POST', xcPaths.subscriptions, body));
    if (created) {
      setChannelId('');
      setUrl('');
      setFrom('now');
      onCreated(created);
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="xc-sub-form" aria-busy={action.busy}>
      <div className="form-grid">
        <label className="field">
          <span>{t('xc.sub.channel')}</span>
          <select value={channelId} required onChange={(e) => setChannelId(e.target.value)} disabled={action.busy} data-testid="xc-sub-channel">
            <option value="">{t('xc.sub.choose')}</option>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {names.resource(c.resource)} · {orgName(c.providerOrg)} · {c.id}
              </option>
            ))}
          </select>
          {chosen && (
            <span className="hint" data-testid="xc-sub-fields">
              {t('xc.sub.fields', { fields: joinList(lang, chosen.fields.map((x) => names.field(chosen.resource, x))) })}
            </span>
          )}
        </label>
        <label className="field">
          <span>{t('xc.sub.url')}</span>
          <input
            type="url"
            value={url}
            required
            minLength={8}
            maxLength={2000}
            placeholder="https://example.gov.cn/ludao/webhook"
            spellCheck={false}
            onChange={(e) => setUrl(e.target.value)}
            disabled={action.busy}
            data-testid="xc-sub-url-input"
          />
          <span className="hint">{t('xc.sub.urlHelp')}</span>
        </label>
      </div>
      <fieldset className="choice" disabled={action.busy}>
        <legend>{t('xc.sub.fromLegend')}</legend>
        <label>
          <input type="radio" name="sub-from" checked={from === 'now'} onChange={() => setFrom('now')} data-testid="xc-sub-from-now" />
          {t('xc.sub.fromNow')}
        </label>
        <label>
          <input type="radio" name="sub-from" checked={from === 'start'} onChange={() => setFrom('start')} data-testid="xc-sub-from-start" />
          {t('xc.sub.fromStart')}
        </label>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={action.busy} data-testid="xc-sub-submit">
          {action.busy ? t('xc.sending') : t('xc.sub.submit')}
        </button>
      </div>
      {action.error && <ActionError title={t('xc.sub.failed')} error={action.error} testId="xc-sub-form-error" />}
    </form>
  );
}

// A sketch of the check in Node.js, for the developers of the receiving system; the steps above
// say the same in words.
const VERIFY_SNIPPET = `// Node.js: rawBody is the request body exactly as received
const sig = Object.fromEntries(req.headers['x-ludao-signature'].split(',').map((p) => p.split('=')));
const mac = crypto.createHmac('sha256', SECRET).update(\`\${sig.t}.\${rawBody}\`).digest('hex');
const ok = Math.abs(Date.now() / 1000 - Number(sig.t)) < 300
  && mac.length === sig.v1?.length
  && crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(sig.v1));`;

/** The new subscription's signing secret, with a way to copy it and how to verify signatures. */
function SecretBox({ created, onDone }: { created: CreatedSubscription; onDone: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const input = useRef<HTMLInputElement>(null);

  async function copy(): Promise<void> {
    try {
      // The clipboard is undefined outside a secure context (plain http on an intranet name):
      // that throws here too, and the secret is selected for Ctrl+C instead.
      await navigator.clipboard.writeText(created.secret);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('failed');
    }
  }

  return (
    <div className="secret-box" role="region" aria-labelledby="xc-sub-secret-h" data-testid="xc-sub-secret" data-id={created.subscription.id}>
      <h3 id="xc-sub-secret-h" className="secret-title">
        {t('xc.secret.title')}
      </h3>
      <p className="secret-lead">
        <strong>{t('xc.secret.lead', { id: created.subscription.id })}</strong>
      </p>
      <div className="field">
        <label htmlFor="xc-sub-secret-value">{t('xc.secret.label')}</label>
        <div className="secret-value">
          <input ref={input} id="xc-sub-secret-value" readOnly value={created.secret} spellCheck={false} autoFocus onFocus={(e) => e.currentTarget.select()} data-testid="xc-sub-secret-value" />
          <button type="button" className="button" onClick={() => void copy()} data-testid="xc-sub-secret-copy">
            {copied === 'yes' ? t('xc.secret.copied') : t('xc.secret.copy')}
          </button>
        </div>
        <span className="hint" aria-live="polite">
          {copied === 'failed' ? t('xc.secret.copyFailed') : t('xc.secret.copyHint')}
        </span>
      </div>
      <div>
        <strong>{t('xc.secret.verifyTitle')}</strong>
        <ol className="secret-steps">
          <li>{t('xc.secret.verify1')}</li>
          <li>{t('xc.secret.verify2')}</li>
          <li>{t('xc.secret.verify3')}</li>
          <li>{t('xc.secret.verify4')}</li>
        </ol>
        <pre className="snippet">{VERIFY_SNIPPET}</pre>
      </div>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={onDone} data-testid="xc-sub-secret-done">
          {t('xc.secret.done')}
        </button>
      </div>
    </div>
  );
}
