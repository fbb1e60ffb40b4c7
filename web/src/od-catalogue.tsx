// The portal's catalogue: a search in Chinese (the words it was segmented into shown), facets as
// filters with counts, results with their figures, sorting and pages. The search lives in the
// address, so that a link or going back to the catalogue finds it again.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { valueLabel } from './dc-batches';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n, type Lang, type MessageKey } from './i18n';
import {
  datasetPath,
  FACETS,
  odPaths,
  OPEN_PATH,
  PAGE_SIZE,
  readSearch,
  SORTS,
  writeSearch,
  type CatalogueSearch,
  type Dataset,
  type DatasetSearch,
  type FacetKey,
  type PortalOrg,
  type Sort,
  type Theme,
} from './od-api';
import { Link } from './router';
import { Loading, LoadError } from './ui';

/** How many values of a facet are listed before "show all". */
const FACET_SHOWN = 8;

/** The facet's key in the search answer for each filter. */
const FACET_OF: Record<FacetKey, keyof DatasetSearch['facets']> = { org: 'org', theme: 'theme', tag: 'tags', format: 'format', openType: 'openType' };

/** Names of organisations and themes in the reader's language (the facets carry Chinese labels). */
interface Names {
  org: (code: string, fallback: string) => string;
  theme: (code: string, fallback: string) => string;
}

function useNames(lang: Lang): Names {
  const orgs = useApiGet<PortalOrg[]>(odPaths.organizations);
  const themes = useApiGet<Theme[]>(odPaths.themes);
  return useMemo(() => {
    const orgBy = new Map((orgs.data ?? []).map((o) => [o.code, o]));
    const themeBy = new Map((themes.data ?? []).map((x) => [x.code, x]));
    const pick = (named: { name: string; nameEn: string } | undefined, fallback: string) => (named ? (lang === 'en' ? named.nameEn : named.name) : fallback);
    return { org: (code, fallback) => pick(orgBy.get(code), fallback), theme: (code, fallback) => pick(themeBy.get(code), fallback) };
  }, [orgs.data, themes.data, lang]);
}

/** The label of a facet value in the reader's language. */
function facetLabel(lang: Lang, names: Names, key: FacetKey, value: string, label: string): string {
  if (key === 'org') return names.org(value, label);
  if (key === 'theme') return names.theme(value, label);
  if (key === 'openType') return valueLabel(lang, 'open', value);
  return label;
}

