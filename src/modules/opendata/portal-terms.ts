import type { Quality, UpdateFrequency } from './opendata.contract';

/**
 * The portal's vocabularies: themes (the article's credit, health, transport, market
 * regulation, and the rest a city usually opens), licences, and how quality is scored.
 */

/** A theme of the portal. */
export interface Theme {
  code: string;
  name: string;
  nameEn: string;
}

/** The themes datasets are filed under. */
export const THEMES: readonly Theme[] = [
  { code: 'credit', name: '信用服务', nameEn: 'Credit' },
  { code: 'health', name: '医疗卫生', nameEn: 'Health' },
  { code: 'transport', name: '交通出行', nameEn: 'Transport' },
  { code: 'market', name: '市场监管', nameEn: 'Market regulation' },
  { code: 'economy', name: '经济建设', nameEn: 'Economy' },
  { code: 'education', name: '教育文化', nameEn: 'Education and culture' },
  { code: 'environment', name: '生态环境', nameEn: 'Environment' },
  { code: 'public_services', name: '公共服务', nameEn: 'Public services' },
  { code: 'social_security', name: '社保就业', nameEn: 'Social security and employment' },
  { code: 'population', name: '人口统计', nameEn: 'Population' },
  { code: 'spatial', name: '地理空间', nameEn: 'Geography' },
  { code: 'housing', name: '城建住房', nameEn: 'Housing and urban development' },
];

/** A licence a dataset may be published under. */
export interface Licence {
  id: string;
  title: string;
  url: string;
}

/** The licences offered; the first is the default. */
export const LICENCES: readonly Licence[] = [
  { id: 'cc-by-4.0', title: 'Creative Commons Attribution 4.0 (CC BY 4.0)', url: 'https://creativecommons.org/licenses/by/4.0/' },
  { id: 'cc0-1.0', title: 'Creative Commons Zero 1.0 (CC0)', url: 'https://creativecommons.org/publicdomain/zero/1.0/' },
  { id: 'odc-by-1.0', title: 'Open Data Commons Attribution 1.0 (ODC-By)', url: 'https://opendatacommons.org/licenses/by/1-0/' },
  { id: 'odbl-1.0', title: 'Open Data Commons Open Database License 1.0 (ODbL)', url: 'https://opendatacommons.org/licenses/odbl/1-0/' },
];

// Days within which a dataset of each frequency counts as up to date (a little slack).
const FRESH_DAYS: Record<UpdateFrequency, number> = { realtime: 1, daily: 2, weekly: 8, monthly: 32, quarterly: 93, yearly: 366, irregular: 366 };

/** What the quality score looks at. */
export interface QualityInput {
  description: string;
  titleEn: string;
  tags: readonly string[];
  fields: readonly { type: string; description: string }[];
  geo: boolean;
  updateFrequency: UpdateFrequency;
  publishedAt: Date | null;
  licence: string;
}

/**
 * The quality score (0–100) in four parts of 25: metadata completeness, machine
 * readability, timeliness against the promised frequency, and an open licence.
 *
 * @example
 * scoreQuality({ …, publishedAt: new Date(), licence: 'cc-by-4.0' }, new Date()).score; // e.g. 90
 */
export function scoreQuality(d: QualityInput, now: Date): Quality {
  const described = d.fields.length > 0 ? d.fields.filter((f) => f.description.trim().length > 0).length / d.fields.length : 0;
  const completeness = (d.description.trim().length >= 30 ? 7 : d.description.trim().length >= 10 ? 3 : 0) + (d.tags.length >= 2 ? 5 : d.tags.length === 1 ? 3 : 0) + (d.titleEn.trim() ? 3 : 0) + Math.round(described * 10);
  // Every published dataset is served as typed CSV, JSON and XLSX; typed (non-text) columns and geo add the rest.
  const typed = d.fields.some((f) => f.type !== 'text');
  const machineReadable = 15 + (typed ? 5 : 0) + (d.geo ? 5 : typed ? 3 : 0);
  let timeliness = 0;
  if (d.publishedAt) {
    const ageDays = (now.getTime() - d.publishedAt.getTime()) / 86_400_000;
    const fresh = FRESH_DAYS[d.updateFrequency];
    timeliness = ageDays <= fresh ? 25 : ageDays <= fresh * 2 ? 12 : 0;
  }
  const licence = LICENCES.some((l) => l.id === d.licence) ? 25 : 0;
  return { score: Math.min(100, completeness + machineReadable + timeliness + licence), completeness: Math.min(25, completeness), machineReadable, timeliness, licence };
}
