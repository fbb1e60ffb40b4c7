// Ingestion batches as the console shows them: a history table, a status pill, one batch's result.
import { dcPaths, resourcePath, type Batch, type BatchOutcome } from './dc-api';
import { useFormat } from './format';
import { translateMaybe, useI18n, type Lang } from './i18n';
import { Link } from './router';
import { TableHead } from './ui';

/** The label of a catalogue value (`dc.<group>.<value>`), or the value itself when there is none. */
export function valueLabel(lang: Lang, group: string, value: string): string {
  return translateMaybe(lang, `dc.${group}.${value}`) ?? value;
}

/** A batch status as a coloured pill. */
export function StatusPill({ status, testId }: { status: string; testId?: string }) {
  const { lang } = useI18n();
  return (
    <span className={`pill status-${status}`} data-testid={testId}>
      {valueLabel(lang, 'status', status)}
    </span>
  );
}

/** The link to download a batch's rejected rows as CSV (only when it has some). */
export function RejectedRowsLink({ batch }: { batch: Batch }) {
  const { lang, t } = useI18n();
  const { number } = useFormat();
  if (batch.rowsInvalid === 0) return <span className="muted">—</span>;
  return (
    <a href={dcPaths.batchErrorsCsv(batch.id, lang)} download={`batch-${batch.id}-errors.csv`} data-testid="dc-batch-errors-link">
      {t('dc.batch.downloadRejected', { count: number(batch.rowsInvalid) })}
    </a>
  );
}

/** Recent batches, newest first; `showResource` adds a column linking to each batch's resource. */
export function BatchTable({ batches, showResource = false, testId }: { batches: Batch[]; showResource?: boolean; testId?: string }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  if (batches.length === 0) {
    return (
      <p className="empty" data-testid={testId}>
        {t('dc.batch.none')}
      </p>
    );
  }
  return (
    <div className="table-wrap" data-testid={testId}>
      <table className="table">
        <TableHead
          columns={[
            t('dc.batch.started'),
            showResource ? t('dc.batch.resourceSource') : t('dc.batch.source'),
            t('dc.batch.status'),
            { label: t('dc.batch.rowsRead'), num: true },
            { label: t('dc.batch.rowsInvalid'), num: true },
            { label: t('dc.batch.changes'), num: true },
            t('dc.batch.rejectedRows'),
          ]}
        />
        <tbody>
          {batches.map((b) => (
            <tr key={b.id} data-testid="dc-batch-row">
              <td className="nowrap">
                <div>{f.dateTime(b.startedAt)}</div>
                <div className="sub">{b.finishedAt ? t('dc.batch.finishedAt', { time: f.dateTime(b.finishedAt) }) : t('dc.batch.notFinished')}</div>
              </td>
              <td>
                {showResource && (
                  <Link to={resourcePath(b.resource)} className="code">
                    {b.resource}
                  </Link>
                )}
                <div className={showResource ? 'sub' : undefined}>{valueLabel(lang, 'source', b.source)}</div>
                {b.fileName && (
                  <div className="sub" title={b.idempotencyKey}>
                    {b.fileName}
                  </div>
                )}
              </td>
              <td>
                <StatusPill status={b.status} />
                {b.message && <div className="sub message">{b.message}</div>}
              </td>
              <td className="num">{f.number(b.rowsRead)}</td>
              <td className={`num${b.rowsInvalid > 0 ? ' warn' : ''}`}>{f.number(b.rowsInvalid)}</td>
              <td className="num nowrap">
                <span title={`${t('dc.batch.inserted')} ${f.number(b.inserted)} / ${t('dc.batch.updated')} ${f.number(b.updated)} / ${t('dc.batch.unchanged')} ${f.number(b.unchanged)} / ${t('dc.batch.deleted')} ${f.number(b.deleted)}`}>
                  +{f.number(b.inserted)} ~{f.number(b.updated)} ={f.number(b.unchanged)} −{f.number(b.deleted)}
                </span>
              </td>
              <td>
                <RejectedRowsLink batch={b} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="legend">{t('dc.batch.changesLegend')}</p>
    </div>
  );
}

/** One batch's outcome after an upload: status, figures, the server's message. */
export function BatchResult({ outcome }: { outcome: BatchOutcome }) {
  const { t } = useI18n();
  const f = useFormat();
  const { batch, replayed } = outcome;
  const figures: [string, number, string][] = [
    ['rows-read', batch.rowsRead, t('dc.batch.rowsRead')],
    ['rows-valid', batch.rowsValid, t('dc.batch.rowsValid')],
    ['rows-invalid', batch.rowsInvalid, t('dc.batch.rowsInvalid')],
    ['inserted', batch.inserted, t('dc.batch.inserted')],
    ['updated', batch.updated, t('dc.batch.updated')],
    ['unchanged', batch.unchanged, t('dc.batch.unchanged')],
    ['deleted', batch.deleted, t('dc.batch.deleted')],
  ];
  const tone = batch.status === 'applied' ? (batch.rowsInvalid > 0 ? 'warn' : 'ok') : batch.status === 'rejected' || batch.status === 'interrupted' ? 'bad' : 'info';
  return (
    <div className={`batch-result tone-${tone}`} role="status" data-testid="dc-batch-result">
      <div className="batch-result-head">
        <StatusPill status={batch.status} testId="dc-result-status" />
        <strong>{t(`dc.result.${tone}`)}</strong>
        {batch.fileName && <span className="muted">{batch.fileName}</span>}
      </div>
      {replayed && (
        <p className="batch-result-note" data-testid="dc-result-replayed">
          {t('dc.result.replayed')}
        </p>
      )}
      <dl className="figures-inline">
        {figures.map(([id, value, label]) => (
          <div key={id} className={id === 'rows-invalid' && value > 0 ? 'warn' : undefined}>
            <dt>{label}</dt>
            <dd data-testid={`dc-result-${id}`}>{f.number(value)}</dd>
          </div>
        ))}
      </dl>
      {batch.message && (
        <p className="batch-result-message" data-testid="dc-result-message">
          {t('dc.result.message')} {batch.message}
        </p>
      )}
      {batch.rowsInvalid > 0 && (
        <p>
          <RejectedRowsLink batch={batch} />
        </p>
      )}
    </div>
  );
}
