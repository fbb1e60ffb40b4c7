import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { auditActor, hasPermission, requirePermission, type Principal } from '../../platform/access';
import type { AuditLog } from '../../platform/audit';
import { Problem } from '../../platform/http/problem';
import { odMessage } from './messages';
import * as store from './opendata.store';
import { findPersonalValue } from './personal-data';
import { THEMES } from './portal-terms';

/** What the community features need. */
export interface CommunityDeps {
  db: Kysely<object>;
  audit: AuditLog;
  transaction<T>(work: (trx: Transaction<object>) => Promise<T>): Promise<T>;
}

/** Feedback as the portal shows it. */
export interface Feedback {
  id: string;
  dataset: string;
  kind: 'error' | 'comment';
  body: string;
  author: string;
  status: 'open' | 'answered';
  reply: string | null;
  createdAt: string;
  repliedAt: string | null;
}

/** A data request as the portal shows it. */
export interface DataRequest {
  id: string;
  title: string;
  description: string;
  theme: string | null;
  author: string;
  status: 'open' | 'planned' | 'fulfilled' | 'declined';
  reply: string | null;
  dataset: string | null;
  createdAt: string;
}

/** An app of the showcase. */
export interface ShowcaseApp {
  id: string;
  name: string;
  description: string;
  url: string;
  datasets: string[];
  author: string;
  status: 'pending' | 'listed' | 'rejected';
  createdAt: string;
}

function belongsTo(org: string, caller: string | null): boolean {
  return caller !== null && (org === caller || org.startsWith(`${caller}.`));
}

// Public text must not carry personal data either (a report quoting an ID number, a phone).
function checkText(text: string, field: string): void {
  const hit = findPersonalValue({ [field]: text });
  if (!hit) return;
  const mobile = hit.kind === 'mobile number';
  throw Problem.validation(odMessage(mobile ? 'od.text.mobile' : 'od.text.residentId', { field }), [{ field: `/body/${field}`, message: odMessage(mobile ? 'od.text.holdsMobile' : 'od.text.holdsResidentId') }]);
}

/**
 * The portal's community: feedback and error reports (纠错) on a dataset go to the department
 * that provides it, which replies in public; anyone signed in asks for data not yet open and
 * the portal answers; apps built on open datasets are listed in a showcase after review.
 */
export class Community {
  constructor(private readonly deps: CommunityDeps) {}

  /** A signed-in user reports an error in a dataset or comments on it. */
  async giveFeedback(caller: Principal | null, datasetId: string, body: { kind: 'error' | 'comment'; body: string }, requestId?: string): Promise<Feedback> {
    const me = requirePermission(caller, 'opendata:develop');
    const d = await store.findDataset(this.deps.db, datasetId);
    if (!d || d.status !== 'published') throw Problem.notFound(odMessage('od.noPublishedDataset', { id: datasetId }));
    checkText(body.body, 'body');
    const id = randomUUID();
    await this.deps.transaction(async (trx) => {
      await store.insertFeedback(trx, { id, dataset_id: datasetId, provider_org: d.org_code, kind: body.kind, body: body.body, user_id: me.id, author: me.name });
      await this.deps.audit.append(trx, { action: 'opendata.feedback.create', actor: auditActor(me), subject: { type: 'dataset', id: datasetId }, requestId, detail: { feedback: id, kind: body.kind } });
    });
    return presentFeedback((await store.findFeedback(this.deps.db, id))!);
  }

  /** A dataset's feedback with the provider's replies (public). */
  async datasetFeedback(datasetId: string): Promise<Feedback[]> {
    return (await store.listFeedback(this.deps.db, { datasetId })).map(presentFeedback);
  }

  /** Feedback on my department's datasets (all, for operators). */
  async providerFeedback(caller: Principal | null): Promise<Feedback[]> {
    const me = requirePermission(caller, 'opendata:publish');
    const rows = hasPermission(me, 'opendata:review') ? await store.listFeedback(this.deps.db, {}) : await store.listFeedback(this.deps.db, { providerOrg: me.orgCode ?? '-' });
    return rows.map(presentFeedback);
  }

  /** The providing department replies (in public). */
  async reply(caller: Principal | null, id: string, reply: string, requestId?: string): Promise<Feedback> {
    const me = requirePermission(caller, 'opendata:publish');
    const f = await store.findFeedback(this.deps.db, id);
    if (!f) throw Problem.notFound(odMessage('od.noFeedback', { id }));
    if (!belongsTo(f.provider_org, me.orgCode) && !hasPermission(me, 'opendata:review')) throw Problem.forbidden(odMessage('od.feedbackGoesTo', { dataset: f.dataset_id, org: f.provider_org }));
    checkText(reply, 'reply');
    await this.deps.transaction(async (trx) => {
      await store.replyFeedback(trx, id, reply, me.id);
      await this.deps.audit.append(trx, { action: 'opendata.feedback.reply', actor: auditActor(me), subject: { type: 'dataset', id: f.dataset_id }, requestId, detail: { feedback: id } });
    });
    return presentFeedback((await store.findFeedback(this.deps.db, id))!);
  }

