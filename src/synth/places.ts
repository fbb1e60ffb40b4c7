/**
 * Xiamen's six districts and their subdistricts (街道) and towns (镇): real names and area
 * codes, populations roughly as in the 2020 census, approximate centres. Street codes follow
 * the GB/T 10114 layout (district code + 3 digits, towns from 101) but are assigned in list
 * order here, not copied from the official list.
 */

/** One of Xiamen's six districts. */
export interface District {
  /** GB/T 2260 area code, e.g. '350203'. */
  code: string;
  name: string;
  /** Short name used in department names, e.g. '思明'. */
  short: string;
  /** Resident population, roughly (2020 census); used as a weight. */
  population: number;
  /** Centre, in millionths of a degree. */
  latE6: number;
  lonE6: number;
  /** Hospitals with maternity wards in the district (real public hospitals). */
  hospitals: readonly string[];
}

/** A subdistrict (街道) or town (镇) of a district. */
export interface Street {
  /** District code + 3 digits, e.g. '350203001'. */
  code: string;
  name: string;
  kind: 'subdistrict' | 'town';
  /** Index into {@link DISTRICTS}. */
  district: number;
  /** Relative population within the district. */
  weight: number;
  latE6: number;
  lonE6: number;
  /** How far (millionths of a degree) its communities spread from the centre. */
  radiusE6: number;
}

/**
 * The six districts, in area-code order.
 *
 * @example
 * DISTRICTS[0]!.name; // '思明区'
 */
export const DISTRICTS: readonly District[] = [
  { code: '350203', name: '思明区', short: '思明', population: 1_073_000, latE6: 24_465_000, lonE6: 118_105_000, hospitals: ['厦门大学附属第一医院', '厦门大学附属中山医院', '厦门市妇幼保健院'] },
  { code: '350205', name: '海沧区', short: '海沧', population: 583_000, latE6: 24_490_000, lonE6: 118_005_000, hospitals: ['厦门长庚医院', '厦门市海沧医院'] },
  { code: '350206', name: '湖里区', short: '湖里', population: 1_037_000, latE6: 24_512_000, lonE6: 118_135_000, hospitals: ['厦门市中医院', '复旦大学附属中山医院厦门医院'] },
  { code: '350211', name: '集美区', short: '集美', population: 1_036_000, latE6: 24_590_000, lonE6: 118_070_000, hospitals: ['厦门市第二医院', '厦门市集美区第二医院'] },
  { code: '350212', name: '同安区', short: '同安', population: 856_000, latE6: 24_730_000, lonE6: 118_150_000, hospitals: ['厦门市第三医院', '厦门市同安区妇幼保健院'] },
  { code: '350213', name: '翔安区', short: '翔安', population: 696_000, latE6: 24_630_000, lonE6: 118_250_000, hospitals: ['厦门大学附属翔安医院', '厦门市第五医院'] },
];

type StreetSeed = [name: string, weight: number, lat: number, lon: number, radius?: number];

