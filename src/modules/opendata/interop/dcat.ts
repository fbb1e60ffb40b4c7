import { DataFactory, Writer, type Quad, type Quad_Object } from 'n3';
import type { Dataset } from '../opendata.contract';
import { exportFormats, exportUrl, trimSlash } from './formats';

/**
 * The open-data catalogue as DCAT-AP 3.0 (the EU application profile of W3C DCAT 3), for
 * harvesters such as data.europa.eu, ckanext-dcat and the national portal.
 *
 * The graph is built once, as N3 quads, and both serialisations are written from those quads:
 * Turtle by n3's Writer, JSON-LD by grouping the same quads by subject. So the two cannot
 * describe different things.
 */

/**
 * The catalogue itself: who runs it and where.
 *
 * @example
 * const info: CatalogueInfo = { baseUrl: 'https://data.xm.gov.cn', title: '厦门市公共数据开放平台', titleEn: 'Xiamen Open Data',
 *   description: '…', publisher: { code: 'xm.bigdata', name: '厦门市大数据管理局', nameEn: 'Xiamen Big Data Administration' }, language: 'zh' };
 */
export interface CatalogueInfo {
  /** Public origin of the portal, without a trailing slash (`https://data.xm.gov.cn`). */
  baseUrl: string;
  title: string;
  titleEn: string;
  description: string;
  publisher: { code: string; name: string; nameEn: string };
  language: 'zh';
}

/** The prefixes both serialisations use (also the JSON-LD @context). */
const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  adms: 'http://www.w3.org/ns/adms#',
  dcatap: 'http://data.europa.eu/r5r/',
} as const;

const EU = 'http://publications.europa.eu/resource/authority';
const IANA = 'http://www.iana.org/assignments/media-types';

/** Our update cycles on the EU frequency authority. */
const FREQUENCY: Record<Dataset['updateFrequency'], string> = {
  realtime: 'UPDATE_CONT',
  daily: 'DAILY',
  weekly: 'WEEKLY',
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  yearly: 'ANNUAL',
  irregular: 'IRREG',
};

/** Our open types on the EU access-right authority. */
const ACCESS_RIGHT: Record<Dataset['openType'], string> = { unconditional: 'PUBLIC', conditional: 'RESTRICTED' };

/**
 * Our theme codes on the EU data-theme authority, where the match is plain. DCAT-AP asks for at
 * least one theme from that vocabulary; a theme without a match keeps only our own concept.
 */
const EU_THEME: Record<string, string> = {
  transport: 'TRAN',
  health: 'HEAL',
  environment: 'ENVI',
  economy: 'ECON',
  market: 'ECON',
  credit: 'ECON',
  finance: 'ECON',
  education: 'EDUC',
  culture: 'EDUC',
  sports: 'EDUC',
  public_services: 'SOCI',
  social_security: 'SOCI',
  civil_affairs: 'SOCI',
  population: 'SOCI',
  spatial: 'REGI',
  housing: 'REGI',
  agriculture: 'AGRI',
  energy: 'ENER',
  science: 'TECH',
  technology: 'TECH',
  public_safety: 'JUST',
  justice: 'JUST',
  government: 'GOVE',
};

const { namedNode, literal, quad } = DataFactory;
const iri = (prefix: keyof typeof NS, local: string) => namedNode(NS[prefix] + local);
const RDF_TYPE = iri('rdf', 'type');

/** Collects quads grouped by subject (so Turtle groups them), dropping repeats of shared nodes. */
class GraphBuilder {
  private readonly bySubject = new Map<string, Quad[]>();
  private readonly seen = new Set<string>();

  add(subject: string, predicate: ReturnType<typeof iri>, object: Quad_Object | string): this {
    const o = typeof object === 'string' ? namedNode(object) : object;
    const q = quad(namedNode(subject), predicate, o);
    const key = `${subject} ${predicate.value} ${o.termType}:${o.value}@${o.termType === 'Literal' ? `${o.language}^${o.datatype.value}` : ''}`;
    if (this.seen.has(key)) return this;
    this.seen.add(key);
    const list = this.bySubject.get(subject) ?? [];
    list.push(q);
    this.bySubject.set(subject, list);
    return this;
  }

  /** A literal in a language, skipped when empty (an English title not yet given). */
  text(subject: string, predicate: ReturnType<typeof iri>, value: string, lang: string): this {
    return value.trim() ? this.add(subject, predicate, literal(value, lang)) : this;
  }

  quads(): Quad[] {
    return [...this.bySubject.values()].flat();
  }
}

const dateTime = (value: string) => literal(new Date(value).toISOString(), iri('xsd', 'dateTime'));