/** The catalogue: search, facets, results and pages. */
export function CataloguePage() {
  const { lang, t } = useI18n();
  const f = useFormat();
  const names = useNames(lang);
  const [search, setSearch] = useState<CatalogueSearch>(() => readSearch(window.location.search));
  const [words, setWords] = useState(search.q);
  const results = useApiGet<DatasetSearch>(odPaths.search(search));
  // The last answer stays on screen while the next search runs (no flicker of the facets).
  const [last, setLast] = useState<DatasetSearch | undefined>(undefined);
  useEffect(() => {
    if (results.data) setLast(results.data);
  }, [results.data]);
  const data = results.data ?? last;

  // Keep the search in the address (replacing the entry: the router follows paths, not queries).
  useEffect(() => {
    const url = `${OPEN_PATH}${writeSearch(search)}`;
    if (window.location.pathname === OPEN_PATH && url !== window.location.pathname + window.location.search) window.history.replaceState(null, '', url);
  }, [search]);

  const change = (next: Partial<CatalogueSearch>) => setSearch((s) => ({ ...s, page: 1, ...next }));
  const setFilter = (key: FacetKey, value: string | undefined) => setSearch((s) => ({ ...s, page: 1, filters: { ...s.filters, [key]: value } }));

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const q = words.trim();
    // A new search is ranked by relevance unless the reader chose another order.
    change({ q, sort: search.sort === 'relevance' && !q ? '' : search.sort });
  }

  const active = FACETS.filter((key) => search.filters[key]);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const sort: Sort = search.sort || (search.q ? 'relevance' : 'modified');

  return (
    <section className="section" aria-labelledby="od-catalogue-h">
      <h2 id="od-catalogue-h" className="visually-hidden">
        {t('od.tab.catalogue')}
      </h2>
      <form className="toolbar od-search" role="search" onSubmit={submit} data-testid="od-search-form">
        <label className="field grow">
          <span className="visually-hidden">{t('od.cat.search')}</span>
          <input type="search" value={words} onChange={(e) => setWords(e.target.value)} placeholder={t('od.cat.placeholder')} maxLength={200} data-testid="od-search" />
        </label>
        <button type="submit" className="button primary" data-testid="od-search-submit">
          {t('od.cat.searchButton')}
        </button>
        <label className="field inline">
          <span>{t('od.cat.sort')}</span>
          <select value={sort} onChange={(e) => change({ sort: e.target.value as Sort })} data-testid="od-sort">
            {SORTS.map((s) => (
              <option key={s} value={s} disabled={s === 'relevance' && !search.q}>
                {t(`od.sort.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {data && data.terms.length > 0 && (
        <p className="od-terms" data-testid="od-terms">
          {t('od.cat.terms')}
          {data.terms.map((term, i) => (
            <span key={`${term}-${i}`}>
              {i > 0 && <span className="od-terms-sep"> | </span>}
              <span className="od-term">{term}</span>
            </span>
          ))}
        </p>
      )}
      {active.length > 0 && (
        <div className="od-active" data-testid="od-active-filters">
          {active.map((key) => (
            <button key={key} type="button" className="chip od-chip" onClick={() => setFilter(key, undefined)} data-testid={`od-active-${key}`} title={t('od.cat.removeFilter')}>
              {t(`od.facet.${key}` as MessageKey)}：{facetValueLabel(lang, names, key, search.filters[key]!, data)} <span aria-hidden="true">×</span>
            </button>
          ))}
          <button type="button" className="link-button" onClick={() => change({ filters: {} })} data-testid="od-clear-filters">
            {t('od.cat.clearFilters')}
          </button>
        </div>
      )}
      <div className="od-catalogue">
        <aside className="od-facets" aria-label={t('od.cat.facets')} data-testid="od-facets">
          {data &&
            FACETS.map((key) => (
              <FacetGroup key={key} facet={key} values={data.facets[FACET_OF[key]]} chosen={search.filters[key]} names={names} onChoose={(v) => setFilter(key, v)} />
            ))}
        </aside>
        <div className="od-results-col">
          {results.error ? <LoadError message={results.error.message} onRetry={results.reload} testId="od-search-error" /> : !data && <Loading />}
          {data && (
            <>
              <p className="muted count" aria-live="polite" data-testid="od-count">
                {results.loading ? t('dc.cat.searching') : t('od.cat.count', { count: f.number(data.total) })}
              </p>
              {data.items.length === 0 ? (
                <p className="empty" data-testid="od-results-empty">
                  {t('od.cat.none')}
                </p>
              ) : (
                <ol className="od-results" data-testid="od-results">
                  {data.items.map((d) => (
                    <ResultCard key={d.id} dataset={d} names={names} />
                  ))}
                </ol>
              )}
              {pages > 1 && (
                <nav className="pager" aria-label={t('od.cat.pages')} data-testid="od-pager">
                  <button type="button" className="button small" disabled={search.page <= 1} onClick={() => setSearch((s) => ({ ...s, page: s.page - 1 }))} data-testid="od-page-prev">
                    {t('od.cat.prev')}
                  </button>
                  <span className="muted small" data-testid="od-page">
                    {t('od.cat.page', { page: search.page, pages })}
                  </span>
                  <button type="button" className="button small" disabled={search.page >= pages} onClick={() => setSearch((s) => ({ ...s, page: s.page + 1 }))} data-testid="od-page-next">
                    {t('od.cat.next')}
                  </button>
                </nav>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}

/** The label of a chosen filter, from the facets when they list it. */
function facetValueLabel(lang: Lang, names: Names, key: FacetKey, value: string, data: DatasetSearch | undefined): string {
  const listed = data?.facets[FACET_OF[key]].find((x) => x.value === value);
  return facetLabel(lang, names, key, value, listed?.label ?? value);
}

/** One facet: its values with counts, as buttons that set (or, when chosen, clear) the filter. */
function FacetGroup({
  facet,
  values,
  chosen,
  names,
  onChoose,
}: {
  facet: FacetKey;
  values: DatasetSearch['facets']['org'];
  chosen: string | undefined;
  names: Names;
  onChoose: (value: string | undefined) => void;
}) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const [all, setAll] = useState(false);
  if (values.length === 0) return null;
  const shown = all ? values : values.slice(0, FACET_SHOWN);
  return (
    <section className="od-facet" data-testid={`od-facet-${facet}`}>
      <h3>{t(`od.facet.${facet}` as MessageKey)}</h3>
      <ul>
        {shown.map((v) => (
          <li key={v.value}>
            <button type="button" aria-pressed={chosen === v.value} onClick={() => onChoose(chosen === v.value ? undefined : v.value)} data-testid="od-facet-value" data-value={v.value}>
              <span className="od-facet-label" title={facetLabel(lang, names, facet, v.value, v.label)}>
                {facetLabel(lang, names, facet, v.value, v.label)}
              </span>
              <span className="od-facet-count">{f.number(v.count)}</span>
            </button>
          </li>
        ))}
      </ul>
      {values.length > FACET_SHOWN && (
        <button type="button" className="link-button" onClick={() => setAll((x) => !x)}>
          {all ? t('od.cat.fewer') : t('od.cat.more', { count: values.length - FACET_SHOWN })}
        </button>
      )}
    </section>
  );
}

/** One dataset in the results: title, publisher, theme, tags, quality and its figures. */
function ResultCard({ dataset: d, names }: { dataset: Dataset; names: Names }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const title = lang === 'en' && d.titleEn ? d.titleEn : d.title;
  return (
    <li className="card od-result" data-testid="od-result" data-id={d.id}>
      <div className="od-result-head">
        <Link to={datasetPath(d.id)} className="resource-link od-result-title" data-testid="od-result-link">
          {title}
        </Link>
        {d.openType === 'conditional' && <span className="pill sharing-conditional">{valueLabel(lang, 'open', d.openType)}</span>}
        <QualityBadge score={d.quality.score} />
      </div>
      <div className="sub">
        {names.org(d.org.code, lang === 'en' ? d.org.nameEn : d.org.name)} · {names.theme(d.theme.code, lang === 'en' ? d.theme.nameEn : d.theme.name)} ·{' '}
        {t('od.modified', { date: f.day(d.modifiedAt) })}
      </div>
      <p className="od-result-text">{d.description}</p>
      {d.tags.length > 0 && (
        <div className="roles">
          {d.tags.map((tag) => (
            <span key={tag} className="chip">
              {tag}
            </span>
          ))}
        </div>
      )}
      <dl className="figures-inline od-result-figures">
        <div>
          <dt>{t('od.fig.rows')}</dt>
          <dd data-testid="od-result-rows">{f.number(d.rows)}</dd>
        </div>
        <div>
          <dt>{t('od.fig.downloads')}</dt>
          <dd>{f.number(d.downloads)}</dd>
        </div>
        <div>
          <dt>{t('od.fig.apiCalls')}</dt>
          <dd>{f.number(d.apiCalls)}</dd>
        </div>
        <div>
          <dt>{t('od.fig.formats')}</dt>
          <dd className="od-formats">{d.formats.join(' · ')}</dd>
        </div>
      </dl>
    </li>
  );
}

/** A quality score out of 100, coloured by how good it is. */
export function QualityBadge({ score, testId }: { score: number; testId?: string }) {
  const { t } = useI18n();
  const tone = score >= 80 ? 'good' : score >= 60 ? 'fair' : 'poor';
  return (
    <span className={`od-quality od-quality-${tone}`} title={t('od.quality.title')} data-testid={testId}>
      {t('od.quality.badge', { score })}
    </span>
  );
}