// Weights are rough resident populations in thousands; centres are approximate.
const STREETS_BY_DISTRICT: Record<string, readonly StreetSeed[]> = {
  '350203': [
    ['中华街道', 50, 24.456, 118.083, 0.006],
    ['鹭江街道', 50, 24.461, 118.078, 0.006],
    ['厦港街道', 60, 24.441, 118.091, 0.007],
    ['莲前街道', 250, 24.476, 118.152],
    ['嘉莲街道', 100, 24.487, 118.122, 0.009],
    ['滨海街道', 80, 24.448, 118.140],
    ['梧村街道', 100, 24.470, 118.115, 0.008],
    ['筼筜街道', 130, 24.487, 118.097, 0.009],
    ['开元街道', 110, 24.470, 118.094, 0.008],
    ['鼓浪屿街道', 15, 24.447, 118.067, 0.004],
  ],
  '350205': [
    ['海沧街道', 150, 24.470, 117.995],
    ['新阳街道', 170, 24.530, 118.040],
    ['嵩屿街道', 130, 24.455, 118.030],
    ['东孚街道', 130, 24.545, 117.950, 0.02],
  ],
  '350206': [
    ['湖里街道', 150, 24.510, 118.100, 0.009],
    ['殿前街道', 200, 24.530, 118.105, 0.009],
    ['禾山街道', 250, 24.505, 118.150],
    ['江头街道', 170, 24.500, 118.130, 0.008],
    ['金山街道', 200, 24.515, 118.178],
  ],
  '350211': [
    ['集美街道', 200, 24.575, 118.100],
    ['侨英街道', 150, 24.596, 118.095],
    ['杏林街道', 170, 24.565, 118.045],
    ['杏滨街道', 160, 24.580, 118.070],
    ['灌口镇', 200, 24.610, 118.005, 0.02],
    ['后溪镇', 150, 24.640, 118.060, 0.02],
  ],
  '350212': [
    ['大同街道', 170, 24.730, 118.150],
    ['祥平街道', 150, 24.745, 118.133],
    ['西柯街道', 150, 24.680, 118.130],
    ['新民街道', 120, 24.690, 118.170],
    ['五显镇', 50, 24.830, 118.120, 0.025],
    ['洪塘镇', 80, 24.705, 118.195, 0.02],
    ['汀溪镇', 30, 24.820, 118.140, 0.025],
    ['莲花镇', 40, 24.780, 118.060, 0.025],
  ],
  '350213': [
    ['新店街道', 150, 24.615, 118.245],
    ['香山街道', 60, 24.605, 118.280],
    ['金海街道', 60, 24.590, 118.250],
    ['民安街道', 80, 24.640, 118.230],
    ['凤翔街道', 70, 24.625, 118.265],
    ['大嶝街道', 30, 24.555, 118.330, 0.008],
    ['新圩镇', 60, 24.700, 118.260, 0.02],
    ['马巷镇', 120, 24.660, 118.240, 0.015],
    ['内厝镇', 50, 24.680, 118.300, 0.02],
  ],
};

function buildStreets(): Street[] {
  const streets: Street[] = [];
  DISTRICTS.forEach((district, d) => {
    let subdistricts = 0;
    let towns = 0;
    for (const [name, weight, lat, lon, radius] of STREETS_BY_DISTRICT[district.code]!) {
      const kind = name.endsWith('镇') ? 'town' : 'subdistrict';
      const serial = kind === 'town' ? 101 + towns++ : 1 + subdistricts++;
      streets.push({
        code: district.code + String(serial).padStart(3, '0'),
        name,
        kind,
        district: d,
        weight,
        latE6: Math.round(lat * 1e6),
        lonE6: Math.round(lon * 1e6),
        radiusE6: Math.round((radius ?? 0.012) * 1e6),
      });
    }
  });
  return streets;
}

/**
 * Every subdistrict and town, district by district in area-code order.
 *
 * @example
 * STREETS.find((s) => s.name === '鼓浪屿街道')!.code; // '350203010'
 */
export const STREETS: readonly Street[] = buildStreets();

/**
 * Each street's share of the city's population (sums to 1), in {@link STREETS} order.
 *
 * @example
 * STREET_SHARES.reduce((a, b) => a + b, 0); // 1 (within rounding)
 */
export const STREET_SHARES: readonly number[] = (() => {
  const cityPopulation = DISTRICTS.reduce((sum, d) => sum + d.population, 0);
  return STREETS.map((s) => {
    const inDistrict = STREETS.filter((t) => t.district === s.district).reduce((sum, t) => sum + t.weight, 0);
    return (DISTRICTS[s.district]!.population / cityPopulation) * (s.weight / inDistrict);
  });
})();

/**
 * Converts millionths of a degree to degrees for output (shortest exact decimal).
 *
 * @example
 * degrees(24_456_789); // 24.456789
 */
export function degrees(e6: number): number {
  return e6 / 1e6;
}