/** Builds the catalogue graph: the one model both serialisations write. */
function catalogueQuads(info: CatalogueInfo, datasets: readonly Dataset[]): Quad[] {
  const base = trimSlash(info.baseUrl);
  const g = new GraphBuilder();
  const catalog = `${base}/open/catalog`;
  const service = `${base}/open/services/open-api`;
  const themeScheme = `${base}/open/themes`;
  const zho = `${EU}/language/ZHO`;
  const published = datasets.filter((d) => d.status === 'published');

  const agent = (code: string, name: string, nameEn: string) => {
    const id = `${base}/open/organizations/${encodeURIComponent(code)}`;
    g.add(id, RDF_TYPE, iri('foaf', 'Agent'))
      .text(id, iri('foaf', 'name'), name, 'zh')
      .text(id, iri('foaf', 'name'), nameEn, 'en')
      .add(id, iri('dct', 'identifier'), literal(code))
      // Every publisher here is a body of the city government.
      .add(id, iri('dct', 'type'), 'http://purl.org/adms/publishertype/LocalAuthority');
    return id;
  };

  // The catalogue's own node first, so both serialisations open with it.
  g.add(catalog, RDF_TYPE, iri('dcat', 'Catalog'));
  const catalogPublisher = agent(info.publisher.code, info.publisher.name, info.publisher.nameEn);
  g.text(catalog, iri('dct', 'title'), info.title, 'zh')
    .text(catalog, iri('dct', 'title'), info.titleEn, 'en')
    .text(catalog, iri('dct', 'description'), info.description, 'zh')
    .add(catalog, iri('dct', 'publisher'), catalogPublisher)
    .add(catalog, iri('foaf', 'homepage'), `${base}/open`)
    .add(catalog, iri('dct', 'language'), zho)
    .add(catalog, iri('dcat', 'themeTaxonomy'), `${EU}/data-theme`)
    .add(catalog, iri('dcat', 'themeTaxonomy'), themeScheme);
  const lastModified = published.map((d) => Date.parse(d.modifiedAt)).filter(Number.isFinite);
  if (lastModified.length > 0) g.add(catalog, iri('dct', 'modified'), dateTime(new Date(Math.max(...lastModified)).toISOString()));
  g.add(catalog, iri('dcat', 'service'), service);
  for (const d of published) g.add(catalog, iri('dcat', 'dataset'), `${base}/open/datasets/${d.id}`);

  g.add(service, RDF_TYPE, iri('dcat', 'DataService'))
    .text(service, iri('dct', 'title'), `${info.title}开放接口`, 'zh')
    .text(service, iri('dct', 'title'), info.titleEn ? `${info.titleEn} open API` : '', 'en')
    .add(service, iri('dcat', 'endpointURL'), `${base}/api/open/v1`)
    .add(service, iri('dct', 'publisher'), catalogPublisher);
  for (const d of published) g.add(service, iri('dcat', 'servesDataset'), `${base}/open/datasets/${d.id}`);

  g.add(themeScheme, RDF_TYPE, iri('skos', 'ConceptScheme')).text(themeScheme, iri('dct', 'title'), `${info.title}主题分类`, 'zh');

  for (const d of published) {
    const ds = `${base}/open/datasets/${d.id}`;
    const publisher = agent(d.org.code, d.org.name, d.org.nameEn);
    const theme = `${themeScheme}/${encodeURIComponent(d.theme.code)}`;
    const contact = `${ds}#contact`;
    g.add(ds, RDF_TYPE, iri('dcat', 'Dataset'))
      .add(ds, iri('dct', 'identifier'), literal(d.id))
      .text(ds, iri('dct', 'title'), d.title, 'zh')
      .text(ds, iri('dct', 'title'), d.titleEn, 'en')
      .text(ds, iri('dct', 'description'), d.description, 'zh')
      .add(ds, iri('dct', 'publisher'), publisher)
      .add(ds, iri('dcat', 'contactPoint'), contact)
      .add(ds, iri('dcat', 'theme'), theme);
    const euTheme = EU_THEME[d.theme.code];
    if (euTheme) g.add(ds, iri('dcat', 'theme'), `${EU}/data-theme/${euTheme}`);
    for (const tag of d.tags) g.text(ds, iri('dcat', 'keyword'), tag, 'zh');
    g.add(ds, iri('dct', 'language'), zho)
      .add(ds, iri('dct', 'accrualPeriodicity'), `${EU}/frequency/${FREQUENCY[d.updateFrequency]}`)
      // Our records keep the first creation, not the first publication: the nearest we have.
      .add(ds, iri('dct', 'issued'), dateTime(d.createdAt))
      .add(ds, iri('dct', 'modified'), dateTime(d.modifiedAt))
      .add(ds, iri('dct', 'accessRights'), `${EU}/access-right/${ACCESS_RIGHT[d.openType]}`)
      .add(ds, iri('dcat', 'landingPage'), ds);
    if (d.version !== null) g.add(ds, iri('dcat', 'version'), literal(String(d.version)));

    g.add(contact, RDF_TYPE, iri('vcard', 'Organization'))
      .text(contact, iri('vcard', 'fn'), d.org.name, 'zh')
      .add(contact, iri('vcard', 'hasURL'), publisher);
    g.add(theme, RDF_TYPE, iri('skos', 'Concept'))
      .text(theme, iri('skos', 'prefLabel'), d.theme.name, 'zh')
      .text(theme, iri('skos', 'prefLabel'), d.theme.nameEn, 'en')
      .add(theme, iri('skos', 'inScheme'), themeScheme);

    const licence = d.licence.url.trim() || null;
    for (const format of exportFormats(d.formats)) {
      const dist = `${ds}/distributions/${format.ext}`;
      const download = exportUrl(base, d.id, format.ext);
      g.add(ds, iri('dcat', 'distribution'), dist);
      g.add(dist, RDF_TYPE, iri('dcat', 'Distribution'))
        .text(dist, iri('dct', 'title'), `${d.title}（${format.label}）`, 'zh')
        // A file we generate on request: the download is also the access point.
        .add(dist, iri('dcat', 'accessURL'), download)
        .add(dist, iri('dcat', 'downloadURL'), download)
        .add(dist, iri('dct', 'format'), `${EU}/file-type/${format.euFileType}`)
        .add(dist, iri('dcat', 'mediaType'), `${IANA}/${format.mediaType}`)
        .add(dist, iri('dct', 'modified'), dateTime(d.modifiedAt))
        .add(dist, iri('dcat', 'accessService'), service)
        .add(dist, iri('adms', 'status'), `${EU}/distribution-status/COMPLETED`)
        .add(dist, iri('dcatap', 'availability'), `${EU}/planned-availability/STABLE`);
      if (licence) g.add(dist, iri('dct', 'license'), licence);
    }
    if (licence) {
      g.add(licence, RDF_TYPE, iri('dct', 'LicenseDocument'))
        .add(licence, iri('dct', 'identifier'), literal(d.licence.id))
        .text(licence, iri('dct', 'title'), d.licence.title, 'zh');
    }
  }
  return g.quads();
}

