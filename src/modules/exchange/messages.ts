import { defineMessages } from '../../platform/i18n/messages';

/**
 * What the exchange says in its problems, in Chinese and English (ADR 0020). The data plane's
 * refusals are also stored with each refused call as their code (`xc_call.reason_code`), so a
 * department reads its call log in its own language.
 */
export const xcMessage = defineMessages({
  // Sharing types and access.
  'xc.notShared': { 'zh-CN': '{resource} 不予共享，依据：{basis}', en: '{resource} is not shared (不予共享); legal basis: {basis}' },
  'xc.notSharedNoBasis': { 'zh-CN': '{resource} 不予共享（目录未登记依据）', en: '{resource} is not shared (不予共享); legal basis: (none recorded)' },
  'xc.unconditionalNoRequest': {
    'zh-CN': '{resource} 为无条件共享，无需申请：请直接开通交换通道（POST /api/exchange/channels）',
    en: '{resource} is shared unconditionally: open a channel with POST /api/exchange/channels, no request is needed',
  },
  'xc.conditionalNeedsRequest': {
    'zh-CN': '{resource} 为有条件共享（{condition}）：请提交共享申请（POST /api/exchange/requests）',
    en: '{resource} is shared on condition ({conditionEn}): submit a request with POST /api/exchange/requests',
  },
  'xc.conditionalNeedsRequestNoCondition': {
    'zh-CN': '{resource} 为有条件共享（条件见资源目录）：请提交共享申请（POST /api/exchange/requests）',
    en: '{resource} is shared on condition (see the catalogue): submit a request with POST /api/exchange/requests',
  },
  'xc.ownResource': { 'zh-CN': '{resource} 是本部门提供的数据资源，无需申请', en: "{resource} is your own department's resource" },
  'xc.noResource': { 'zh-CN': '资源目录中没有资源“{resource}”', en: 'No resource "{resource}" in the catalogue' },
  'xc.departmentsOnly': { 'zh-CN': '只有部门工作人员可以申请或使用共享数据', en: 'Only a member of a department can ask for or use shared data' },

  // How a department gets access to a resource (the access view's `howToGetAccess`).
  'xc.how.unconditional': {
    'zh-CN': '无条件共享：自行开通交换通道（POST /api/exchange/channels），无需审批。',
    en: 'Unconditional: open a channel yourself (POST /api/exchange/channels); no approval is needed.',
  },
  'xc.how.conditional': {
    'zh-CN': '有条件共享：提交共享申请（POST /api/exchange/requests），提供部门在 {days} 个工作日内答复。',
    en: 'Conditional: submit a request (POST /api/exchange/requests); the provider answers within {days} working days.',
  },
  'xc.how.notShared': { 'zh-CN': '不予共享，依据：{basis}', en: 'Not shared, on this legal basis: {basis}' },
  'xc.how.notSharedNoBasis': { 'zh-CN': '不予共享（目录未登记依据）', en: 'Not shared, on this legal basis: (none recorded)' },

  // Requests.
  'xc.noRequest': { 'zh-CN': '本部门没有申请 {id}', en: 'No request {id} for your department' },
  'xc.requestApproved': { 'zh-CN': '申请 {id} 已批准，不再待审批', en: 'Request {id} is approved, not pending' },
  'xc.requestRefused': { 'zh-CN': '申请 {id} 已拒绝，不再待审批', en: 'Request {id} is refused, not pending' },
  'xc.requestWithdrawn': { 'zh-CN': '申请 {id} 已撤回，不再待审批', en: 'Request {id} is withdrawn, not pending' },
  'xc.requestDecidedMeanwhile': { 'zh-CN': '申请 {id} 刚刚已被处理，请刷新后查看', en: 'Request {id} was decided meanwhile' },
  'xc.onlyAskerWithdraws': { 'zh-CN': '只有提出申请的部门可以撤回申请', en: 'Only the department that asked may withdraw a request' },
  'xc.onlyProviderDecides': { 'zh-CN': '此申请只能由提供部门（{provider}）审批', en: 'Only the provider ({provider}) decides this request' },
  'xc.approveOnlyRequested': {
    'zh-CN': '批准的数据项只能是申请过的；未申请：{fields}',
    en: 'fields: an approval may grant only fields the request asked for; not asked: {fields}',
  },
  'xc.field.notRequested': { 'zh-CN': '未申请：{fields}', en: 'not requested: {fields}' },
  'xc.approveNotLonger': {
    'zh-CN': '批准使用期限只能提前，不能晚于申请的 {until}',
    en: 'validUntil: an approval may shorten the validity asked for ({until}), not extend it',
  },
  'xc.field.laterThanRequested': { 'zh-CN': '晚于申请的期限', en: 'later than requested' },
  'xc.unknownFields': { 'zh-CN': '{resource} 没有（现行的）数据项 {fields}', en: 'fields: {resource} has no (current) field {fields}' },
  'xc.field.unknown': { 'zh-CN': '未知数据项：{fields}', en: 'unknown: {fields}' },
  'xc.notADate': { 'zh-CN': '{name}：不是日期', en: '{name}: not a date' },
  'xc.field.useDate': { 'zh-CN': '请使用 YYYY-MM-DD 格式', en: 'use YYYY-MM-DD' },
  'xc.notAfterToday': { 'zh-CN': '{name}：须晚于今天', en: '{name}: must be after today' },
  'xc.field.future': { 'zh-CN': '须为将来的日期', en: 'must be in the future' },

  // Channels and subscriptions.
  'xc.noChannelToRevoke': { 'zh-CN': '没有您可以撤销的通道 {id}', en: 'No channel {id} that you may revoke' },
  'xc.noOwnChannel': { 'zh-CN': '本部门没有通道 {id}', en: 'No channel {id} of your department' },
  'xc.channelNotLive': { 'zh-CN': '通道 {id} 未生效（已撤销或已过期）', en: 'Channel {id} is not live' },
  'xc.noSubscription': { 'zh-CN': '本部门没有订阅 {id}', en: 'No subscription {id} of your department' },
  'xc.subscriptionCancelled': { 'zh-CN': '订阅 {id} 已取消', en: 'Subscription {id} is cancelled' },
  'xc.notAUrl': { 'zh-CN': '不是有效的网址', en: 'url: not a URL' },
  'xc.field.notAUrl': { 'zh-CN': '不是网址', en: 'not a URL' },
  'xc.httpOnly': { 'zh-CN': '网址须使用 http 或 https', en: 'url: use http or https' },
  'xc.field.httpOnly': { 'zh-CN': '只能使用 http 或 https', en: 'http or https only' },
  'xc.notAReplayCursor': { 'zh-CN': '起点不是有效的游标（从头开始请用“0.0”）', en: 'from: not a cursor (e.g. "0.0" for the start)' },
  'xc.field.malformedCursor': { 'zh-CN': '游标格式错误', en: 'malformed cursor' },

  // The data plane.
  'xc.callWithKey': { 'zh-CN': '请使用本系统的 API 密钥调用交换平台', en: 'Call the exchange with your system’s API key' },
  'xc.systemsOnly': { 'zh-CN': '数据接口仅供部门业务系统使用 API 密钥调用', en: 'The data plane is for department systems calling with an API key' },
  'xc.callNeedsContext': {
    'zh-CN': '每次调用须说明用途、办件编号和经办人；缺少：{headers}',
    en: 'Every call names its purpose, case and end user; missing: {headers}',
  },
  'xc.field.required': { 'zh-CN': '必填', en: 'is required' },
  'xc.noChannelOpen': {
    'zh-CN': '{org} 没有本系统可用的 {resource} 生效通道；请开通交换通道（无需审批）',
    en: '{org} has no live channel to {resource} for this system; open a channel (it is granted at once)',
  },
  'xc.noChannelAsk': {
    'zh-CN': '{org} 没有本系统可用的 {resource} 生效通道；请向提供部门提交共享申请',
    en: '{org} has no live channel to {resource} for this system; ask the provider with a request',
  },
  'xc.noChannelWithIdOpen': {
    'zh-CN': '{org} 没有本系统可用的 {resource} 生效通道 {id}；请开通交换通道（无需审批）',
    en: '{org} has no live channel to {resource} with id {id} for this system; open a channel (it is granted at once)',
  },
  'xc.noChannelWithIdAsk': {
    'zh-CN': '{org} 没有本系统可用的 {resource} 生效通道 {id}；请向提供部门提交共享申请',
    en: '{org} has no live channel to {resource} with id {id} for this system; ask the provider with a request',
  },
  'xc.notGranted': { 'zh-CN': '通道 {id} 未授权数据项：{fields}', en: 'Channel {id} does not grant: {fields}' },
  'xc.notACursor': { 'zh-CN': 'after：不是本变更流给出的游标', en: 'after: not a cursor this feed gave out' },
  'xc.noCurrentRecord': { 'zh-CN': '{resource} 中没有现行记录“{key}”', en: 'No current record "{key}" in {resource}' },
  'xc.badConditionValue': { 'zh-CN': '{field}：“{value}”不是有效的 {type} 值', en: '{field}: "{value}" is not a valid {type}' },
  'xc.field.notOfType': { 'zh-CN': '不是 {type} 值', en: 'not a {type}' },
  'xc.badFieldName': { 'zh-CN': 'fields：“{name}”不是数据项名称', en: 'fields: "{name}" is not a field name' },
  'xc.field.badFieldName': { 'zh-CN': '数据项名称有误：{name}', en: 'bad field name {name}' },
  'xc.badConditionName': { 'zh-CN': '{name}：不是数据项名称', en: '{name}: not a field name' },
  'xc.field.notAFieldName': { 'zh-CN': '不是数据项名称', en: 'not a field name' },
  'xc.tooManyAnonymous': { 'zh-CN': '来自该地址的无有效 API 密钥的调用过多', en: 'Too many calls without a valid API key from this address' },
  'xc.rateLimited': { 'zh-CN': '通道 {id} 每分钟最多调用 {capacity} 次', en: 'Channel {id} allows {capacity} calls a minute' },

  // Webhook deliveries: why an attempt failed (stored with the attempt and the subscription).
  'xc.hook.answered': { 'zh-CN': '订阅地址返回 HTTP {status}', en: 'the webhook answered {status}' },
  'xc.hook.unreachable': { 'zh-CN': '无法连接订阅地址：{error}', en: 'the webhook could not be reached: {error}' },
  'xc.hook.channelRevoked': { 'zh-CN': '通道 {channel} 已撤销', en: 'channel {channel} is revoked' },
  'xc.hook.channelExpired': { 'zh-CN': '通道 {channel} 已过期', en: 'channel {channel} is expired' },

  // "Who used my data".
  'xc.noCallOnYourData': { 'zh-CN': '调用 {id} 未涉及您的数据', en: 'No call {id} touched your data' },
});
