/**
 * Where the city's migrants hold their household registration (户籍): real county-level area
 * codes (GB/T 2260; some are older codes an ID number issued then still carries), weighted
 * roughly like Xiamen's migrant population: mostly the rest of Fujian, then Jiangxi, Hunan,
 * Sichuan and other provinces.
 */

/** A county-level area outside Xiamen. */
export interface OriginArea {
  code: string;
  name: string;
  /** Relative share of migrants from there. */
  weight: number;
}

/**
 * The areas, in a fixed order.
 *
 * @example
 * ORIGIN_AREAS.find((a) => a.code === '350582')!.name; // '泉州市晋江市'
 */
export const ORIGIN_AREAS: readonly OriginArea[] = [
  // Fujian, outside Xiamen
  { code: '350102', name: '福州市鼓楼区', weight: 3 },
  { code: '350104', name: '福州市仓山区', weight: 2 },
  { code: '350111', name: '福州市晋安区', weight: 2 },
  { code: '350302', name: '莆田市城厢区', weight: 3 },
  { code: '350322', name: '莆田市仙游县', weight: 4 },
  { code: '350402', name: '三明市梅列区', weight: 2 },
  { code: '350502', name: '泉州市鲤城区', weight: 3 },
  { code: '350503', name: '泉州市丰泽区', weight: 3 },
  { code: '350524', name: '泉州市安溪县', weight: 6 },
  { code: '350526', name: '泉州市德化县', weight: 2 },
  { code: '350582', name: '泉州市晋江市', weight: 5 },
  { code: '350583', name: '泉州市南安市', weight: 5 },
  { code: '350602', name: '漳州市芗城区', weight: 4 },
  { code: '350603', name: '漳州市龙文区', weight: 2 },
  { code: '350622', name: '漳州市云霄县', weight: 3 },
  { code: '350623', name: '漳州市漳浦县', weight: 4 },
  { code: '350627', name: '漳州市南靖县', weight: 3 },
  { code: '350628', name: '漳州市平和县', weight: 3 },
  { code: '350702', name: '南平市延平区', weight: 2 },
  { code: '350802', name: '龙岩市新罗区', weight: 4 },
  { code: '350821', name: '龙岩市长汀县', weight: 3 },
  { code: '350902', name: '宁德市蕉城区', weight: 2 },
  // Jiangxi
  { code: '360102', name: '南昌市东湖区', weight: 2 },
  { code: '360302', name: '萍乡市安源区', weight: 1 },
  { code: '360403', name: '九江市浔阳区', weight: 1 },
  { code: '360702', name: '赣州市章贡区', weight: 3 },
  { code: '361002', name: '抚州市临川区', weight: 2 },
  { code: '361102', name: '上饶市信州区', weight: 3 },
  // Hunan
  { code: '430102', name: '长沙市芙蓉区', weight: 2 },
  { code: '430502', name: '邵阳市双清区', weight: 2 },
  { code: '430602', name: '岳阳市岳阳楼区', weight: 1 },
  { code: '430702', name: '常德市武陵区', weight: 1 },
  { code: '431102', name: '永州市零陵区', weight: 2 },
  // Sichuan, Chongqing, Guizhou
  { code: '510104', name: '成都市锦江区', weight: 1 },
  { code: '510107', name: '成都市武侯区', weight: 1 },
  { code: '511302', name: '南充市顺庆区', weight: 2 },
  { code: '500101', name: '重庆市万州区', weight: 2 },
  { code: '520102', name: '贵阳市南明区', weight: 2 },
  // Anhui, Henan, Hubei
  { code: '340102', name: '合肥市瑶海区', weight: 1 },
  { code: '341202', name: '阜阳市颍州区', weight: 2 },
  { code: '410102', name: '郑州市中原区', weight: 1 },
  { code: '420102', name: '武汉市江岸区', weight: 1 },
  // Guangdong, Guangxi, Zhejiang, Shandong
  { code: '445102', name: '潮州市湘桥区', weight: 1 },
  { code: '445202', name: '揭阳市榕城区', weight: 1 },
  { code: '441402', name: '梅州市梅江区', weight: 1 },
  { code: '450102', name: '南宁市兴宁区', weight: 1 },
  { code: '330106', name: '杭州市西湖区', weight: 1 },
  { code: '370102', name: '济南市历下区', weight: 1 },
];
