import { describe, expect, it } from 'vitest';
import {
  CKAN_ERROR_STATUS,
  CkanParamError,
  ckanDatastoreDatasetId,
  ckanDatastoreSearch,
  ckanError,
  ckanGroup,
  ckanOrganization,
  ckanPackage,
  ckanSearchResult,
  ckanStatus,
  ckanSuccess,
  parseCkanSearch,
} from './ckan';
import { busStops } from './fixtures.test-support';

const BASE = 'https://data.xm.gov.cn';
const HELP = `${BASE}/api/3/action/help_show?name=package_show`;

describe('ckanPackage', () => {
  const pkg = ckanPackage(busStops(), `${BASE}/`) as Record<string, unknown> & { resources: Record<string, unknown>[] };

  it('has the keys and values of package_show', () => {
    expect(pkg).toMatchObject({
      id: 'siming-bus-stops',
      name: 'siming-bus-stops',
      title: '思明区公交站点',
      notes: '思明区范围内公交站点的名称、位置与途经线路，每日更新。',
      url: `${BASE}/open/datasets/siming-bus-stops`,
      version: '3',
      state: 'active',
      private: false,
      type: 'dataset',
      isopen: true,
      license_id: 'cc-by-4.0',
      license_title: '知识共享署名 4.0',
      license_url: 'https://creativecommons.org/licenses/by/4.0/',
      author: null,
      maintainer: null,
      owner_org: 'xm.transport',
      num_tags: 2,
      num_resources: 4,
      metadata_created: '2025-06-01T01:30:00.000000',
      metadata_modified: '2026-01-31T08:00:00.000000',
      relationships_as_object: [],
      relationships_as_subject: [],
    });
    expect(pkg.organization).toEqual({
      id: 'xm.transport',
      name: 'xm.transport',
      title: '厦门市交通运输局',
      type: 'organization',
      description: '',
      image_url: '',
      created: null,
      is_organization: true,
      approval_status: 'approved',
      state: 'active',
    });
    expect(pkg.groups).toEqual([{ id: 'transport', name: 'transport', title: '交通出行', display_name: '交通出行', description: '', image_display_url: '' }]);
    expect(pkg.tags).toEqual([
      { id: '公交', name: '公交', display_name: '公交', state: 'active', vocabulary_id: null },
      { id: '站点', name: '站点', display_name: '站点', state: 'active', vocabulary_id: null },
    ]);
    expect(pkg.extras).toEqual([
      { key: 'name_en', value: 'Bus stops in Siming District' },
      { key: 'open_type', value: 'unconditional' },
      { key: 'quality_score', value: '92' },
      { key: 'source_resource', value: 'transport.bus_stop' },
      { key: 'update_frequency', value: 'daily' },
    ]);
  });

  it('lists one resource per format, the CSV one in the DataStore', () => {
    expect(pkg.resources.map((r) => [r.id, r.format, r.mimetype, r.position, r.datastore_active])).toEqual([
      ['siming-bus-stops.csv', 'CSV', 'text/csv', 0, true],
      ['siming-bus-stops.json', 'JSON', 'application/json', 1, false],
      ['siming-bus-stops.xlsx', 'XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 2, false],
      ['siming-bus-stops.geojson', 'GeoJSON', 'application/geo+json', 3, false],
    ]);
    expect(pkg.resources[0]).toMatchObject({
      package_id: 'siming-bus-stops',
      url: `${BASE}/api/open/v1/datasets/siming-bus-stops/export.csv`,
      url_type: null,
      state: 'active',
      size: null,
      hash: '',
      created: '2025-06-01T01:30:00.000000',
      last_modified: '2026-01-31T08:00:00.000000',
    });
  });

  it('marks drafts, leaves out an empty English name, and is JSON all through', () => {
    const draft = ckanPackage(busStops({ status: 'draft', version: null, titleEn: '', sourceResource: null, openType: 'conditional' }), BASE) as Record<string, unknown>;
    expect(draft).toMatchObject({ state: 'draft', version: null, isopen: false });
    expect((draft.extras as { key: string }[]).map((e) => e.key)).toEqual(['open_type', 'quality_score', 'update_frequency']);
    expect(JSON.parse(JSON.stringify(draft))).toEqual(draft);
  });
});

describe('organizations and groups', () => {
  it('presents an organization as organization_show, with packages on request', () => {
    const org = { code: 'xm.transport', name: '厦门市交通运输局', nameEn: 'Xiamen Municipal Transport Bureau', packageCount: 1, createdAt: '2025-01-02T03:04:05.678Z' };
    expect(ckanOrganization(org, BASE)).toMatchObject({
      id: 'xm.transport',
      name: 'xm.transport',
      title: '厦门市交通运输局',
      display_name: '厦门市交通运输局',
      type: 'organization',
      is_organization: true,
      approval_status: 'approved',
      state: 'active',
      created: '2025-01-02T03:04:05.678000',
      package_count: 1,
      extras: [{ key: 'name_en', value: 'Xiamen Municipal Transport Bureau' }],
    });
    expect(ckanOrganization(org, BASE)).not.toHaveProperty('packages');
    const withPackages = ckanOrganization(org, BASE, { datasets: [busStops()] }) as { packages: { name: string }[] };
    expect(withPackages.packages.map((p) => p.name)).toEqual(['siming-bus-stops']);
  });

  it('presents a theme as a group', () => {
    expect(ckanGroup({ code: 'transport', name: '交通出行', nameEn: 'Transport', packageCount: 30 }, BASE)).toMatchObject({
      id: 'transport',
      name: 'transport',
      title: '交通出行',
      display_name: '交通出行',
      type: 'group',
      is_organization: false,
      package_count: 30,
    });
  });
});

describe('envelopes', () => {
  it('wraps results and errors as the action API does', () => {
    expect(ckanSuccess(HELP, [1])).toEqual({ help: HELP, success: true, result: [1] });
    expect(ckanError(HELP, 'Validation Error', { rows: ['Invalid integer'] })).toEqual({
      help: HELP,
      success: false,
      error: { __type: 'Validation Error', rows: ['Invalid integer'] },
    });
    expect(ckanError(HELP, 'Not Found Error', 'Dataset not found').error).toEqual({ __type: 'Not Found Error', message: 'Not found: Dataset not found' });
    expect(ckanError(HELP, 'Authorization Error', '').error).toEqual({ __type: 'Authorization Error', message: 'Access denied' });
    expect(ckanError(HELP, 'Validation Error', 'Bad input').error).toEqual({ __type: 'Validation Error', message: 'Bad input' });
    expect(CKAN_ERROR_STATUS).toEqual({ 'Validation Error': 409, 'Not Found Error': 404, 'Authorization Error': 403, 'Search Query Error': 400 });
  });

  it('answers status_show', () => {
    expect(ckanStatus(`${BASE}/`, '2.10.4')).toEqual({
      site_title: '鹭岛公共数据开放平台',
      site_description: '',
      site_url: BASE,
      ckan_version: '2.10.4',
      error_emails_to: null,
      locale_default: 'zh_Hans_CN',
      extensions: [],
    });
  });
});

describe('parseCkanSearch', () => {
  it('defaults like package_search', () => {
    expect(parseCkanSearch({})).toEqual({ fq: {}, rows: 10, start: 0, sort: 'relevance', facetFields: [] });
    expect(parseCkanSearch({ q: '*:*', rows: '', start: '' })).toEqual({ fq: {}, rows: 10, start: 0, sort: 'relevance', facetFields: [] });
  });

  it('reads the filters ckanapi and harvesters send', () => {
    expect(parseCkanSearch({ fq: 'organization:xm.transport' }).fq).toEqual({ organization: 'xm.transport' });
    expect(parseCkanSearch({ fq: 'tags:公交 res_format:CSV' }).fq).toEqual({ tags: ['公交'], res_format: 'CSV' });
    expect(parseCkanSearch({ fq: '+organization:xm.transport AND tags:"公交" tags:"站 点" res_format:geojson groups:transport license_id:cc-by-4.0' }).fq).toEqual({
      organization: 'xm.transport',
      tags: ['公交', '站 点'],
      res_format: 'GeoJSON',
      groups: 'transport',
      license_id: 'cc-by-4.0',
    });
    // ckanext-harvest's incremental run: naive UTC time with a Z, open upper bound, sorted by id.
    expect(parseCkanSearch({ fq: 'metadata_modified:[2026-01-01T00:00:00.123456Z TO *] +dataset_type:dataset', sort: 'id asc', rows: '100', start: '0' })).toEqual({
      fq: { metadata_modified: { from: '2026-01-01T00:00:00.123Z' } },
      rows: 100,
      start: 0,
      sort: 'title',
      facetFields: [],
    });
    expect(parseCkanSearch({ fq_list: ['organization:xm.transport', 'tags:公交'] }).fq).toEqual({ organization: 'xm.transport', tags: ['公交'] });
  });

  it('takes known field terms out of q and keeps the rest as text', () => {
    expect(parseCkanSearch({ q: '公交 tags:站点 思明' })).toMatchObject({ q: '公交 思明', fq: { tags: ['站点'] } });
    expect(parseCkanSearch({ q: 'http://example.org' })).toMatchObject({ q: 'http://example.org', fq: {} });
  });

  it('reads rows, start, sort and facet.field', () => {
    expect(parseCkanSearch({ rows: '1000', start: '0' })).toMatchObject({ rows: 1000, start: 0 });
    expect(parseCkanSearch({ rows: 5000 }).rows).toBe(1000); // cut to rows_max, as CKAN does
    expect(parseCkanSearch({ sort: 'metadata_modified desc' }).sort).toBe('modified');
    expect(parseCkanSearch({ sort: 'score desc,  metadata_modified desc' }).sort).toBe('relevance');
    expect(parseCkanSearch({ sort: 'title_string asc' }).sort).toBe('title');
    expect(parseCkanSearch({ sort: 'name asc' }).sort).toBe('title');
    expect(parseCkanSearch({ sort: 'views_recent desc' }).sort).toBe('downloads');
    expect(parseCkanSearch({ 'facet.field': '["organization","tags"]' }).facetFields).toEqual(['organization', 'tags']);
    expect(parseCkanSearch({ 'facet.field': ['res_format'] }).facetFields).toEqual(['res_format']);
  });

  it.each([
    [{ rows: '-1' }, 'rows', 'Must be a natural number'],
    [{ rows: 'abc' }, 'rows', 'Invalid integer'],
    [{ rows: '1.5' }, 'rows', 'Invalid integer'],
    [{ start: '-10' }, 'start', 'Must be a natural number'],
    [{ sort: 'popularity desc' }, 'sort', /Unsupported sort/],
    [{ sort: 'metadata_modified asc' }, 'sort', /Unsupported sort/],
    [{ 'facet.field': 'organization' }, 'facet.field', /JSON list/],
    [{ 'facet.field': '["maintainer"]' }, 'facet.field', /Unsupported facet/],
    [{ fq: 'author:someone' }, 'fq', /Unsupported filter field "author"/],
    [{ fq: '-organization:xm.transport' }, 'fq', /Negated/],
    [{ fq: 'organization:a OR organization:b' }, 'fq', /Cannot read/],
    [{ fq: 'organization:a organization:b' }, 'fq', /Only one organization/],
    [{ fq: 'metadata_modified:[NOW-1DAY TO *]' }, 'fq', /Invalid date/],
    [{ q: ['a', 'b'] }, 'q', 'Must be a string'],
  ])('refuses %j', (params, field, message) => {
    let error: unknown;
    try {
      parseCkanSearch(params);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CkanParamError);
    expect((error as CkanParamError).field).toBe(field);
    expect((error as CkanParamError).message).toMatch(message);
  });
});

describe('ckanSearchResult', () => {
  it('has the keys of package_search, facets both ways', () => {
    const result = ckanSearchResult(
      2,
      [busStops()],
      {
        tags: [
          { name: '公交', display_name: '公交', count: 2 },
          { name: '站点', display_name: '站点', count: 1 },
        ],
      },
      BASE,
      'modified',
    ) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['count', 'facets', 'results', 'sort', 'search_facets']);
    expect(result).toMatchObject({ count: 2, sort: 'metadata_modified desc', facets: { tags: { 公交: 2, 站点: 1 } } });
    expect((result.results as { name: string }[]).map((r) => r.name)).toEqual(['siming-bus-stops']);
    // CKAN sorts facet items by display name, descending.
    expect(result.search_facets).toEqual({
      tags: {
        title: 'tags',
        items: [
          { name: '站点', display_name: '站点', count: 1 },
          { name: '公交', display_name: '公交', count: 2 },
        ],
      },
    });
  });
});

