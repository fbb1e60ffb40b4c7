// Pieces the sandbox pages share: a claim's result as a pill, a refusal reason in words, and the
// refused verification's reasons per claim under the server's message.
import { type ApiError } from './api';
import { translateMaybe, useI18n, type Lang } from './i18n';
import { refusalReasons } from './sb-api';
import { ActionError } from './ui';

/** A refusal reason (`sb.refusal.<reason>`) in words, or the code when there are none for it. */
export function refusalLabel(lang: Lang, reason: string): string {
  return translateMaybe(lang, `sb.refusal.${reason}`) ?? reason;
}

/**
 * What a claim came to, as a coloured pill: match, no_match or unverifiable, or "refused" (with
 * its reason) when the attempt was refused.
 */
export function ResultPill({ result, refusal, testId }: { result: string | null; refusal?: string | null; testId?: string }) {
  const { lang } = useI18n();
  const shown = result ?? 'refused';
  return (
    <span className={`pill sb-${shown}`} data-testid={testId} data-result={shown}>
      {translateMaybe(lang, `sb.result.${shown}`) ?? shown}
      {refusal ? ` · ${refusalLabel(lang, refusal)}` : ''}
    </span>
  );
}

/**
 * A verification the server refused: its status and message, then each claim's reason
 * (`claimName(i)` names the claim at index i of the request).
 */
export function RefusalError({ title, error, claimName, testId }: { title: string; error: ApiError; claimName: (index: number) => string; testId: string }) {
  const { lang, t } = useI18n();
  const reasons = refusalReasons(error);
  return (
    <div data-testid={testId}>
      <ActionError title={title} error={error} testId={`${testId}-problem`} />
      {reasons.length > 0 && (
        <ul className="sb-reasons" aria-label={t('sb.refusal.reasons')} data-testid={`${testId}-reasons`}>
          {reasons.map((r) => (
            <li key={r.claim} data-reason={r.reason}>
              {claimName(r.claim)}: {refusalLabel(lang, r.reason)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
