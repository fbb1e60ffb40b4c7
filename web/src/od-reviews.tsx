// The reviewers' queue: versions sent for review, each published or rejected with a note (a
// rejection needs one; the department reads it beside the version).
import { useState } from 'react';
import { api } from './api';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n } from './i18n';
import { datasetPath, odPaths, type DatasetVersion, type ReviewItem } from './od-api';
import { Link } from './router';
import { ActionError, ListTable, LoadedSection, Notice } from './ui';
import { useAction } from './xc-api';

/** The versions waiting for review. */
export function ReviewsPage() {
  const { lang, t } = useI18n();
  const f = useFormat();
  const queue = useApiGet<ReviewItem[]>(odPaths.reviews);
  const [done, setDone] = useState<string | null>(null);
  return (
    <LoadedSection headingId="od-reviews-h" title={t('od.reviews.title')} help={t('od.reviews.help')} loaded={queue} refreshTestId="od-reviews-refresh">
      {(items) => (
        <>
          {done && <Notice testId="od-review-done">{done}</Notice>}
          <ListTable
            rows={items}
            columns={[t('od.pub.col.dataset'), t('od.meta.org'), t('od.versions.version'), { label: t('od.fig.rows'), num: true }, t('od.versions.changelog'), t('od.reviews.decision')]}
            empty={t('od.reviews.none')}
            emptyTestId="od-reviews-empty"
            testId="od-reviews"
          >
            {({ dataset: d, version: v }) => (
              <tr key={`${d.id}-${v.version}`} data-testid="od-review-row" data-id={d.id} data-version={v.version}>
                <td>
                  <Link to={datasetPath(d.id)} className="resource-link" data-testid="od-review-link">
                    {lang === 'en' && d.titleEn ? d.titleEn : d.title}
                  </Link>
                  <div className="code">{d.id}</div>
                  <div className="sub">{t('od.reviews.created', { time: f.dateTime(v.createdAt) })}</div>
                </td>
                <td>{lang === 'en' ? d.org.nameEn : d.org.name}</td>
                <td className="nowrap">v{v.version}</td>
                <td className="num">{f.number(v.rows)}</td>
                <td className="purpose">
                  <span className="od-changelog">{v.changelog}</span>
                </td>
                <td>
                  <ReviewForm
                    id={d.id}
                    version={v.version}
                    onDone={(decision) => {
                      setDone(t(decision === 'publish' ? 'od.reviews.published' : 'od.reviews.rejected', { title: d.title, version: v.version }));
                      queue.reload();
                    }}
                  />
                </td>
              </tr>
            )}
          </ListTable>
        </>
      )}
    </LoadedSection>
  );
}

/** A note, then publish or reject; the server's refusal (a rejection without a note, say) is shown. */
function ReviewForm({ id, version, onDone }: { id: string; version: number; onDone: (decision: 'publish' | 'reject') => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const action = useAction();

  async function decide(decision: 'publish' | 'reject'): Promise<void> {
    if (action.busy) return;
    const body = { decision, ...(note.trim() ? { note: note.trim() } : {}) };
    if (await action.run(() => api<DatasetVersion>('POST', odPaths.review(id, version), body))) onDone(decision);
  }

  return (
    <form className="form od-review-form" onSubmit={(e) => e.preventDefault()} data-testid="od-review-form" aria-busy={action.busy}>
      <label className="field">
        <span className="visually-hidden">{t('od.reviews.note')}</span>
        <input value={note} maxLength={1000} placeholder={t('od.reviews.notePlaceholder')} onChange={(e) => setNote(e.target.value)} disabled={action.busy} data-testid="od-review-note" />
      </label>
      <div className="form-actions">
        <button type="button" className="button small primary" onClick={() => void decide('publish')} disabled={action.busy} data-testid="od-review-publish">
          {t('od.reviews.publish')}
        </button>
        <button type="button" className="button small danger" onClick={() => void decide('reject')} disabled={action.busy} data-testid="od-review-reject">
          {t('od.reviews.reject')}
        </button>
      </div>
      {action.error && <ActionError title={t('od.reviews.failed')} error={action.error} testId="od-review-error" />}
    </form>
  );
}
