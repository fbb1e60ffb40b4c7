import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { getPrincipal } from '../../platform/access';
import type { HttpApp } from '../../platform/http';
import { Problem } from '../../platform/http/problem';
import {
  CKAN_ERROR_STATUS,
  ckanDatastoreDatasetId,
  ckanDatastoreSearch,
  ckanError,
  ckanGroup,
  ckanOrganization,
  ckanPackage,
  CkanParamError,
  ckanSearchResult,
  ckanStatus,
  ckanSuccess,
  parseCkanSearch,
  type CkanErrorType,
} from './interop/ckan';
import { dcatJsonLd, dcatTurtle, type CatalogueInfo } from './interop/dcat';
import type { OpenDataService } from './opendata.service';
import { rateLimitHeaders, type PortalAccess } from './portal-access';
import { QueryError } from './query/record-query';
import { findUnstorable } from '../../platform/http/storable-text';

/** The CKAN version whose action API shapes we follow. */
export const CKAN_API_VERSION = '2.10.4';
const DATASTORE_MAX_LIMIT = 1000;

/** Where the portal is reached: the configured public URL, else this request's origin. */
function baseUrlOf(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? `${request.protocol}://${request.host}`;
}

function catalogueInfo(baseUrl: string): CatalogueInfo {
  return {
    baseUrl,
    title: '鹭岛公共数据开放平台',
    titleEn: 'Ludao Open Data Portal',
    description: '本市政务部门依法开放的公共数据：数据集、接口与更新记录。Public data opened by the city’s departments.',
    publisher: { code: 'xm.ic', name: '市信息中心', nameEn: 'City Information Centre' },
    language: 'zh',
  };
}

// CKAN takes parameters from the query string (GET) or a JSON body (POST); both reach the action.
function paramsOf(request: FastifyRequest): Record<string, unknown> {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
  return { ...query, ...body };
}

function intParam(params: Record<string, unknown>, name: string, fallback: number, max: number): number {
  const raw = params[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new CkanParamError(name, name === 'offset' ? 'Must be a natural number' : 'Invalid integer');
  return Math.min(n, max);
}

function jsonParam(params: Record<string, unknown>, name: string): unknown {
  const raw = params[name];
  if (typeof raw !== 'string') return raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new CkanParamError(name, 'Cannot parse JSON');
  }
  // JSON's escapes can make what the query could not hold: a NUL, a lone surrogate.
  if (findUnstorable(parsed, name) !== null) throw new CkanParamError(name, 'Must not contain a NUL character or a lone surrogate');
  return parsed;
}

function listParam(params: Record<string, unknown>, name: string): string[] | undefined {
  const raw = jsonParam(params, name) ?? undefined;
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') return raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw;
  throw new CkanParamError(name, 'Must be a list of strings');
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === 'True' || value === '1';
}

/**
 * Interoperability: the catalogue as DCAT-AP 3 (JSON-LD and Turtle) and a CKAN-compatible
 * action API subset at /api/3/action/, so CKAN clients and harvesters work unchanged.
 */
