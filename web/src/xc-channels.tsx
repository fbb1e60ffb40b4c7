// The department's channels (what it may call, and what others may call of its data), with
// revocation, and the recent calls through them.
import { Fragment, useState, type FormEvent } from 'react';
import { api, type Me } from './api';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n } from './i18n';
import { Link } from './router';
import { ActionError, LoadError, Loading } from './ui';
import { reviewsRequests, useAction, useCatalogueNames, useOrgNames, within, xcPaths, type Call, type Channel } from './xc-api';
import { ChannelStatePill, joinList, OutcomePill, requestPath, xcLabel } from './xc-parts';

/** Whether this user may revoke a channel: its consumer, its provider's administrator, an operator. */
function mayRevoke(me: Me, channel: Channel): boolean {
  if (!channel.live) return false;
  const org = me.org?.code;
  return me.roles.includes('operator') || within(channel.consumerOrg, org) || (within(channel.providerOrg, org) && reviewsRequests(me));
}

/** Channels the department consumes or provides, newest first. */
export function ChannelsPage({ me }: { me: Me }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const channels = useApiGet<Channel[]>(xcPaths.channels);
  const orgName = useOrgNames(lang);
  const names = useCatalogueNames(lang);
  const [revoking, setRevoking] = useState<string | null>(null);
  const items = channels.data;
  const myOrg = me.org?.code;
  const columns = 7;

  return (
    <section className="section" aria-labelledby="xc-channels-h">
      <div className="section-head">
        <h2 id="xc-channels-h">{t('xc.channels')}</h2>
        <button type="button" className="button small" onClick={channels.reload} disabled={channels.loading} data-testid="xc-refresh">
          {channels.loading ? t('dc.refreshing') : t('dc.refresh')}
        </button>
      </div>
      <p className="muted small">{t('xc.channelsHelp')}</p>
      {channels.error && <LoadError message={channels.error.message} onRetry={channels.reload} />}
      {!items && !channels.error && <Loading />}
      {items &&
        (items.length === 0 ? (
          <p className="empty" data-testid="xc-channels-empty">
            {t('xc.channelsNone')}
          </p>
        ) : (
          <div className="table-wrap" data-testid="xc-channels">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('xc.col.resource')}</th>
                  <th scope="col">{t('xc.col.direction')}</th>
                  <th scope="col">{t('xc.col.fields')}</th>
                  <th scope="col">{t('xc.col.validity')}</th>
                  <th scope="col" className="num">
                    {t('xc.col.rate')}
                  </th>
                  <th scope="col">{t('xc.col.state')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('xc.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => {
                  const consuming = within(c.consumerOrg, myOrg);
                  return (
                    <Fragment key={c.id}>
                      <tr data-testid="xc-channel-row" data-id={c.id} data-resource={c.resource}>
                        <td>
                          <span className="resource-name">{names.resource(c.resource)}</span>
                          <div className="code">{c.id}</div>
                          <div className="sub">
                            {xcLabel(lang, 'basis', c.basis)}
                            {c.requestId && (
                              <>
                                {' · '}
                                <Link to={requestPath(c.requestId)} className="code">
                                  {c.requestId}
                                </Link>
                              </>
                            )}
                          </div>
                        </td>
                        <td>
                          <div>{consuming ? t('xc.dir.from', { org: orgName(c.providerOrg) }) : t('xc.dir.to', { org: orgName(c.consumerOrg) })}</div>
                          {c.consumerSystem && <div className="sub">{t('xc.req.system', { system: c.consumerSystem })}</div>}
                          <div className="sub purpose">{c.purpose}</div>
                        </td>
                        <td className="fields-cell" data-testid="xc-channel-fields">
                          {joinList(lang, c.fields.map((x) => names.field(c.resource, x)))}
                        </td>
                        <td className="nowrap">
                          {f.day(c.validFrom)} – {f.day(c.validUntil)}
                        </td>
                        <td className="num nowrap">{t('xc.perMinute', { count: c.rateLimitPerMinute })}</td>
                        <td>
                          <ChannelStatePill channel={c} />
                          {c.revokedAt && <div className="sub">{f.dateTime(c.revokedAt)}</div>}
                          {c.revokeReason && <div className="sub message">{c.revokeReason}</div>}
                        </td>
                        <td>
                          {mayRevoke(me, c) && revoking !== c.id && (
                            <button type="button" className="button small" onClick={() => setRevoking(c.id)} data-testid="xc-revoke">
                              {t('xc.revoke')}
                            </button>
                          )}
                        </td>
                      </tr>
                      {revoking === c.id && (
                        <tr className="row-form">
                          <td colSpan={columns}>
                            <RevokeForm
                              channel={c}
                              onCancel={() => setRevoking(null)}
                              onRevoked={() => {
                                setRevoking(null);
                                channels.reload();
                              }}
                            />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

function RevokeForm({ channel, onCancel, onRevoked }: { channel: Channel; onCancel: () => void; onRevoked: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    if (await action.run(() => api<Channel>('POST', xcPaths.revoke(channel.id), { reason: reason.trim() }))) onRevoked();
  }

  return (
    <form className="form inline-form" onSubmit={(e) => void submit(e)} data-testid="xc-revoke-form" aria-busy={action.busy}>
      <label className="field grow">
        <span>{t('xc.revokeReason', { id: channel.id })}</span>
        <input value={reason} required minLength={2} maxLength={1000} onChange={(e) => setReason(e.target.value)} disabled={action.busy} autoFocus data-testid="xc-revoke-reason" />
        <span className="hint">{t('xc.revokeHelp')}</span>
      </label>
      <div className="form-actions">
        <button type="submit" className="button danger" disabled={action.busy} data-testid="xc-revoke-submit">
          {action.busy ? t('xc.sending') : t('xc.revokeConfirm')}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={action.busy}>
          {t('xc.cancel')}
        </button>
      </div>
      {action.error && <ActionError title={t('xc.revokeFailed')} error={action.error} testId="xc-revoke-error" />}
    </form>
  );
}

const CALLS_SHOWN = 50;

/** The last calls the department made or served, newest first. */
export function CallsPage() {
  const { lang, t } = useI18n();
  const calls = useApiGet<Call[]>(xcPaths.calls(CALLS_SHOWN));
  const orgName = useOrgNames(lang);
  const names = useCatalogueNames(lang);
  return (
    <section className="section" aria-labelledby="xc-calls-h">
      <div className="section-head">
        <h2 id="xc-calls-h">{t('xc.calls')}</h2>
        <button type="button" className="button small" onClick={calls.reload} disabled={calls.loading} data-testid="xc-refresh">
          {calls.loading ? t('dc.refreshing') : t('dc.refresh')}
        </button>
      </div>
      <p className="muted small">{t('xc.callsHelp', { count: CALLS_SHOWN })}</p>
      {calls.error && <LoadError message={calls.error.message} onRetry={calls.reload} />}
      {!calls.data && !calls.error && <Loading />}
      {calls.data && <CallTable calls={calls.data} orgName={orgName} resourceName={names.resource} testId="xc-calls" />}
    </section>
  );
}

/** Calls as a table: when, who, what, why, for which case, and how it ended. */
export function CallTable({
  calls,
  orgName,
  resourceName,
  testId,
}: {
  calls: readonly Call[];
  orgName: (code: string | null | undefined) => string;
  resourceName: (code: string | null | undefined) => string;
  testId?: string;
}) {
  const { t } = useI18n();
  const f = useFormat();
  if (calls.length === 0) {
    return (
      <p className="empty" data-testid={testId}>
        {t('xc.callsNone')}
      </p>
    );
  }
  return (
    <div className="table-wrap" data-testid={testId}>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">{t('xc.col.time')}</th>
            <th scope="col">{t('xc.col.consumer')}</th>
            <th scope="col">{t('xc.col.resource')}</th>
            <th scope="col">{t('xc.req.purpose')}</th>
            <th scope="col">{t('xc.col.case')}</th>
            <th scope="col">{t('xc.col.outcome')}</th>
            <th scope="col" className="num">
              {t('xc.col.statusCode')}
            </th>
            <th scope="col">{t('xc.col.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((c) => (
            <tr key={c.id} data-testid="xc-call-row" data-outcome={c.outcome}>
              <td className="nowrap">{f.dateTime(c.receivedAt)}</td>
              <td>
                {orgName(c.consumerOrg)}
                {c.consumerSystem && <div className="sub">{c.consumerSystem}</div>}
                {c.endUser && <div className="sub">{t('xc.endUser', { user: c.endUser })}</div>}
              </td>
              <td>
                {resourceName(c.resource)}
                <div className="sub">{t('xc.records', { count: c.recordCount })}</div>
              </td>
              <td className="purpose">{c.purpose ?? '—'}</td>
              <td className="code">{c.caseId ?? '—'}</td>
              <td>
                <OutcomePill outcome={c.outcome} />
              </td>
              <td className="num">{c.statusCode}</td>
              <td className="sub message">{c.reason ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
