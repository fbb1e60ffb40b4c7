import { Parser, type Quad } from 'n3';
import { describe, expect, it } from 'vitest';
import { dcatJsonLd, dcatTurtle, type CatalogueInfo } from './dcat';
import { busStops } from './fixtures.test-support';

const BASE = 'https://data.xm.gov.cn';
const info: CatalogueInfo = {
  baseUrl: `${BASE}/`,
  title: '厦门市公共数据开放平台',
  titleEn: 'Xiamen Open Data',
  description: '厦门市政府部门开放的公共数据。',
  publisher: { code: 'xm.bigdata', name: '厦门市大数据管理局', nameEn: 'Xiamen Big Data Administration' },
  language: 'zh',
};
const datasets = [
  busStops(),
  busStops({ id: 'xm-air-quality', title: '空气质量日报', titleEn: '', theme: { code: 'environment', name: '生态环境', nameEn: 'Environment' }, formats: ['CSV', 'JSON'], geo: null, updateFrequency: 'realtime', openType: 'conditional', org: { code: 'xm.env', name: '厦门市生态环境局', nameEn: 'Xiamen Ecology and Environment Bureau' } }),
  busStops({ id: 'draft-parking', title: '停车场（草稿）', status: 'draft', version: null }),
];

const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};
const EU = 'http://publications.europa.eu/resource/authority';
const ds = (id: string) => `${BASE}/open/datasets/${id}`;

/** A triple as one comparable string (N-Triples-like). */
function key(s: string, p: string, o: { iri: string } | { value: string; lang?: string; type?: string }): string {
  if ('iri' in o) return `<${s}> <${p}> <${o.iri}>`;
  return `<${s}> <${p}> ${JSON.stringify(o.value)}${o.lang ? `@${o.lang}` : `^^<${o.type ?? `${NS.xsd}string`}>`}`;
}
const quadKey = (q: Quad) =>
  key(q.subject.value, q.predicate.value, q.object.termType === 'Literal' ? { value: q.object.value, lang: q.object.language || undefined, type: q.object.datatype.value } : { iri: q.object.value });

/** Expands our flattened JSON-LD by hand: prefixes from @context, every value explicit. */
function expandJsonLd(doc: { '@context': Record<string, string>; '@graph': Record<string, unknown>[] }): Set<string> {
  const expand = (term: string) => {
    const [prefix, local] = term.split(/:(.*)/s);
    return prefix && local !== undefined && prefix in doc['@context'] ? doc['@context'][prefix] + local : term;
  };
  const triples = new Set<string>();
  for (const node of doc['@graph']) {
    const s = node['@id'] as string;
    for (const type of (node['@type'] as string[] | undefined) ?? []) triples.add(key(s, `${NS.rdf}type`, { iri: expand(type) }));
    for (const [p, values] of Object.entries(node)) {
      if (p.startsWith('@')) continue;
      for (const v of values as Record<string, string>[]) {
        if (v['@id']) triples.add(key(s, expand(p), { iri: v['@id'] }));
        else triples.add(key(s, expand(p), { value: v['@value'] ?? '', lang: v['@language'], type: v['@type'] && expand(v['@type']) }));
      }
    }
  }
  return triples;
}

