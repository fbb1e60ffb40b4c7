import { defineMessages } from '../../platform/i18n/messages';

/** What the maternity quick claim says in its problems, in Chinese and English (ADR 0020); parents read most of them. */
export const matMessage = defineMessages({
  'mat.onlyBureauSetsRules': { 'zh-CN': '只有 {bureau} 才能设定生育津贴计发规则', en: 'Only {bureau} sets the maternity allowance rules' },
  'mat.noRules': { 'zh-CN': '尚未设定生育津贴计发规则', en: 'No maternity allowance rules are configured' },
  'mat.notLinked': { 'zh-CN': '您的账号尚未关联本人的公民身份号码', en: 'Your account is not linked to a person (resident ID number)' },
  'mat.badResidentId': { 'zh-CN': '不是有效的公民身份号码', en: 'not a valid resident ID number' },
  'mat.badAccount': { 'zh-CN': '社保卡金融账号须为 12–30 位数字', en: 'an account number of 12–30 digits' },
  'mat.threePeople': { 'zh-CN': '您本人、配偶和子女须为三个不同的人', en: 'spouse, child and you are three different people' },
  'mat.bornInFuture': { 'zh-CN': '子女公民身份号码中的出生日期晚于今天', en: 'the birth date in the ID number is in the future' },
  'mat.tooLate': { 'zh-CN': '子女出生已超过 {days} 天：须在出生之日起 {days} 天内申领', en: 'born more than {days} days ago: a claim is filed within {days} days of the birth' },
  'mat.childClaimed': { 'zh-CN': '该子女已经申领过（每个子女只能申领一次）', en: 'A claim for this child has been filed already (one claim per child)' },
  'mat.noClaimOfYours': { 'zh-CN': '您没有编号为 {id} 的申领', en: 'No claim {id} of yours' },
  'mat.noClaim': { 'zh-CN': '没有申领 {id}', en: 'No claim {id}' },
  // {status} is the claim's status code; the Chinese says what it means for the request instead.
  'mat.noNewAccount': {
    'zh-CN': '申领 {id} 不能更改账号：只有正在人工复核且社保卡金融账户核验未通过的申领才能重新填写账号',
    en: 'Claim {id} is {status}; only a claim in review whose account check failed takes a new account',
  },
  'mat.title.accountRefused': { 'zh-CN': '账号未能重新核验', en: 'The account could not be checked again' },
  'mat.accountSweep': {
    'zh-CN': '您已为本申领填写过两个不同的账号，不能再填写第三个。如账号仍有误，请携带社会保障卡到医保经办窗口办理。',
    en: 'You have given two different account numbers for this claim and cannot give a third. If it is still wrong, bring your social-security card to a healthcare security office.',
  },
  'mat.accountThrottled': { 'zh-CN': '今天的核验次数已用完，请明天再试。', en: 'No more checks can be made today: please try again tomorrow.' },
  'mat.accountRefused': { 'zh-CN': '暂时无法重新核验账号，请联系医保经办机构。', en: 'The account cannot be checked again for now: please contact the healthcare security bureau.' },
  'mat.onlyBureauHandles': { 'zh-CN': '只有 {bureau} 才能办理生育保险待遇申领', en: 'Only {bureau} handles maternity claims' },
  'mat.noteRequired': { 'zh-CN': '请写明已核对的纸质材料，或不予批准的理由', en: 'say which paper proof was checked, or why the claim is rejected' },
  'mat.notInReview': { 'zh-CN': '申领 {id} 不在人工复核中，不能办结：只有人工复核中的申领才能办结', en: 'Claim {id} is {status}; only a claim in review is decided' },
});
