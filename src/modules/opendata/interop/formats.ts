/**
 * The download formats of a published dataset, as DCAT and CKAN name them. One table, so the
 * two presenters list the same files at the same URLs.
 */

/**
 * One export format: CKAN's label, the EU file-type code, and the IANA media type.
 *
 * @example
 * const csv: ExportFormat = { ext: 'csv', label: 'CSV', euFileType: 'CSV', mediaType: 'text/csv' };
 */
export interface ExportFormat {
  ext: string;
  label: string;
  euFileType: string;
  mediaType: string;
}

/**
 * The formats we export, by the lower-case extension of the download URL.
 *
 * @example
 * EXPORT_FORMATS.geojson?.label; // 'GeoJSON'
 */
export const EXPORT_FORMATS: Readonly<Record<string, ExportFormat>> = {
  csv: { ext: 'csv', label: 'CSV', euFileType: 'CSV', mediaType: 'text/csv' },
  json: { ext: 'json', label: 'JSON', euFileType: 'JSON', mediaType: 'application/json' },
  xlsx: { ext: 'xlsx', label: 'XLSX', euFileType: 'XLSX', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  geojson: { ext: 'geojson', label: 'GeoJSON', euFileType: 'GEOJSON', mediaType: 'application/geo+json' },
};

/**
 * The known export formats among a dataset's `formats`, in the order given, without repeats
 * (case and a leading dot do not matter; unknown names are left out).
 *
 * @example
 * exportFormats(['CSV', 'json', 'GeoJSON', 'PDF']).map((f) => f.ext); // ['csv', 'json', 'geojson']
 */
export function exportFormats(formats: readonly string[]): ExportFormat[] {
  const exts = new Set(formats.map((f) => f.trim().toLowerCase().replace(/^\./, '')));
  return [...exts].flatMap((ext) => EXPORT_FORMATS[ext] ?? []);
}

/**
 * Where a dataset's file in one format is downloaded (the export endpoint of the query API).
 *
 * @example
 * exportUrl('https://data.xm.gov.cn', 'siming-bus-stops', 'csv');
 * // 'https://data.xm.gov.cn/api/open/v1/datasets/siming-bus-stops/export.csv'
 */
export function exportUrl(baseUrl: string, datasetId: string, ext: string): string {
  return `${trimSlash(baseUrl)}/api/open/v1/datasets/${encodeURIComponent(datasetId)}/export.${ext}`;
}

/**
 * A base URL without trailing slashes, so paths can be appended with one.
 *
 * @example
 * trimSlash('https://data.xm.gov.cn/'); // 'https://data.xm.gov.cn'
 */
export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
