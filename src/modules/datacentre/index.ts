import type { LudaoModule, ModuleContext } from '../../platform/module';
import { DatacentreService } from './datacentre.service';
import { createCatalogue } from './migrations/0001-create-catalogue';
import { batchRowIndex } from './migrations/0002-batch-row-index';
import { uniqueCurrentKey } from './migrations/0003-unique-current-key';
import { valuesCompared } from './migrations/0004-values-compared';
import { identifiersInByteOrder } from './migrations/0005-identifiers-in-byte-order';
import { oneIndexForVersionsByKey } from './migrations/0006-one-index-for-versions-by-key';
import { noSubjectIndexWhereSubjectIsKey } from './migrations/0007-no-subject-index-where-subject-is-key';
import { subjectIndexWhereKeyIsNotStoredAsSubject } from './migrations/0008-subject-index-where-key-is-not-stored-as-subject';
import { messagesAsCodes } from './migrations/0009-messages-as-codes';
import { englishTexts } from './migrations/0010-english-texts';

export { BUILTIN_RESOURCES, DOMAINS, UPDATE_CYCLES, type BuiltinResource } from './catalogue';
export type { Batch, FieldSpec, Resource, ResourceSpec, ResourceStats, StoredRecord } from './datacentre.contract';
export { DatacentreService, maskValue, type DatacentreFigures, type FileImport } from './datacentre.service';
export type { BatchOutcome, BatchProgress } from './ingest/batch';
export type { AggregateRow } from './datacentre.store';
export { formatOf, readRows, UnreadableFileError, type FileFormat, type RawRow, type ReadInfo } from './ingest/readers';
export { dcMessage } from './messages';
export { RecordReader, type FieldCondition, type SharedChange, type SharedRecord, type SharedResource } from './record-reader';

/** Builds the data centre service over a module context (the CLI and flows use it without HTTP). */
export function createDatacentreService(ctx: Pick<ModuleContext, 'database' | 'db' | 'audit' | 'events' | 'transaction' | 'config'>): DatacentreService {
  return new DatacentreService(ctx);
}

/**
 * The data centre (system 1): the resource catalogue, base registries and departmental
 * resources in versioned record tables, and ingestion by file and by API.
 */
export const datacentreModule: LudaoModule = {
  name: 'datacentre',
  migrations: {
    '0001-create-catalogue': createCatalogue,
    '0002-batch-row-index': batchRowIndex,
    '0003-unique-current-key': uniqueCurrentKey,
    '0004-values-compared': valuesCompared,
    '0005-identifiers-in-byte-order': identifiersInByteOrder,
    '0006-one-index-for-versions-by-key': oneIndexForVersionsByKey,
    '0007-no-subject-index-where-subject-is-key': noSubjectIndexWhereSubjectIsKey,
    '0008-subject-index-where-key-is-not-stored-as-subject': subjectIndexWhereKeyIsNotStoredAsSubject,
    '0009-messages-as-codes': messagesAsCodes,
    '0010-english-texts': englishTexts,
  },
  async register(ctx) {
    const service = createDatacentreService(ctx);
    await service.startCaching();
    ctx.http.addHook('onClose', () => service.stopCaching());
    await service.recoverBatches();
    const { registerDatacentreRoutes } = await import('./datacentre.routes');
    registerDatacentreRoutes(ctx.http, service);
  },
};