describe('dcatTurtle', () => {
  it('parses back as DCAT-AP: published datasets only, each titled in Chinese, each distribution reachable', async () => {
    const turtle = await dcatTurtle(info, datasets);
    expect(turtle).toMatch(/^@prefix dcat: <http:\/\/www\.w3\.org\/ns\/dcat#>\./m);
    const quads = new Parser({ format: 'text/turtle' }).parse(turtle);
    const objects = (s: string, p: string) => quads.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object);
    const subjectsOfType = (type: string) => quads.filter((q) => q.predicate.value === `${NS.rdf}type` && q.object.value === type).map((q) => q.subject.value);

    const catalog = `${BASE}/open/catalog`;
    expect(subjectsOfType(`${NS.dcat}Catalog`)).toEqual([catalog]);
    expect(objects(catalog, `${NS.dct}title`).map((o) => [o.value, 'language' in o ? o.language : null])).toEqual([
      ['厦门市公共数据开放平台', 'zh'],
      ['Xiamen Open Data', 'en'],
    ]);
    expect(objects(catalog, `${NS.dct}language`).map((o) => o.value)).toEqual([`${EU}/language/ZHO`]);
    expect(subjectsOfType(`${NS.dcat}Dataset`).sort()).toEqual([ds('siming-bus-stops'), ds('xm-air-quality')]);
    expect(objects(catalog, `${NS.dcat}dataset`).map((o) => o.value).sort()).toEqual([ds('siming-bus-stops'), ds('xm-air-quality')]);
    expect(turtle).not.toContain('draft-parking');

    for (const d of subjectsOfType(`${NS.dcat}Dataset`)) {
      expect(objects(d, `${NS.dct}title`).some((o) => o.termType === 'Literal' && o.language === 'zh')).toBe(true);
      expect(objects(d, `${NS.dct}description`)).toHaveLength(1);
      expect(objects(d, `${NS.dct}publisher`)).toHaveLength(1);
    }
    const dists = subjectsOfType(`${NS.dcat}Distribution`);
    expect(dists).toHaveLength(6);
    for (const dist of dists) {
      expect(objects(dist, `${NS.dcat}accessURL`)).toHaveLength(1);
      expect(objects(dist, `${NS.dcat}accessService`).map((o) => o.value)).toEqual([`${BASE}/open/services/open-api`]);
      expect(objects(dist, `${NS.dct}license`).map((o) => o.value)).toEqual(['https://creativecommons.org/licenses/by/4.0/']);
    }

    const service = `${BASE}/open/services/open-api`;
    expect(subjectsOfType(`${NS.dcat}DataService`)).toEqual([service]);
    expect(objects(service, `${NS.dcat}endpointURL`).map((o) => o.value)).toEqual([`${BASE}/api/open/v1`]);
    expect(objects(service, `${NS.dcat}servesDataset`)).toHaveLength(2);
  });

  it('maps our codes onto the EU authorities and IANA media types', async () => {
    const quads = new Parser().parse(await dcatTurtle(info, datasets));
    const has = (s: string, p: string, o: string) => quads.some((q) => q.subject.value === s && q.predicate.value === p && q.object.value === o);
    const bus = ds('siming-bus-stops');
    expect(has(bus, `${NS.dcat}theme`, `${BASE}/open/themes/transport`)).toBe(true);
    expect(has(bus, `${NS.dcat}theme`, `${EU}/data-theme/TRAN`)).toBe(true);
    expect(has(`${BASE}/open/themes/transport`, `${NS.skos}prefLabel`, '交通出行')).toBe(true);
    expect(has(bus, `${NS.dct}accrualPeriodicity`, `${EU}/frequency/DAILY`)).toBe(true);
    expect(has(bus, `${NS.dct}accessRights`, `${EU}/access-right/PUBLIC`)).toBe(true);
    expect(has(bus, `${NS.dcat}keyword`, '公交') && has(bus, `${NS.dcat}keyword`, '站点')).toBe(true);
    expect(has(bus, `${NS.dcat}version`, '3')).toBe(true);
    expect(has(bus, `${NS.dct}publisher`, `${BASE}/open/organizations/xm.transport`)).toBe(true);
    expect(has(bus, `${NS.dct}modified`, '2026-01-31T08:00:00.000Z')).toBe(true);
    const geojson = `${bus}/distributions/geojson`;
    expect(has(geojson, `${NS.dcat}downloadURL`, `${BASE}/api/open/v1/datasets/siming-bus-stops/export.geojson`)).toBe(true);
    expect(has(geojson, `${NS.dct}format`, `${EU}/file-type/GEOJSON`)).toBe(true);
    expect(has(geojson, `${NS.dcat}mediaType`, 'http://www.iana.org/assignments/media-types/application/geo+json')).toBe(true);
    const air = ds('xm-air-quality');
    expect(has(air, `${NS.dct}accrualPeriodicity`, `${EU}/frequency/UPDATE_CONT`)).toBe(true);
    expect(has(air, `${NS.dct}accessRights`, `${EU}/access-right/RESTRICTED`)).toBe(true);
    expect(has(air, `${NS.dcat}theme`, `${EU}/data-theme/ENVI`)).toBe(true);
    expect(quads.filter((q) => q.subject.value === air && q.predicate.value === `${NS.dct}title`)).toHaveLength(1); // no empty @en
  });
});

describe('dcatJsonLd', () => {
  it('is one JSON document with @context, listing the same datasets and titles', () => {
    const doc = JSON.parse(JSON.stringify(dcatJsonLd(info, datasets))) as { '@context': Record<string, string>; '@graph': Record<string, unknown>[] };
    expect(doc['@context']).toMatchObject({ dcat: NS.dcat, dct: NS.dct, foaf: NS.foaf, skos: NS.skos, xsd: NS.xsd, dcatap: 'http://data.europa.eu/r5r/' });
    const dsNodes = doc['@graph'].filter((n) => (n['@type'] as string[] | undefined)?.includes('dcat:Dataset'));
    expect(dsNodes.map((n) => n['@id'])).toEqual([ds('siming-bus-stops'), ds('xm-air-quality')]);
    expect(dsNodes[0]?.['dct:title']).toEqual([
      { '@value': '思明区公交站点', '@language': 'zh' },
      { '@value': 'Bus stops in Siming District', '@language': 'en' },
    ]);
    expect(dsNodes.map((n) => (n['dcat:distribution'] as unknown[]).length)).toEqual([4, 2]);
  });

  it('describes exactly the triples the Turtle does', async () => {
    const fromTurtle = new Set(new Parser().parse(await dcatTurtle(info, datasets)).map(quadKey));
    const fromJsonLd = expandJsonLd(dcatJsonLd(info, datasets) as Parameters<typeof expandJsonLd>[0]);
    expect(fromTurtle.size).toBeGreaterThan(100);
    expect([...fromJsonLd].sort()).toEqual([...fromTurtle].sort());
  });

  it('is a valid, empty catalogue when nothing is published', () => {
    const doc = dcatJsonLd(info, [busStops({ status: 'withdrawn' })]) as { '@graph': { '@type'?: string[] }[] };
    expect(doc['@graph'].filter((n) => n['@type']?.includes('dcat:Dataset'))).toEqual([]);
    expect(doc['@graph'][0]?.['@type']).toEqual(['dcat:Catalog']);
  });
});