export function registerInteropRoutes(app: HttpApp, service: OpenDataService, access: PortalAccess, publicUrl: string | undefined): void {
  app.get(
    '/api/open/v1/catalog.jsonld',
    { schema: { tags: ['open data: interoperability'], summary: 'The catalogue as DCAT-AP 3 JSON-LD' } },
    async (request, reply) => reply.type('application/ld+json; charset=utf-8').send(dcatJsonLd(catalogueInfo(baseUrlOf(request, publicUrl)), await service.publishedDatasets())),
  );
  app.get(
    '/api/open/v1/catalog.ttl',
    { schema: { tags: ['open data: interoperability'], summary: 'The catalogue as DCAT-AP 3 Turtle' } },
    async (request, reply) => reply.type('text/turtle; charset=utf-8').send(await dcatTurtle(catalogueInfo(baseUrlOf(request, publicUrl)), await service.publishedDatasets())),
  );

  const action = async (request: FastifyRequest<{ Params: { action: string } }>, reply: FastifyReply) => {
    const base = baseUrlOf(request, publicUrl);
    const name = request.params.action;
    const help = `${base}/api/3/action/help_show?name=${encodeURIComponent(name)}`;
    const fail = (type: CkanErrorType, message: string | Record<string, string[]>) => reply.code(CKAN_ERROR_STATUS[type]).send(ckanError(help, type, message));
    const params = paramsOf(request);
    try {
      switch (name) {
        case 'status_show':
          return ckanSuccess(help, ckanStatus(base, CKAN_API_VERSION));
        case 'package_list': {
          const ids = (await service.publishedDatasets()).map((d) => d.id).sort();
          const offset = intParam(params, 'offset', 0, Number.MAX_SAFE_INTEGER);
          const limit = params.limit === undefined ? ids.length : intParam(params, 'limit', ids.length, ids.length);
          return ckanSuccess(help, ids.slice(offset, offset + limit));
        }
        case 'package_show': {
          const id = typeof params.id === 'string' ? params.id : typeof params.name_or_id === 'string' ? params.name_or_id : undefined;
          if (!id) return fail('Validation Error', { id: ['Missing value'] });
          try {
            return ckanSuccess(help, ckanPackage(await service.getDataset(await getPrincipal(request), id), base));
          } catch (error) {
            if (error instanceof Problem && error.status === 404) return fail('Not Found Error', 'Not found');
            throw error;
          }
        }
        case 'package_search': {
          const p = parseCkanSearch(params);
          const found = await service.searchCatalogue({
            q: p.q,
            org: p.fq.organization,
            theme: p.fq.groups,
            tags: p.fq.tags,
            licence: p.fq.license_id,
            geo: p.fq.res_format?.toLowerCase() === 'geojson' ? true : undefined,
            modifiedFrom: p.fq.metadata_modified?.from,
            modifiedTo: p.fq.metadata_modified?.to,
            sort: p.sort,
            limit: p.rows,
            offset: p.start,
          });
          const facetOf = { organization: found.facets.org, groups: found.facets.theme, tags: found.facets.tags, res_format: found.facets.format, license_id: found.facets.licence } as const;
          const facets = Object.fromEntries(
            p.facetFields.filter((f): f is keyof typeof facetOf => f in facetOf).map((f) => [f, facetOf[f].map((x) => ({ name: x.value, display_name: x.label, count: x.count }))]),
          );
          return ckanSuccess(help, ckanSearchResult(found.total, found.items, facets, base, p.sort));
        }
        case 'organization_list': {
          const orgs = await service.organizations();
          if (!truthy(params.all_fields)) return ckanSuccess(help, orgs.map((o) => o.code));
          return ckanSuccess(help, orgs.map((o) => ckanOrganization({ code: o.code, name: o.name, nameEn: o.nameEn, packageCount: o.datasets, createdAt: o.since }, base)));
        }
        case 'organization_show': {
          const id = typeof params.id === 'string' ? params.id : undefined;
          if (!id) return fail('Validation Error', { id: ['Missing value'] });
          const org = (await service.organizations()).find((o) => o.code === id);
          if (!org) return fail('Not Found Error', 'Not found');
          const datasets = truthy(params.include_datasets) ? (await service.publishedDatasets()).filter((d) => d.org.code === id) : undefined;
          return ckanSuccess(help, ckanOrganization({ code: org.code, name: org.name, nameEn: org.nameEn, packageCount: org.datasets, createdAt: org.since }, base, { datasets }));
        }
        case 'group_list': {
          const themes = (await service.themes()).filter((t) => t.datasets > 0);
          if (!truthy(params.all_fields)) return ckanSuccess(help, themes.map((t) => t.code));
          return ckanSuccess(help, themes.map((t) => ckanGroup({ ...t, packageCount: t.datasets }, base)));
        }
        case 'tag_list': {
          const q = typeof params.query === 'string' ? params.query : undefined;
          const tags = (await service.tags()).map((t) => t.tag).filter((t) => !q || t.includes(q));
          return ckanSuccess(help, truthy(params.all_fields) ? tags.map((t) => ({ id: t, name: t, display_name: t, vocabulary_id: null, state: 'active' })) : tags);
        }
        case 'datastore_search': {
          const resourceId = typeof params.resource_id === 'string' ? params.resource_id : typeof params.id === 'string' ? params.id : undefined;
          if (!resourceId) return fail('Validation Error', { resource_id: ['Missing value'] });
          const datasetId = ckanDatastoreDatasetId(resourceId);
          if (!datasetId) return fail('Not Found Error', `Resource "${resourceId}" was not found.`);
          const admission = await access.admit(request.headers, request.ip, Date.now(), (await getPrincipal(request))?.id);
          void reply.headers(rateLimitHeaders(admission));
          const filters = jsonParam(params, 'filters') ?? {};
          if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) throw new CkanParamError('filters', 'Must be a JSON object');
          const limit = intParam(params, 'limit', 100, DATASTORE_MAX_LIMIT);
          const offset = intParam(params, 'offset', 0, Number.MAX_SAFE_INTEGER);
          const sort = typeof params.sort === 'string' ? params.sort : undefined;
          let page;
          try {
            page = await service.datastoreSearch(await getPrincipal(request), admission, datasetId, { filters: filters as Record<string, unknown>, q: typeof params.q === 'string' ? params.q : undefined, fields: listParam(params, 'fields'), sort, limit, offset });
          } catch (error) {
            if (error instanceof Problem && error.status === 404) return fail('Not Found Error', `Resource "${resourceId}" was not found.`);
            if (error instanceof Problem && error.status === 403) return fail('Authorization Error', error.detail ?? 'Access denied');
            throw error;
          }
          access.count(admission, datasetId, 'call');
          const query = Object.fromEntries(Object.entries(params).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]));
          return ckanSuccess(help, ckanDatastoreSearch(resourceId, page.fields, page.records, page.total, { offset, limit }, base, query));
        }
        default:
          return reply.code(400).send({ help, success: false, error: { __type: 'Bad Request', message: `Bad request - Action name not known: ${name}` } });
      }
    } catch (error) {
      if (error instanceof CkanParamError) return fail('Validation Error', { [error.field]: [error.message] });
      if (error instanceof QueryError) return fail('Validation Error', { [error.parameter]: [error.message] });
      if (error instanceof Problem && error.status === 429) {
        for (const [k, v] of Object.entries(error.headers ?? {})) void reply.header(k, v);
        return reply.code(429).send({ help, success: false, error: { __type: 'Rate Limit', message: error.detail } });
      }
      if (error instanceof Problem && error.status === 401) return fail('Authorization Error', error.detail ?? 'Not authenticated');
      throw error;
    }
  };
  const schema = { tags: ['open data: CKAN API'], summary: 'CKAN action API subset (package_list, package_search, package_show, organization_list/show, group_list, tag_list, status_show, datastore_search)', params: Type.Object({ action: Type.String({ maxLength: 60 }) }) };
  // CKAN's clients read CKAN's error envelope: the route lists no problem+json answers.
  const config = { ownErrorBodies: true };
  app.get('/api/3/action/:action', { schema, config }, action);
  app.post('/api/3/action/:action', { schema, config }, action);
}
