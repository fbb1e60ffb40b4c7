/**
 * The synthetic city: a deterministic generator of a consistent Xiamen of any size, written as
 * NDJSON per registry. No real person's data is used; see `records.ts` for every field.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CityOptions } from './city-context';
import { generateCity, type CityProgress, type CitySummary } from './generate';
import { REGISTRY_NAMES, type RegistryName } from './records';
import { createFileSink } from './sinks';

export { DEFAULT_AS_OF, MAX_PEOPLE, type CityOptions } from './city-context';
export { CONTRIBUTION_MONTHS, generateCity, type CityProgress, type CitySummary } from './generate';
export { REGISTRIES, REGISTRY_NAMES, type RegistryInfo, type RegistryName, type RegistryRecords } from './records';
export { createFileSink, createMemorySink, type LineSink, type MemorySink } from './sinks';
export { DISTRICTS, STREETS } from './places';

/** The manifest written beside the registries, read by loaders. */
export interface CityManifest extends CitySummary {
  generator: 'ludao-synth';
  format: 1;
  files: Record<RegistryName, string>;
}

/** The name of the manifest file in a city directory. */
export const MANIFEST_FILE = 'city.json';

/**
 * Writes a city into `outDir`: `<registry>.ndjson` for every registry, and `city.json` naming
 * the options and the line counts. Files of the same options are byte-identical.
 *
 * @example
 * const manifest = await writeCity({ people: 20000, seed: 'xiamen', outDir: 'data/demo-city' });
 * manifest.counts.people; // 20000
 */
export async function writeCity(options: CityOptions & { outDir: string; onProgress?: (progress: CityProgress) => void }): Promise<CityManifest> {
  const { outDir, ...cityOptions } = options;
  await fs.mkdir(outDir, { recursive: true });
  // A half-written city must not look complete: the manifest goes last.
  await fs.rm(path.join(outDir, MANIFEST_FILE), { force: true });
  const summary = await generateCity(cityOptions, createFileSink(outDir));
  const files = Object.fromEntries(REGISTRY_NAMES.map((name) => [name, `${name}.ndjson`])) as Record<RegistryName, string>;
  const manifest: CityManifest = { generator: 'ludao-synth', format: 1, ...summary, files };
  await fs.writeFile(path.join(outDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
