import type { Dataset } from '../opendata.contract';

/** A published dataset of places, as the portal would present it (shared by the interop tests). */
export function busStops(overrides: Partial<Dataset> = {}): Dataset {
  return {
    id: 'siming-bus-stops',
    title: '思明区公交站点',
    titleEn: 'Bus stops in Siming District',
    description: '思明区范围内公交站点的名称、位置与途经线路，每日更新。',
    org: { code: 'xm.transport', name: '厦门市交通运输局', nameEn: 'Xiamen Municipal Transport Bureau' },
    theme: { code: 'transport', name: '交通出行', nameEn: 'Transport' },
    tags: ['公交', '站点'],
    licence: { id: 'cc-by-4.0', title: '知识共享署名 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
    updateFrequency: 'daily',
    openType: 'unconditional',
    source: 'resource',
    sourceResource: 'transport.bus_stop',
    status: 'published',
    version: 3,
    fields: [
      { name: 'stop_name', labelZh: '站点名称', labelEn: 'Stop name', type: 'text', description: '', unit: null },
      { name: 'lines', labelZh: '途经线路数', labelEn: 'Lines', type: 'integer', description: '', unit: '条' },
      { name: 'lat', labelZh: '纬度', labelEn: 'Latitude', type: 'decimal', description: 'WGS84', unit: null },
      { name: 'lon', labelZh: '经度', labelEn: 'Longitude', type: 'decimal', description: 'WGS84', unit: null },
    ],
    geo: { lat: 'lat', lon: 'lon' },
    rows: 512,
    formats: ['CSV', 'JSON', 'XLSX', 'GeoJSON'],
    quality: { score: 92, completeness: 22, machineReadable: 25, timeliness: 25, licence: 20 },
    downloads: 1024,
    apiCalls: 40960,
    createdAt: '2025-06-01T09:30:00+08:00',
    modifiedAt: '2026-01-31T16:00:00+08:00',
    ...overrides,
  };
}
