// A developer's API keys for the open-data API: create one (its secret shown once, in this page's
// state only), list them with the daily quota and today's use, see a key's use, revoke one.
import { Fragment, useRef, useState, type FormEvent } from 'react';
import { api } from './api';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n } from './i18n';
import { odPaths, type CreatedKey, type DeveloperKey, type KeyUsage } from './od-api';
import { ActionError, ConfirmForm, FormRow, ListTable, LoadedSection, LoadState, Notice, type ColumnHead } from './ui';
import { useAction } from './xc-api';

/** The developer's keys and the form for a new one. */
export function KeysPage() {
  const { t } = useI18n();
  const keys = useApiGet<DeveloperKey[]>(odPaths.keys);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <section className="section panel" aria-labelledby="od-key-new-h">
        <h2 id="od-key-new-h">{t('od.keys.new')}</h2>
        {created ? (
          <KeySecret
            secret={created.key}
            keyId={created.id}
            lead={t('od.keys.secretLead', { name: created.name })}
            example={`curl -H 'X-API-Key: ${created.key}' \\\n  '${window.location.origin}/api/open/v1/datasets?limit=5'`}
            onDone={() => setCreated(null)}
          />
        ) : (
          <>
            <p className="muted small">{t('od.keys.newHelp')}</p>
            <NewKeyForm
              onCreated={(out) => {
                setDone(null);
                setCreated(out);
                keys.reload();
              }}
            />
          </>
        )}
      </section>
      <LoadedSection headingId="od-keys-h" title={t('od.keys.title')} help={t('od.keys.help')} loaded={keys} refreshTestId="od-keys-refresh">
        {(items) => (
          <>
            {done && <Notice testId="od-key-done">{done}</Notice>}
            <KeyTable
              keys={items}
              onRevoked={(key) => {
                setDone(t('od.keys.revokeDone', { name: key.name }));
                keys.reload();
              }}
            />
          </>
        )}
      </LoadedSection>
    </>
  );
}

function NewKeyForm({ onCreated }: { onCreated: (created: CreatedKey) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    const created = await action.run(() => api<CreatedKey>('POST', odPaths.keys, { name: name.trim() }));
    if (created) {
      setName('');
      onCreated(created);
    }
  }

  return (
    <form className="form inline-form" onSubmit={(e) => void submit(e)} data-testid="od-key-form" aria-busy={action.busy}>
      <label className="field grow">
        <span>{t('od.keys.name')}</span>
        <input value={name} required maxLength={100} placeholder={t('od.keys.namePlaceholder')} onChange={(e) => setName(e.target.value)} disabled={action.busy} data-testid="od-key-name" />
      </label>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={action.busy} data-testid="od-key-create">
          {action.busy ? t('xc.sending') : t('od.keys.create')}
        </button>
      </div>
      {action.error && <ActionError title={t('od.keys.createFailed')} error={action.error} testId="od-key-error" />}
    </form>
  );
}

/**
 * A new key's secret, shown this once, with a way to copy it and how to send it (`example`, a
 * curl line); `lead` says what the key is. Developer keys and the keys of approved applications.
 *
 * @example
 * <KeySecret secret={out.key} keyId={out.id} lead={t('od.keys.secretLead', { name })} example={curl} onDone={close} />
 */