/** `http://purl.org/dc/terms/title` → `dct:title` (an IRI outside our prefixes stays whole). */
function compact(value: string): string {
  for (const [prefix, ns] of Object.entries(NS)) {
    if (value.startsWith(ns) && /^[A-Za-z_][\w.-]*$/.test(value.slice(ns.length))) return `${prefix}:${value.slice(ns.length)}`;
  }
  return value;
}

type JsonLdValue = { '@id': string } | { '@value': string; '@language'?: string; '@type'?: string };
type JsonLdNode = { '@id': string; '@type'?: string[] } & { [property: string]: string | string[] | JsonLdValue[] };

/**
 * Writes quads as flattened JSON-LD: one node per subject, every value explicit (`@id`, or
 * `@value` with `@language` or `@type`), so reading it back needs only the prefix @context.
 */
function quadsToJsonLd(quads: readonly Quad[]): { '@context': Record<string, string>; '@graph': JsonLdNode[] } {
  const nodes = new Map<string, JsonLdNode>();
  for (const q of quads) {
    const node = nodes.get(q.subject.value) ?? { '@id': q.subject.value };
    nodes.set(q.subject.value, node);
    if (q.predicate.equals(RDF_TYPE)) {
      (node['@type'] ??= []).push(compact(q.object.value));
      continue;
    }
    const key = compact(q.predicate.value);
    const values = (node[key] ??= []) as JsonLdValue[];
    if (q.object.termType === 'Literal') {
      const lit = q.object;
      if (lit.language) values.push({ '@value': lit.value, '@language': lit.language });
      else if (lit.datatype.value === `${NS.xsd}string`) values.push({ '@value': lit.value });
      else values.push({ '@value': lit.value, '@type': compact(lit.datatype.value) });
    } else {
      values.push({ '@id': q.object.value });
    }
  }
  return { '@context': { ...NS }, '@graph': [...nodes.values()] };
}

/**
 * The catalogue as one JSON-LD document (flattened: an `@graph` of nodes, prefixes in
 * `@context`). Only published datasets are listed.
 *
 * @example
 * reply.type('application/ld+json').send(dcatJsonLd(info, await service.listDatasets()));
 * // { '@context': { dcat: 'http://www.w3.org/ns/dcat#', … },
 * //   '@graph': [{ '@id': 'https://data.xm.gov.cn/open/catalog', '@type': ['dcat:Catalog'], … }, …] }
 */
export function dcatJsonLd(info: CatalogueInfo, datasets: readonly Dataset[]): object {
  return quadsToJsonLd(catalogueQuads(info, datasets));
}

/**
 * The same catalogue graph as Turtle. Only published datasets are listed.
 *
 * @example
 * reply.type('text/turtle').send(await dcatTurtle(info, datasets));
 * // @prefix dcat: <http://www.w3.org/ns/dcat#>. …
 * // <https://data.xm.gov.cn/open/catalog> a dcat:Catalog; dct:title "厦门市公共数据开放平台"@zh; …
 */
export function dcatTurtle(info: CatalogueInfo, datasets: readonly Dataset[]): Promise<string> {
  const writer = new Writer({ format: 'text/turtle', prefixes: { ...NS } });
  writer.addQuads(catalogueQuads(info, datasets));
  return new Promise((resolve, reject) => {
    writer.end((error: Error | null, result: string) => (error ? reject(error) : resolve(result)));
  });
}
