import { defineMessages } from '../../platform/i18n/messages';

/** What the sandbox says in its problems and about a claim's parameters, in Chinese and English (ADR 0020). */
export const sbMessage = defineMessages({
  // Templates and case types.
  'sb.unknownKind': { 'zh-CN': '未知的核验类型“{kind}”（可选：{kinds}）', en: 'unknown predicate kind "{kind}" (one of {kinds})' },
  'sb.kindNotInCatalogue': { 'zh-CN': '数据目录中没有核验类型 {kind} 所读取的资源 {resource}', en: 'The catalogue has no {resource}, which {kind} reads' },
  'sb.onlyProviderDeclares': { 'zh-CN': '只有提供 {resource} 的部门（{provider}）才能在其上声明核验事项', en: 'Only {provider}, which provides {resource}, declares templates on it' },
  'sb.templateExists': { 'zh-CN': '核验事项 {code} 已存在', en: 'A template {code} exists' },
  'sb.onlyDepartmentDeclares': { 'zh-CN': '只有部门才能声明办理事项', en: 'Only a department declares case types' },
  'sb.noTemplates': { 'zh-CN': '没有核验事项 {templates}', en: 'no template {templates}' },
  'sb.caseTypeExists': { 'zh-CN': '办理事项 {code} 已存在', en: 'A case type {code} exists' },
  'sb.noCaseType': { 'zh-CN': '没有办理事项“{code}”', en: 'No case type "{code}"' },
  // A case type checks only the templates on its whitelist (a consent, an aggregate).
  'sb.notOnWhitelist': { 'zh-CN': '{templates} 不在办理事项 {caseType} 的核验清单内', en: '{caseType} does not check {templates}' },

  // Consents.
  'sb.notLinked': { 'zh-CN': '您的账号尚未关联本人的公民身份号码', en: 'Your account is not linked to a person (resident ID number)' },
  'sb.validUntil': { 'zh-CN': '有效期须在今天至 {latest} 之间（最长两年）', en: 'from today to {latest} (at most two years ahead)' },
  'sb.noConsent': { 'zh-CN': '您没有编号为 {id} 的授权', en: 'No consent {id} of yours' },
  'sb.consentWithdrawn': { 'zh-CN': '授权 {id} 已经撤回', en: 'Consent {id} is already withdrawn' },

  // Verification. A refusal reads the same whatever its reasons; each claim's reason is a code in `errors`.
  'sb.title.refused': { 'zh-CN': '核验被拒绝', en: 'Verification refused' },
  'sb.refused': {
    'zh-CN': '核验被拒绝，所有事项均未核验；各事项被拒绝的原因逐项列出。',
    en: 'The verification was refused and nothing was evaluated; each claim’s reason is listed in errors.',
  },
  // A refused verification in the exchange's call log: the reasons' codes, and in Chinese their words.
  'sb.callRefused': { 'zh-CN': '核验被拒绝：{reasonsZh}', en: 'verification refused: {reasons}' },
  'sb.reason.wrong_department': { 'zh-CN': '不是本部门的办理事项', en: 'not a case type of this department' },
  'sb.reason.not_whitelisted': { 'zh-CN': '不在该事项的核验清单内', en: 'not on the case type’s whitelist' },
  'sb.reason.no_consent': { 'zh-CN': '申请人没有有效授权', en: 'no live consent of the applicant' },
  'sb.reason.repeated': { 'zh-CN': '本案已核验过该事项', en: 'already checked in this case' },
  'sb.reason.case_subject_mismatch': { 'zh-CN': '该案件已属于另一位申请人', en: 'the case belongs to another applicant' },
  'sb.reason.throttled': { 'zh-CN': '超过核验次数限制', en: 'over the limit of checks' },
  'sb.reason.sweep': { 'zh-CN': '对同一人反复试探不同阈值', en: 'a sweep of thresholds over one person' },
  'sb.badResidentId': { 'zh-CN': '不是有效的公民身份号码', en: 'not a valid resident ID number' },
  'sb.guardsMoved': {
    'zh-CN': '本请求核验期间，其他已保存的核验改变了限制条件（次数限制、阈值扫描或案件的申请人）的判断结果；本请求未保存任何内容，请重新发送。',
    en: 'Verifications stored while this request was evaluated change what its guards allow (a throttle, a sweep or a case’s applicant); nothing of it was stored. Send it again.',
  },
  'sb.answeredConcurrently': {
    'zh-CN': '这些案件中的某项核验已被同时到达的另一请求答复；本请求未保存任何内容',
    en: 'A claim of one of these cases was answered by a concurrent request; nothing of this one was stored',
  },
  'sb.onlyOwnerReads': { 'zh-CN': '只有 {owner} 才能读取办理事项 {caseType} 的核验结果', en: 'Only {owner} reads the answers of {caseType}' },
  'sb.noReceipt': { 'zh-CN': '本部门没有回执 {id}', en: 'No receipt {id} of your department' },

  // Aggregates.
  'sb.onlyOwnerCounts': { 'zh-CN': '只有 {owner} 才能统计办理事项 {caseType} 的申请人', en: 'Only {owner} counts the applicants of {caseType}' },
  'sb.namesPerson': { 'zh-CN': '{template} 的参数指向具体个人，不能用于统计', en: '{template} names a person in its parameters; it is not counted in aggregates' },

  // A claim's parameters (`checkParams`): {name} is the parameter, {label} its Chinese label.
  'sb.param.unknown': { 'zh-CN': '未知参数 {names}', en: 'unknown parameter {names}' },
  'sb.param.required': { 'zh-CN': '缺少{label}（{name}）', en: '{labelEn} ({name}) is required' },
  'sb.param.integer': { 'zh-CN': '{label}（{name}）须为 1–1200 之间的整数', en: '{labelEn} ({name}) must be a whole number 1–1200' },
  'sb.param.month': { 'zh-CN': '{label}（{name}）须为年月，格式为 YYYY-MM', en: '{labelEn} ({name}) must be a month YYYY-MM' },
  'sb.param.date': { 'zh-CN': '{label}（{name}）须为日期，格式为 YYYY-MM-DD', en: '{labelEn} ({name}) must be a date YYYY-MM-DD' },
  'sb.param.future': { 'zh-CN': '{label}（{name}）不能晚于今天', en: '{labelEn} ({name}) must not be after today' },
  'sb.param.residentId': { 'zh-CN': '{label}（{name}）不是有效的公民身份号码', en: '{labelEn} ({name}) is not a valid resident ID number' },
  'sb.param.creditCode': { 'zh-CN': '{label}（{name}）不是有效的统一社会信用代码', en: '{labelEn} ({name}) is not a valid unified social credit code' },
  'sb.param.account': { 'zh-CN': '{label}（{name}）须为 12–30 位数字的账号', en: '{labelEn} ({name}) must be an account number of 12–30 digits' },
  'sb.param.district': { 'zh-CN': '{label}（{name}）须为本市的区划代码之一（{codes}）', en: "{labelEn} ({name}) must be one of the city's district codes ({codes})" },
  'sb.param.fromAfterTo': { 'zh-CN': '起始月份（from）不能晚于截止月份（to）', en: 'the first month (from) must not be after the last (to)' },
});
