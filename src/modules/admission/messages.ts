import { defineMessages } from '../../platform/i18n/messages';
import type { RoundRow } from './admission.store';

/** What school admission says in its problems, in Chinese and English (ADR 0020). */
export const admMessage = defineMessages({
  // Rounds and their rules (the bureau). {statusZh} is the round's status as the pages name it.
  'adm.noCaseType': { 'zh-CN': '本部门没有核验事项类型“{caseType}”', en: 'No case type "{caseType}" of your department' },
  'adm.noRound': { 'zh-CN': '本部门没有批次 {id}', en: 'No round {id} of your department' },
  'adm.roundExists': { 'zh-CN': '{caseType} 已有 {year} 年度的批次', en: '{caseType} has a round for {year} already' },
  'adm.applyUntil': { 'zh-CN': '申请截止日期不能早于申请开始日期', en: 'not before applyFrom' },
  'adm.endsOnBeforeUntil': { 'zh-CN': '批次结束日期不能早于申请截止日期', en: 'not before applyUntil' },
  'adm.endsOnTooFar': { 'zh-CN': '批次结束日期最晚为两年后（授权有效至该日）', en: 'at most two years ahead (consents last until then)' },
  'adm.noRules': { 'zh-CN': '批次 {id} 还没有积分规则', en: 'Round {id} has no rules yet' },
  'adm.rulesFixed': { 'zh-CN': '批次 {id} 当前为“{statusZh}”状态：核验开始后，积分规则不能再修改', en: 'Round {id} is {status}; its rules are fixed once verification starts' },
  'adm.claimsFixed': {
    'zh-CN': '批次已开放申请：核验事项、哪些事项必须以及由家长申报的参数，须与家长授权时一致，不能再修改',
    en: 'The round is open: its claims, which are required and which parameters parents declare stay as parents consented to them',
  },
  'adm.zonesApplied': { 'zh-CN': '已有家长申请学区 {zones}，这些学区不能删除', en: 'Parents applied for zones {zones}: they stay' },
  'adm.notWhitelisted': { 'zh-CN': '{template} 不在本核验事项类型的核验清单内', en: 'the case type does not check {template}' },
  'adm.templateTwice': { 'zh-CN': '核验事项 {template} 重复列出', en: '{template} listed twice' },
  'adm.childFixed': { 'zh-CN': '子女由每份申请各自填写，规则中不能设定', en: 'child is set by each application' },
  'adm.tieNotScored': { 'zh-CN': '积分规则不对 {template} 计分，不能据此进行同分排序', en: 'the rules do not score {template}' },
  'adm.zoneTwice': { 'zh-CN': '学区 {zone} 重复列出', en: '{zone} listed twice' },
  'adm.wrongStatus': { 'zh-CN': '批次 {id} 当前为“{statusZh}”状态，而不是{fromZh}', en: 'Round {id} is {status}, not {from}' },
  'adm.roundChanged': { 'zh-CN': '批次 {id} 的状态在此期间已发生变化', en: 'Round {id} changed meanwhile' },

  // Applications (parents).
  'adm.notLinked': { 'zh-CN': '您的账号尚未关联本人的公民身份号码', en: 'Your account is not linked to a person (resident ID number)' },
  'adm.noOpenRound': { 'zh-CN': '批次 {id} 不存在或未在接受申请', en: 'No round {id} open for applications' },
  'adm.outsideWindow': { 'zh-CN': '本批次的申请时间为 {from} 至 {until}，现在不在申请时间内', en: 'Applications are taken from {from} to {until}' },
  'adm.badChild': { 'zh-CN': '不是有效的公民身份号码', en: 'not a valid resident ID number' },
  'adm.ownNumber': { 'zh-CN': '请填写子女的公民身份号码，而不是您本人的', en: 'the child’s own number, not yours' },
  'adm.notZone': { 'zh-CN': '不是本批次的学区（可选：{zones}）', en: 'not a zone of this round (one of {zones})' },
  'adm.notClaim': { 'zh-CN': '不是本批次的核验事项', en: 'not a claim of this round' },
  'adm.setByRound': { 'zh-CN': '参数 {params} 已由本批次设定，无需申报', en: '{params} is set by the round' },
  'adm.childApplied': { 'zh-CN': '该子女在本批次已有申请', en: 'This child has an application in this round already' },
  'adm.noApplication': { 'zh-CN': '您没有编号为 {id} 的申请', en: 'No application {id} of yours' },
  'adm.notWithdrawable': { 'zh-CN': '申请 {id} 已在核验或已有结果，不能再撤回', en: 'Application {id} is being verified or decided; it can no longer be withdrawn' },
  'adm.noLongerSubmitted': { 'zh-CN': '申请 {id} 已不是“已提交”状态', en: 'Application {id} is no longer submitted' },

  // Verification, ranking and publication (the handler).
  'adm.verifyWhen': { 'zh-CN': '批次 {id} 当前为“{statusZh}”状态：只有在“接受申请”或“核验中”时才能核验申请', en: 'Round {id} is {status}; applications are verified while it is open or verifying' },
  'adm.rankWhen': { 'zh-CN': '批次 {id} 当前为“{statusZh}”状态：须在核验之后、公布之前排名', en: 'Round {id} is {status}; it is ranked after verification and before publication' },
  'adm.notVerifiedYet': { 'zh-CN': '还有 {n} 份申请尚未核验，请先核验全部申请', en: '{n} applications are not verified yet: verify the batch first' },
});

// A round's status as the pages name it (web/src/i18n.ts, adm.status.*): the Chinese of a
// message that names a status says it in words; the English keeps the code.
const ROUND_STATUS_ZH: Readonly<Record<RoundRow['status'], string>> = { draft: '草稿', open: '接受申请', verifying: '核验中', ranked: '已排名', published: '已公布' };

/**
 * A round's status as message parameters: `status` (the code, for the English) and
 * `statusZh` (its name on the pages, for the Chinese).
 *
 * @example
 * admMessage('adm.rankWhen', { id, ...statusParams('open') }); // zh: …当前为“接受申请”状态…
 */
export function statusParams(status: RoundRow['status']): { status: string; statusZh: string } {
  return { status, statusZh: ROUND_STATUS_ZH[status] };
}

/** Statuses a step expects, as parameters: `from` ("a or b") and `fromZh` (“甲”或“乙”). */
export function fromParams(from: readonly RoundRow['status'][]): { from: string; fromZh: string } {
  return { from: from.join(' or '), fromZh: from.map((s) => `“${ROUND_STATUS_ZH[s]}”`).join('或') };
}
