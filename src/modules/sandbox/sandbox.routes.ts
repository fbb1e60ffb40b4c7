import { Type } from 'typebox';
import { getPrincipal } from '../../platform/access';
import { problemResponses, type HttpApp } from '../../platform/http';
import {
  Aggregate,
  AggregateBody,
  BatchVerification,
  CaseType,
  Consent,
  MyVerification,
  NewCaseTypeBody,
  NewConsentBody,
  NewTemplateBody,
  Receipt,
  ReceiptKey,
  ReceiptKeys,
  Template,
  Verification,
  VerificationAttempt,
  VerifyBatchBody,
  VerifyBody,
} from './sandbox.contract';
import type { SandboxService } from './sandbox.service';

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) });
/** A batch of 100,000 cases with five claims each is about 30 MB of JSON. */
const BATCH_BODY_LIMIT = 64 * 1024 * 1024;

/**
 * The sandbox API under /api/sandbox: templates and case types (read), citizens' consents,
 * verification of one case or of a batch, receipts and the public keys that check them, the
 * citizen's own verifications, and planning aggregates under disclosure control.
 */
export function registerSandboxRoutes(app: HttpApp, service: SandboxService): void {
  const tags = ['sandbox'];

  app.get(
    '/api/sandbox/templates',
    { schema: { tags, summary: 'Verification templates the provider departments declared', response: { 200: Type.Array(Template), ...problemResponses(401) } } },
    async (request) => service.listTemplates(await getPrincipal(request)),
  );

  app.post(
    '/api/sandbox/templates',
    { schema: { tags, summary: 'Declare a template on my department’s resources (a predicate kind, named)', body: NewTemplateBody, response: { 201: Template, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.code(201).send(await service.declareTemplate(await getPrincipal(request), request.body, request.id)),
  );

  app.post(
    '/api/sandbox/case-types',
    { schema: { tags, summary: 'Declare a case type of my department: purpose, legal basis, claim whitelist, throttles', body: NewCaseTypeBody, response: { 201: CaseType, ...problemResponses(400, 401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await service.declareCaseType(await getPrincipal(request), request.body, request.id)),
  );

  app.get(
    '/api/sandbox/case-types',
    { schema: { tags, summary: 'Case types: their department, purpose, claim whitelist and throttles', response: { 200: Type.Array(CaseType), ...problemResponses(401) } } },
    async (request) => service.listCaseTypes(await getPrincipal(request)),
  );

  app.post(
    '/api/sandbox/consents',
    { schema: { tags: ['citizen'], summary: 'Authorise a case type to check some of my claims, until a date', body: NewConsentBody, response: { 201: Consent, ...problemResponses(400, 401, 403, 404) } } },
    async (request, reply) => reply.code(201).send(await service.createConsent(await getPrincipal(request), request.body, request.id)),
  );

  app.get(
    '/api/sandbox/consents',
    { schema: { tags: ['citizen'], summary: 'My consents (live, withdrawn, expired)', response: { 200: Type.Array(Consent), ...problemResponses(401, 403) } } },
    async (request) => service.listConsents(await getPrincipal(request)),
  );

  app.post(
    '/api/sandbox/consents/:id/withdraw',
    { schema: { tags: ['citizen'], summary: 'Withdraw a consent; later checks are refused', params: Id, response: { 200: Consent, ...problemResponses(401, 403, 404, 409) } } },
    async (request) => service.withdrawConsent(await getPrincipal(request), request.params.id, request.id),
  );

  app.get(
    '/api/sandbox/my-verifications',
    { schema: { tags: ['citizen'], summary: 'Every verification about me: when, which department and case, which claim, what it came to', response: { 200: Type.Array(MyVerification), ...problemResponses(401, 403) } } },
    async (request) => service.myVerifications(await getPrincipal(request)),
  );

  app.post(
    '/api/sandbox/verifications',
    {
      schema: {
        tags,
        summary: "Verify one case's claims: match / no_match / unverifiable each, with a signed receipt; a refusal is one 403 shape whatever the reason",
        body: VerifyBody,
        response: { 200: Verification, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => service.verify(await getPrincipal(request), request.body, request.id),
  );

  app.post(
    '/api/sandbox/verifications/batch',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Verify many cases of one case type at once (set-based); each case is answered or refused whole; receipts by id',
        body: VerifyBatchBody,
        response: { 200: BatchVerification, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => service.verifyBatch(await getPrincipal(request), request.body, request.id),
  );

  app.get(
    '/api/sandbox/verifications',
    {
      schema: {
        tags,
        summary: "My department's verification attempts, newest first (operators and auditors: all)",
        querystring: Type.Object({
          caseType: Type.Optional(Type.String({ maxLength: 80 })),
          caseId: Type.Optional(Type.String({ maxLength: 100 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        }),
        response: {
          200: Type.Array(VerificationAttempt),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => service.listVerifications(await getPrincipal(request), request.query),
  );

  app.get(
    '/api/sandbox/receipts/:id',
    { schema: { tags, summary: 'A signed receipt of my department', params: Id, response: { 200: Receipt, ...problemResponses(401, 403, 404) } } },
    async (request) => service.getReceipt(await getPrincipal(request), request.params.id),
  );

  app.get(
    '/api/sandbox/receipt-keys',
    { schema: { tags, summary: 'The Ed25519 public keys receipts are signed with (public; `ludao verify-receipt --key` takes this JSON)', response: { 200: ReceiptKeys } } },
    async () => service.receiptKeys(),
  );

  app.post(
    '/api/sandbox/receipt-keys',
    { schema: { tags, summary: 'Rotate the receipt key (operators): a new key signs from now on; the old one stays published for the receipts it signed', response: { 201: ReceiptKey, ...problemResponses(401, 403) } } },
    async (request, reply) => reply.code(201).send(await service.rotateReceiptKey(await getPrincipal(request), request.id)),
  );

  app.post(
    '/api/sandbox/aggregates',
    {
      schema: {
        tags,
        summary: "A case type's applicants, and those a claim holds for, per street or district; counts ≤ 7 withheld, others rounded to 5",
        body: AggregateBody,
        response: { 200: Aggregate, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.aggregate(await getPrincipal(request), request.body, request.id),
  );
}
