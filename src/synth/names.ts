/**
 * Invented names: common Chinese surnames with given-name characters combined at random,
 * invented trade names, estates, communities and roads. No list of real people is used.
 */
import { cumulativeWeights, type Random } from './random';

interface WeightedList {
  items: readonly string[];
  cumulative: Float64Array;
}

// "surname weight" pairs; weights are rough shares in percent.
function weightedList(spec: string): WeightedList {
  const items: string[] = [];
  const weights: number[] = [];
  for (const entry of spec.trim().split(/\s+/)) {
    const match = /^(\D+)([\d.]+)$/.exec(entry);
    if (!match) throw new Error(`bad weighted entry: ${entry}`);
    items.push(match[1]!);
    weights.push(Number(match[2]));
  }
  return { items, cumulative: cumulativeWeights(weights) };
}

// Southern Fujian (闽南) leans heavily on 陈, 林 and 黄.
const FUJIAN_SURNAMES = weightedList(`
  陈11 林10 黄7 张4 吴4 王4 李4 郑3.5 刘3 蔡2.5 杨2.5 许2 洪1.5 庄1.3 苏1.3 曾1.3 叶1.2 谢1.2
  周1.1 郭1.1 徐1 柯0.8 邱0.8 何0.8 游0.5 卢0.7 颜0.6 方0.6 江0.6 杜0.4 朱0.8 傅0.5 魏0.5
  罗0.6 詹0.4 钟0.5 孙0.5 胡0.5 施0.6 戴0.5 彭0.4 康0.4 纪0.4 余0.5 肖0.4 赖0.6 邓0.4 高0.5
  潘0.4 欧阳0.1`);

const NATIONAL_SURNAMES = weightedList(`
  王7.1 李7 张6.7 刘5.4 陈4.5 杨3.1 黄2.5 赵2.3 吴2.1 周2 徐1.7 孙1.5 马1.4 朱1.3 胡1.3 郭1.2
  何1.2 高1.1 林1.1 罗1.1 郑1 梁1 谢0.9 宋0.9 唐0.9 许0.8 韩0.8 冯0.8 邓0.8 曹0.7 彭0.7 曾0.7
  肖0.6 田0.6 董0.6 袁0.5 潘0.5 于0.5 蒋0.5 蔡0.5 余0.5 杜0.5 叶0.5 程0.5 苏0.5 魏0.4 吕0.4
  丁0.4 任0.4 沈0.4 姚0.4 卢0.4 姜0.4 崔0.4 钟0.4 谭0.4 陆0.4 汪0.4 范0.4 金0.3 石0.3 廖0.3
  贾0.3 夏0.3 韦0.3 付0.3 方0.3 白0.3 邹0.3 孟0.3 熊0.3 秦0.3 邱0.3 江0.3 尹0.3 薛0.3 段0.2
  雷0.2 侯0.2 龙0.2 史0.2 黎0.2 贺0.2 顾0.2 毛0.2 郝0.2 龚0.2 邵0.2 万0.2 钱0.2 严0.2 欧阳0.05`);

const chars = (text: string): readonly string[] => Array.from(text.replace(/\s+/g, ''));

const MALE_CLASSIC = chars('国建华明伟军平强志文荣德清金福海东林春生水忠光新兴庆祥成宝龙辉峰勇斌良胜振耀');
const MALE_MODERN = chars('浩宇轩子梓睿博泽俊杰涛昊航宸铭晨逸鑫帆磊嘉豪凯锦煜辰皓文哲翔毅霖然弘奕烨彬旭');
const FEMALE_CLASSIC = chars('秀英兰珍芳丽美玉华凤梅琴霞红燕萍玲娟艳桂月珠淑雪素惠碧金敏静');
const FEMALE_MODERN = chars('欣怡涵萱诗琪雨梓思佳悦婷颖可馨晴瑶妍雅琳菲璐蕾莹彤婧语一若心嘉曦晓静沐');

/**
 * A surname: southern-Fujian frequencies for Xiamen households, national ones for others.
 *
 * @example
 * pickSurname(random, true); // e.g. '陈'
 */
export function pickSurname(random: Random, fujian: boolean): string {
  const list = fujian ? FUJIAN_SURNAMES : NATIONAL_SURNAMES;
  return list.items[random.weighted(list.cumulative)]!;
}

/**
 * A given name of one or two characters, in the fashion of the birth year.
 *
 * @example
 * givenName(random, 'female', 2012); // e.g. '梓涵'
 */
export function givenName(random: Random, sex: 'male' | 'female', birthYear: number): string {
  const modern = birthYear >= 1995 || (birthYear >= 1980 && random.chance(0.5));
  const pool = sex === 'male' ? (modern ? MALE_MODERN : MALE_CLASSIC) : modern ? FEMALE_MODERN : FEMALE_CLASSIC;
  const single = random.chance(modern ? 0.1 : 0.3);
  return single ? random.pick(pool) : random.pick(pool) + random.pick(pool);
}

const TRADE = chars('鹭华海嘉恒盛鑫泰信达禾瑞宏源兴航通联创智博远星辰凯锦福祥永安丰鸿金银润元天宇卓越中龙腾新美集优佳和顺力');

/**
 * An invented two-character trade name (字号) for a company or institution.
 *
 * @example
 * tradeName(random); // e.g. '鹭泰'
 */
export function tradeName(random: Random): string {
  const first = random.pick(TRADE);
  let second = random.pick(TRADE);
  if (second === first) second = random.pick(TRADE);
  return first + second;
}

const ESTATE_FIRST = chars('鹭莲湖海嘉景悦翠金锦瑞怡欣宝龙山御阳光天福华泰盛禧君融禹');
const ESTATE_SECOND = chars('华园景苑湾庭都城悦府山海轩湖岸景邸汇辉庭林');
const ESTATE_SUFFIX = ['花园', '苑', '小区', '公寓', '家园', '新村', '城', '湾', '府', '雅居'] as const;

/**
 * An invented estate name, e.g. '鹭华花园'.
 *
 * @example
 * estateName(random); // e.g. '嘉景苑'
 */
export function estateName(random: Random): string {
  return random.pick(ESTATE_FIRST) + random.pick(ESTATE_SECOND) + random.pick(ESTATE_SUFFIX);
}

const PLACE_FIRST = chars('东西南北莲湖海金银新禾江鹭兴华美云霞安康宁福祥瑞丰源溪山林浦洲塘岭前后上下');
const PLACE_SECOND = chars('东园兴华宁安丰美祥和阳光里头埔尾坑厝林溪塘岭湾村港');

/**
 * An invented community (社区) or village (村) name.
 *
 * @example
 * communityName(random, false); // e.g. '莲兴社区'
 */
export function communityName(random: Random, village: boolean): string {
  return random.pick(PLACE_FIRST) + random.pick(PLACE_SECOND) + (village ? '村' : '社区');
}

const ROAD_SUFFIX = ['路', '路', '路', '街', '大道', '里'] as const;

/**
 * An invented road name.
 *
 * @example
 * roadName(random); // e.g. '禾祥路'
 */
export function roadName(random: Random): string {
  return random.pick(PLACE_FIRST) + random.pick(PLACE_SECOND) + random.pick(ROAD_SUFFIX);
}