  /** A signed-in user asks for data that is not open yet. */
  async requestData(caller: Principal | null, body: { title: string; description: string; theme?: string }, requestId?: string): Promise<DataRequest> {
    const me = requirePermission(caller, 'opendata:develop');
    if (body.theme && !THEMES.some((t) => t.code === body.theme)) throw Problem.validation(odMessage('od.noRequestTheme', { theme: body.theme }), [{ field: '/body/theme', message: odMessage('od.unknownTheme') }]);
    checkText(`${body.title} ${body.description}`, 'description');
    const id = randomUUID();
    await this.deps.transaction(async (trx) => {
      await store.insertDataRequest(trx, { id, title: body.title, description: body.description, theme: body.theme ?? null, user_id: me.id, author: me.name });
      await this.deps.audit.append(trx, { action: 'opendata.data_request.create', actor: auditActor(me), subject: { type: 'open_data_request', id }, requestId });
    });
    return presentRequest((await store.findDataRequest(this.deps.db, id))!);
  }

  /** Every data request with its answer (public). */
  async dataRequests(): Promise<DataRequest[]> {
    return (await store.listDataRequests(this.deps.db)).map(presentRequest);
  }

  /** The portal answers a data request: planned, fulfilled (naming the dataset) or declined with a reason. */
  async answerRequest(caller: Principal | null, id: string, body: { status: 'planned' | 'fulfilled' | 'declined'; reply: string; dataset?: string }, requestId?: string): Promise<DataRequest> {
    const me = requirePermission(caller, 'opendata:review');
    const r = await store.findDataRequest(this.deps.db, id);
    if (!r) throw Problem.notFound(odMessage('od.noDataRequest', { id }));
    if (body.status === 'fulfilled' && (!body.dataset || (await store.publishedIds(this.deps.db, [body.dataset])).length === 0)) {
      throw Problem.validation(odMessage('od.fulfilledNeedsDataset'), [{ field: '/body/dataset', message: odMessage('od.publishedDatasetRequired') }]);
    }
    await this.deps.transaction(async (trx) => {
      await store.answerDataRequest(trx, id, { status: body.status, reply: body.reply, datasetId: body.dataset ?? null });
      await this.deps.audit.append(trx, { action: 'opendata.data_request.answer', actor: auditActor(me), subject: { type: 'open_data_request', id }, requestId, detail: { status: body.status } });
    });
    return presentRequest((await store.findDataRequest(this.deps.db, id))!);
  }

  /** A developer submits an app built on open datasets (listed after review). */
  async submitApp(caller: Principal | null, body: { name: string; description: string; url: string; datasets: string[] }, requestId?: string): Promise<ShowcaseApp> {
    const me = requirePermission(caller, 'opendata:develop');
    if (!/^https?:\/\/[^\s]+$/.test(body.url)) throw Problem.validation(odMessage('od.urlRequired'), [{ field: '/body/url', message: odMessage('od.notUrl') }]);
    const known = await store.publishedIds(this.deps.db, body.datasets);
    const unknown = body.datasets.find((d) => !known.includes(d));
    if (unknown) throw Problem.validation(odMessage('od.noPublishedDatasetNamed', { dataset: unknown }), [{ field: '/body/datasets', message: odMessage('od.unknownDataset', { dataset: unknown }) }]);
    checkText(`${body.name} ${body.description}`, 'description');
    const id = randomUUID();
    await this.deps.transaction(async (trx) => {
      await store.insertApp(trx, { id, name: body.name, description: body.description, url: body.url, datasets: body.datasets, user_id: me.id, author: me.name });
      await this.deps.audit.append(trx, { action: 'opendata.app.submit', actor: auditActor(me), subject: { type: 'open_app', id }, requestId });
    });
    return presentApp((await store.findApp(this.deps.db, id))!);
  }

  /** Listed apps (those using one dataset, if given); pending ones too for operators. */
  async apps(caller: Principal | null, datasetId?: string): Promise<ShowcaseApp[]> {
    const statuses = hasPermission(caller, 'opendata:review') ? ['listed', 'pending'] : ['listed'];
    return (await store.listApps(this.deps.db, { statuses, datasetId })).map(presentApp);
  }

  /** The portal lists or rejects a submitted app. */
  async reviewApp(caller: Principal | null, id: string, body: { list: boolean; note?: string }, requestId?: string): Promise<ShowcaseApp> {
    const me = requirePermission(caller, 'opendata:review');
    const a = await store.findApp(this.deps.db, id);
    if (!a) throw Problem.notFound(odMessage('od.noApp', { id }));
    await this.deps.transaction(async (trx) => {
      await store.reviewApp(trx, id, body.list ? 'listed' : 'rejected', body.note ?? null);
      await this.deps.audit.append(trx, { action: 'opendata.app.review', actor: auditActor(me), subject: { type: 'open_app', id }, requestId, detail: { list: body.list } });
    });
    return presentApp((await store.findApp(this.deps.db, id))!);
  }
}

function presentFeedback(f: store.FeedbackRow): Feedback {
  return { id: f.id, dataset: f.dataset_id, kind: f.kind, body: f.body, author: f.author, status: f.status, reply: f.reply, createdAt: f.created_at.toISOString(), repliedAt: f.replied_at?.toISOString() ?? null };
}

function presentRequest(r: store.DataRequestRow): DataRequest {
  return { id: r.id, title: r.title, description: r.description, theme: r.theme, author: r.author, status: r.status, reply: r.reply, dataset: r.dataset_id, createdAt: r.created_at.toISOString() };
}

function presentApp(a: store.AppRow): ShowcaseApp {
  return { id: a.id, name: a.name, description: a.description, url: a.url, datasets: a.datasets, author: a.author, status: a.status, createdAt: a.created_at.toISOString() };
}
