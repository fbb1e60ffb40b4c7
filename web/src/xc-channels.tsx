// The department's channels (what it may call, and what others may call of its data), with
// revocation, and the recent calls through them.
import { Fragment, useState } from 'react';
import type { Me } from './api';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n } from './i18n';
import { Link } from './router';
import { FormRow, ListTable, LoadedSection, type ColumnHead } from './ui';
import { reviewsRequests, useCatalogueNames, useOrgNames, within, xcPaths, type Call, type Channel } from './xc-api';
import { ChannelStatePill, joinList, OutcomePill, ReasonForm, requestPath, xcLabel } from './xc-parts';

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
  const myOrg = me.org?.code;
  const columns: ColumnHead[] = [
    t('xc.col.resource'),
    t('xc.col.direction'),
    t('xc.col.fields'),
    t('xc.col.validity'),
    { label: t('xc.col.rate'), num: true },
    t('xc.col.state'),
    { label: t('xc.col.actions'), hidden: true },
  ];

  return (
    <LoadedSection headingId="xc-channels-h" title={t('xc.channels')} help={t('xc.channelsHelp')} loaded={channels} refreshTestId="xc-refresh">
      {(items) => (
        <ListTable rows={items} columns={columns} empty={t('xc.channelsNone')} emptyTestId="xc-channels-empty" testId="xc-channels">
          {(c) => {
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
                  <FormRow columns={columns.length}>
                    <ReasonForm
                      path={xcPaths.revoke(c.id)}
                      label={t('xc.revokeReason', { id: c.id })}
                      minLength={2}
                      rows={1}
                      help={t('xc.revokeHelp')}
                      submit={t('xc.revokeConfirm')}
                      failed={t('xc.revokeFailed')}
                      testId="xc-revoke"
                      danger
                      onCancel={() => setRevoking(null)}
                      onDone={() => {
                        setRevoking(null);
                        channels.reload();
                      }}
                    />
                  </FormRow>
                )}
              </Fragment>
            );
          }}
        </ListTable>
      )}
    </LoadedSection>
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
    <LoadedSection headingId="xc-calls-h" title={t('xc.calls')} help={t('xc.callsHelp', { count: CALLS_SHOWN })} loaded={calls} refreshTestId="xc-refresh">
      {(items) => <CallTable calls={items} orgName={orgName} resourceName={names.resource} testId="xc-calls" />}
    </LoadedSection>
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
  return (
    <ListTable
      rows={calls}
      columns={[
        t('xc.col.time'),
        t('xc.col.consumer'),
        t('xc.col.resource'),
        t('xc.req.purpose'),
        t('xc.col.case'),
        t('xc.col.outcome'),
        { label: t('xc.col.statusCode'), num: true },
        t('xc.col.reason'),
      ]}
      compact
      empty={t('xc.callsNone')}
      testId={testId}
    >
      {(c) => (
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
      )}
    </ListTable>
  );
}
