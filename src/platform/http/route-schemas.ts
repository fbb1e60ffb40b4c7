import type { RouteOptions } from 'fastify';
import { ProblemSchema } from './problem-schema';

/** The bounds of a request's integer without its own: PostgreSQL's `integer`. */
export const INTEGER_BOUNDS = { minimum: -2147483648, maximum: 2147483647 } as const;
// A number without bounds of its own is still finite (JSON's 1e309 parses as Infinity).
const NUMBER_BOUNDS = { minimum: -Number.MAX_VALUE, maximum: Number.MAX_VALUE } as const;

const REQUEST_PARTS = ['body', 'querystring', 'params', 'headers'] as const;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => value !== null && typeof value === 'object' && !Array.isArray(value);

// A copy of a request schema in which every integer and number has bounds: a query's
// `offset=1e23` is refused by the schema, not by the database as a 500.
function bounded(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(bounded);
  // A shared schema (by `$id`) is compiled once under its id; a copy would clash with it.
  if (!isSchema(schema) || '$id' in schema) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // Values, not schemas: left as they are.
    copy[key] = key === 'const' || key === 'enum' || key === 'default' || key === 'examples' ? value : bounded(value);
  }
  const types = Array.isArray(copy.type) ? copy.type : [copy.type];
  const bounds = types.includes('integer') ? INTEGER_BOUNDS : types.includes('number') ? NUMBER_BOUNDS : null;
  if (bounds) {
    if (copy.minimum === undefined && copy.exclusiveMinimum === undefined) copy.minimum = bounds.minimum;
    if (copy.maximum === undefined && copy.exclusiveMaximum === undefined) copy.maximum = bounds.maximum;
  }
  return copy;
}

/**
 * Completes a route's schema as it is registered (an onRoute hook):
 * - every integer and number a request may carry gets bounds unless it has its own;
 * - the responses name the problems every route may answer with, so that the OpenAPI document
 *   lists them: 400 where the request has a schema or a body, 413 and 415 where it has a body,
 *   414 where it has path parameters (unless the route answers errors its own way).
 */
export function completeRouteSchema(route: RouteOptions): void {
  const schema = route.schema as Schema | undefined;
  if (!schema || schema.hide) return;
  for (const part of REQUEST_PARTS) if (schema[part]) schema[part] = bounded(schema[part]);
  if ((route.config as { ownErrorBodies?: boolean } | undefined)?.ownErrorBodies) return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const withBody = methods.some((m) => WITH_BODY.has(m));
  const response = (schema.response ?? {}) as Record<string, unknown>;
  const add = (status: number) => {
    if (!(status in response) && !(String(status) in response)) response[status] = ProblemSchema;
  };
  if (withBody || REQUEST_PARTS.some((part) => schema[part])) add(400);
  // A path parameter longer than the router takes (`frameworkErrors`).
  if (schema.params) add(414);
  if (withBody) {
    add(413);
    add(415);
  }
  if (Object.keys(response).length > 0) schema.response = response;
}
