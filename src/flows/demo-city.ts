import fs from 'node:fs';
import path from 'node:path';
import { PLATFORM_PRINCIPAL } from '../platform/access';
import type { ModuleContext } from '../platform/module';
import { BUILTIN_RESOURCES, createDatacentreService, type BatchProgress } from '../modules/datacentre';
import { MANIFEST_FILE, writeCity } from '../synth';

/** What loading the demo city did, per resource. */
export interface DemoLoadReport {
  people: number;
  seed: string;
  resources: { code: string; rows: number; status: string; replayed: boolean }[];
}

/**
 * Loads a synthetic city into the data centre's base registries and departmental resources
 * (created by the first start, which every caller has run):
 * writes it (once) under `<dir>`, then imports each registry file as one batch with an
 * idempotency key naming the city, so a second run (or a run after a crash) applies only
 * what is missing.
 *
 * @example
 * await loadDemoCity(ctx, { people: 20000, seed: 'xiamen', dir: 'data/demo-city-20000' });
 */
export async function loadDemoCity(
  ctx: Pick<ModuleContext, 'database' | 'db' | 'audit' | 'events' | 'transaction' | 'config'>,
  options: {
    people: number;
    seed: string;
    dir: string;
    /** Load only these resources (codes), e.g. those a benchmark reads; default: every registry. */
    only?: readonly string[];
    onProgress?: (code: string, progress: BatchProgress) => void;
  },
): Promise<DemoLoadReport> {
  const { people, seed, dir } = options;
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const manifest = fs.existsSync(manifestPath) ? (JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { people: number; seed: string }) : null;
  // A city written by an older generator lacks the registries added since: write it again.
  const missing = BUILTIN_RESOURCES.some((b) => b.demoRegistry && !fs.existsSync(path.join(dir, `${b.demoRegistry}.ndjson`)));
  if (!manifest || manifest.people !== people || manifest.seed !== seed || missing) await writeCity({ people, seed, outDir: dir });
  const datacentre = createDatacentreService(ctx);
  const report: DemoLoadReport = { people, seed, resources: [] };
  for (const builtin of BUILTIN_RESOURCES) {
    if (!builtin.demoRegistry || (options.only && !options.only.includes(builtin.spec.code))) continue;
    const code = builtin.spec.code;
    const fileName = `${builtin.demoRegistry}.ndjson`;
    const outcome = await datacentre.importFile(PLATFORM_PRINCIPAL, {
      code,
      input: fs.createReadStream(path.join(dir, fileName)),
      fileName,
      idempotencyKey: `demo-city:${seed}:${people}`,
      operation: 'upsert',
      onInvalid: 'reject',
      source: 'demo',
      ...(options.onProgress ? { onProgress: (p: BatchProgress) => options.onProgress!(code, p) } : {}),
    });
    report.resources.push({ code, rows: outcome.batch.rowsRead, status: outcome.batch.status, replayed: outcome.replayed });
  }
  return report;
}