export function KeySecret({ secret, keyId, lead, example, onDone }: { secret: string; keyId: string; lead: string; example: string; onDone: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const input = useRef<HTMLInputElement>(null);

  async function copy(): Promise<void> {
    try {
      // No clipboard outside a secure context (plain http on an intranet name): select instead.
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('failed');
    }
  }

  return (
    <div className="secret-box" role="region" aria-labelledby="od-key-secret-h" data-testid="od-key-secret" data-id={keyId}>
      <h3 id="od-key-secret-h" className="secret-title">
        {t('od.keys.secretTitle')}
      </h3>
      <p className="secret-lead">
        <strong>{lead}</strong>
      </p>
      <div className="field">
        <label htmlFor="od-key-secret-value">{t('od.keys.secretLabel')}</label>
        <div className="secret-value">
          <input ref={input} id="od-key-secret-value" readOnly value={secret} spellCheck={false} autoFocus onFocus={(e) => e.currentTarget.select()} data-testid="od-key-secret-value" />
          <button type="button" className="button" onClick={() => void copy()} data-testid="od-key-secret-copy">
            {copied === 'yes' ? t('xc.secret.copied') : t('xc.secret.copy')}
          </button>
        </div>
        <span className="hint" aria-live="polite">
          {copied === 'failed' ? t('xc.secret.copyFailed') : t('xc.secret.copyHint')}
        </span>
      </div>
      <div>
        <strong>{t('od.keys.howTitle')}</strong>
        <pre className="snippet">{example}</pre>
      </div>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={onDone} data-testid="od-key-secret-done">
          {t('xc.secret.done')}
        </button>
      </div>
    </div>
  );
}

function KeyTable({ keys, onRevoked }: { keys: readonly DeveloperKey[]; onRevoked: (key: DeveloperKey) => void }) {
  const { t } = useI18n();
  const f = useFormat();
  const [opened, setOpened] = useState<{ id: string; what: 'usage' | 'revoke' } | null>(null);
  const columns: ColumnHead[] = [t('od.keys.name'), t('od.keys.created'), { label: t('od.keys.quota'), num: true }, { label: t('od.keys.usedToday'), num: true }, t('xc.col.status'), { label: t('xc.col.actions'), hidden: true }];
  const toggle = (id: string, what: 'usage' | 'revoke') => setOpened((o) => (o?.id === id && o.what === what ? null : { id, what }));
  return (
    <ListTable rows={keys} columns={columns} empty={t('od.keys.none')} emptyTestId="od-keys-empty" testId="od-keys">
      {(k) => {
        const revoked = k.revokedAt !== null;
        const open = opened?.id === k.id ? opened.what : null;
        const share = k.dailyQuota > 0 ? Math.min(1, k.usedToday / k.dailyQuota) : 0;
        return (
          <Fragment key={k.id}>
            <tr data-testid="od-key-row" data-id={k.id} data-status={revoked ? 'revoked' : 'active'}>
              <td>
                <span className="resource-name" data-testid="od-key-row-name">
                  {k.name}
                </span>
                <div className="code">odk_{k.id}_…</div>
              </td>
              <td className="nowrap">{f.dateTime(k.createdAt)}</td>
              <td className="num">{f.number(k.dailyQuota)}</td>
              <td className="num nowrap" data-testid="od-key-used">
                {f.number(k.usedToday)}
                <span className="meter" aria-hidden="true">
                  <span style={{ width: `${share * 100}%` }} />
                </span>
              </td>
              <td>
                <span className={`pill ${revoked ? 'xc-revoked' : 'xc-live'}`} data-testid="od-key-status">
                  {revoked ? t('od.keys.revoked') : t('od.keys.active')}
                </span>
                {revoked && <div className="sub">{f.dateTime(k.revokedAt)}</div>}
              </td>
              <td>
                <div className="row-actions">
                  <button type="button" className="link-button" aria-expanded={open === 'usage'} onClick={() => toggle(k.id, 'usage')} data-testid="od-key-usage-toggle">
                    {open === 'usage' ? t('od.keys.hideUsage') : t('od.keys.usage')}
                  </button>
                  {!revoked && (
                    <button type="button" className="button small" aria-expanded={open === 'revoke'} onClick={() => toggle(k.id, 'revoke')} data-testid="od-key-revoke">
                      {t('od.keys.revoke')}
                    </button>
                  )}
                </div>
              </td>
            </tr>
            {open === 'usage' && (
              <FormRow columns={columns.length}>
                <KeyUsageList id={k.id} />
              </FormRow>
            )}
            {open === 'revoke' && !revoked && (
              <FormRow columns={columns.length}>
                <RevokeForm
                  apiKey={k}
                  onCancel={() => setOpened(null)}
                  onDone={() => {
                    setOpened(null);
                    onRevoked(k);
                  }}
                />
              </FormRow>
            )}
          </Fragment>
        );
      }}
    </ListTable>
  );
}

/** Revoking is for good, so it is confirmed first. */
function RevokeForm({ apiKey, onCancel, onDone }: { apiKey: DeveloperKey; onCancel: () => void; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <ConfirmForm
      text={t('od.keys.revokeText', { name: apiKey.name })}
      confirmLabel={t('od.keys.revokeConfirm')}
      keepLabel={t('xc.cancel')}
      failedTitle={t('od.keys.revokeFailed')}
      testId="od-key-revoke"
      run={() => api<DeveloperKey>('DELETE', odPaths.key(apiKey.id))}
      onCancel={onCancel}
      onDone={onDone}
    />
  );
}

/** A key's use per day and dataset, newest first. */
function KeyUsageList({ id }: { id: string }) {
  const { t } = useI18n();
  const f = useFormat();
  const usage = useApiGet<KeyUsage[]>(odPaths.keyUsage(id));
  return (
    <div className="deliveries" data-testid="od-key-usage">
      <LoadState loaded={usage} />
      {usage.data && (
        <ListTable
          rows={usage.data}
          columns={[t('od.keys.day'), t('od.keys.dataset'), { label: t('od.fig.apiCalls'), num: true }, { label: t('od.fig.downloads'), num: true }]}
          compact
          empty={t('od.keys.noUsage')}
        >
          {(u) => (
            <tr key={`${u.day}-${u.dataset}`}>
              <td className="nowrap">{f.day(u.day)}</td>
              <td className="code">{u.dataset}</td>
              <td className="num">{f.number(u.calls)}</td>
              <td className="num">{f.number(u.downloads)}</td>
            </tr>
          )}
        </ListTable>
      )}
    </div>
  );
}