describe('datastore_search', () => {
  it('knows which resource ids are DataStore resources', () => {
    expect(ckanDatastoreDatasetId('siming-bus-stops.csv')).toBe('siming-bus-stops');
    expect(ckanDatastoreDatasetId('siming-bus-stops')).toBe('siming-bus-stops');
    expect(ckanDatastoreDatasetId('siming-bus-stops.json')).toBeNull();
    expect(ckanDatastoreDatasetId('../etc')).toBeNull();
  });

  it('answers with _id first, DataStore types, and path-only links', () => {
    const fields = busStops().fields.map((f) => ({ name: f.name, type: f.type }));
    const result = ckanDatastoreSearch(
      'siming-bus-stops.csv',
      fields,
      [
        { stop_name: '轮渡', lines: 12, lat: 24.4556, lon: 118.0712 },
        { stop_name: '中山公园', lines: 20, lat: 24.4601, lon: 118.0895 },
      ],
      512,
      { offset: 100, limit: 2 },
      BASE,
      { resource_id: 'siming-bus-stops.csv', limit: '2', offset: '100', q: '公园' },
    ) as Record<string, unknown> & { records: Record<string, unknown>[] };
    expect(result).toMatchObject({
      include_total: true,
      resource_id: 'siming-bus-stops.csv',
      records_format: 'objects',
      limit: 2,
      offset: 100,
      total: 512,
      total_was_estimated: false,
    });
    expect(result.fields).toEqual([
      { id: '_id', type: 'int' },
      { id: 'stop_name', type: 'text' },
      { id: 'lines', type: 'int' },
      { id: 'lat', type: 'numeric' },
      { id: 'lon', type: 'numeric' },
    ]);
    expect(Object.keys(result.records[0] ?? {})[0]).toBe('_id');
    expect(result.records.map((r) => r._id)).toEqual([101, 102]);
    const links = result._links as { start: string; next: string };
    expect(links.start).toBe(`/api/3/action/datastore_search?resource_id=siming-bus-stops.csv&limit=2&q=${encodeURIComponent('公园')}`);
    expect(new URLSearchParams(links.next.split('?')[1]).get('offset')).toBe('102');
  });
});
