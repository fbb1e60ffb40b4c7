import { defineMessages, renderMessage, type Message } from '../../platform/i18n/messages';

/**
 * What the open-data portal says in its problems, in Chinese and English (ADR 0020): refusals
 * to publish, view or call, the personal-data guard's and an upload's reasons, and the records
 * query's errors (for developers, so they keep the parameter's and the grammar's own words).
 */
export const odMessage = defineMessages({
  // States, as the portal's pages name them; quoted into the messages below (`quote`).
  'od.state.version.draft': { 'zh-CN': '草稿', en: 'draft' },
  'od.state.version.review': { 'zh-CN': '待审核', en: 'review' },
  'od.state.version.published': { 'zh-CN': '已发布', en: 'published' },
  'od.state.version.rejected': { 'zh-CN': '已退回', en: 'rejected' },
  'od.state.version.superseded': { 'zh-CN': '历史版本', en: 'superseded' },
  'od.state.application.submitted': { 'zh-CN': '待完整性查验', en: 'submitted' },
  'od.state.application.returned': { 'zh-CN': '退回补正', en: 'returned' },
  'od.state.application.checked': { 'zh-CN': '待提供部门审核', en: 'checked' },
  'od.state.application.approved': { 'zh-CN': '已批准', en: 'approved' },
  'od.state.application.refused': { 'zh-CN': '不予批准', en: 'refused' },
  'od.state.application.revoked': { 'zh-CN': '已撤销', en: 'revoked' },
  'od.state.application.expired': { 'zh-CN': '已过期', en: 'expired' },

  // Datasets and versions.
  'od.noPublishedDataset': { 'zh-CN': '没有已发布的数据集 {id}', en: 'No published dataset {id}' },
  'od.noDataset': { 'zh-CN': '没有数据集 {id}', en: 'No dataset {id}' },
  'od.belongsTo': { 'zh-CN': '数据集 {id} 属于 {org}', en: '{id} belongs to {org}' },
  'od.noVersion': { 'zh-CN': '数据集 {id} 没有第 {version} 版', en: '{id} has no version {version}' },
  'od.noVersionYet': { 'zh-CN': '数据集 {id} 还没有可提供的版本', en: '{id} has no version' },
  'od.noPublishedVersion': { 'zh-CN': '数据集 {id} 没有已发布的第 {version} 版', en: '{id} has no published version {version}' },
  'od.notSubmittable': {
    'zh-CN': '第 {version} 版的状态为“{stateZh}”：只有草稿或已退回的版本才能提交审核',
    en: 'Version {version} is {stateEn}; only a draft (or a rejected version) is sent for review',
  },
  'od.notInReview': { 'zh-CN': '第 {version} 版的状态为“{stateZh}”，不是“待审核”', en: 'Version {version} is {stateEn}, not waiting for review' },
  'od.rejectNoteRequired': { 'zh-CN': '退回时请在审核意见中说明理由', en: 'note: say why the version is rejected' },
  'od.requiredToReject': { 'zh-CN': '退回时必填', en: 'is required to reject' },
  'od.openVersion': {
    'zh-CN': '数据集 {id} 已有第 {version} 版处于“{stateZh}”状态：请先将其发布或退回',
    en: '{id} already has version {version} in {stateEn}: publish or reject it first',
  },

  // Publishing.
  'od.staffOnly': { 'zh-CN': '只有部门工作人员可以发布开放数据', en: 'Only staff of a department publish open data' },
  'od.noResource': { 'zh-CN': '数据目录中没有资源 {resource}', en: 'No resource {resource} in the catalogue' },
  'od.onlyProvider': { 'zh-CN': '资源 {resource} 由 {provider} 提供，只有该部门可以从中发布开放数据', en: 'Only {provider}, which provides {resource}, may publish from it' },
  'od.notOpen': { 'zh-CN': '{name}（{resource}）为不予开放资源：只能发布其统计汇总数据', en: '{name} ({resource}) is not open (不予开放): only statistical aggregates of it are published' },
  'od.conditionalOnly': {
    'zh-CN': '{resource} 为有条件开放资源，由其发布的数据集也须为有条件开放',
    en: 'meta.openType: {resource} is open only on conditions, so its datasets are conditional too',
  },
  'od.mustBeConditional': { 'zh-CN': '须为有条件开放', en: 'must be conditional' },
  'od.publishForOwn': { 'zh-CN': '您为 {org} 发布数据，不能代 {publisher} 发布', en: 'You publish for {org}, not {publisher}' },
  'od.noPublisher': { 'zh-CN': '没有组织“{publisher}”', en: 'meta.publisher: no organisation "{publisher}"' },
  'od.unknownOrg': { 'zh-CN': '未知组织', en: 'unknown organisation' },
  'od.noTheme': { 'zh-CN': '没有主题“{theme}”（可选：{themes}）', en: 'meta.theme: no theme "{theme}" (one of {themes})' },
  'od.noRequestTheme': { 'zh-CN': '没有主题“{theme}”', en: 'theme: no theme "{theme}"' },
  'od.unknownTheme': { 'zh-CN': '未知主题', en: 'unknown theme' },
  'od.noLicence': { 'zh-CN': '没有开放许可“{licence}”（可选：{licences}）', en: 'meta.licence: no licence "{licence}" (one of {licences})' },
  'od.unknownLicence': { 'zh-CN': '未知开放许可', en: 'unknown licence' },
  'od.idTaken': { 'zh-CN': '数据集标识 {id} 已被其他部门的数据集使用', en: 'The id {id} is taken by another department\'s dataset' },
  'od.otherSourceResource': {
    'zh-CN': '数据集 {id} 由数据目录资源 {resource} 发布，新版本须来自同一来源',
    en: '{id} is published from {resource}; a new version must come from the same source',
  },
  'od.otherSourceUpload': { 'zh-CN': '数据集 {id} 由上传的文件发布，新版本须来自同一来源', en: '{id} is published from uploaded files; a new version must come from the same source' },
  'od.metaNotJson': { 'zh-CN': 'meta：不是有效的 JSON', en: 'meta: not valid JSON' },
  'od.notJson': { 'zh-CN': '不是 JSON', en: 'not JSON' },
  // The schema's own words (TypeBox's, English) after the field they are about.
  'od.metaInvalid': { 'zh-CN': '元数据 meta{path} 不符合要求：{error}', en: 'meta{path}: {error}' },

  // Refused by the personal-data guard: the reason, quoted in the detail (`quote`).
  'od.refused': { 'zh-CN': '拒绝发布：{reasonZh}', en: 'Refused: {reasonEn}' },
  'od.guard.noField': { 'zh-CN': '{resource} 没有字段“{name}”', en: '{resource} has no field "{name}"' },
  'od.guard.aboutPeople': {
    'zh-CN': '{name}（{resource}）记录的是个人，个人明细数据一律不予开放，请改为发布统计汇总',
    en: '{name} ({resource}) holds records about people: raw personal rows are never published; publish an aggregate instead',
  },
  'od.guard.personalField': { 'zh-CN': '字段“{name}”（{label}）可识别或联系到个人，不予开放', en: 'field "{name}" ({label}) identifies or contacts a person and is never published' },
  'od.guard.geoPoint': { 'zh-CN': '字段“{name}”须拆分为经度、纬度两个小数字段发布', en: 'field "{name}": publish latitude and longitude as two decimal fields' },
  'od.guard.groupPersonal': {
    'zh-CN': '不能按“{name}”（{label}）分组，该字段可识别个人或属于敏感数据（敏感级别 {level}）',
    en: 'cannot group by "{name}" ({label}): it identifies a person or is sensitive (level {level})',
  },
  'od.guard.groupType': { 'zh-CN': '不能按“{name}”分组，该字段为 {type} 类型', en: 'cannot group by "{name}": a {type} field' },
  'od.guard.groupExactDate': {
    'zh-CN': '涉及个人的记录不能按精确日期“{name}”分组，这会识别出特定个人',
    en: 'cannot group records about people by the exact date "{name}": it singles people out',
  },
  'od.guard.groupExactTimestamp': {
    'zh-CN': '涉及个人的记录不能按精确时间“{name}”分组，这会识别出特定个人',
    en: 'cannot group records about people by the exact timestamp "{name}": it singles people out',
  },
  'od.guard.measureNotNumber': { 'zh-CN': '不能计算 {fn}({field})，只有整数和小数字段可以求和或求平均值', en: '{fn}({field}): only integer and decimal fields can be summed or averaged' },
  'od.guard.measureOnePerson': { 'zh-CN': '不能发布 {fn}({field})，这会公布某一个人的数值', en: '{fn}({field}) would publish one person\'s value' },
  'od.guard.rowField.mobile': {
    'zh-CN': '第 {row} 行字段“{field}”含有手机号码，个人信息一律不予开放',
    en: 'row {row}, field "{field}": holds a mobile number; personal data is never published',
  },
  'od.guard.rowField.residentId': {
    'zh-CN': '第 {row} 行字段“{field}”含有公民身份号码，个人信息一律不予开放',
    en: 'row {row}, field "{field}": holds a resident ID number; personal data is never published',
  },
  'od.guard.rowColumn.mobile': {
    'zh-CN': '第 {row} 行“{column}”列含有手机号码，个人信息一律不予开放',
    en: 'row {row}, column "{column}": holds a mobile number; personal data is never published',
  },
  'od.guard.rowColumn.residentId': {
    'zh-CN': '第 {row} 行“{column}”列含有公民身份号码，个人信息一律不予开放',
    en: 'row {row}, column "{column}": holds a resident ID number; personal data is never published',
  },
  'od.guard.personalColumn': {
    'zh-CN': '“{column}”列是个人的姓名或联系方式，个人信息一律不予开放',
    en: 'column "{column}" names or contacts people: personal data is never published',
  },

  // An uploaded file that cannot become a dataset: the reason, quoted after the file's name.
  'od.uploadRefused': { 'zh-CN': '{fileName}：{reasonZh}', en: '{fileName}: {reasonEn}' },
  'od.file.format': { 'zh-CN': '请上传 CSV、XLSX、NDJSON、JSON 或 GeoJSON 文件', en: '{fileName}: upload CSV, XLSX, NDJSON, JSON or GeoJSON' },
  'od.file.jsonTooLarge': { 'zh-CN': 'JSON 文件上传限 {mb} MB：更大的数据请上传 CSV 或 NDJSON', en: 'JSON uploads are limited to {mb} MB: upload CSV or NDJSON for more' },
  'od.file.notJson': { 'zh-CN': '不是有效的 JSON：{error}', en: 'not valid JSON: {error}' },
  'od.file.notArray': { 'zh-CN': 'JSON 文件须为对象数组，每个对象为一行', en: 'a JSON upload is an array of objects, one per row' },
  'od.file.notFeatureCollection': { 'zh-CN': 'GeoJSON 文件须为 FeatureCollection', en: 'a GeoJSON upload is a FeatureCollection' },
  'od.file.notPoint': { 'zh-CN': '几何类型 {type}：只支持点（Point）要素', en: 'geometry {type}: only Point features are supported' },
  'od.file.badRow': { 'zh-CN': '第 {row} 行：{reasonZh}', en: 'row {row}: {reasonEn}' },
  'od.file.noColumns': { 'zh-CN': '文件没有列', en: 'the file has no columns' },
  'od.file.columnNotInHeader': { 'zh-CN': '第 {row} 行的“{column}”列不在第一行（表头）中', en: 'row {row}: column "{column}" is not in the first row' },
  'od.file.noRows': { 'zh-CN': '文件没有数据行', en: 'the file has no rows' },

  // Reading data.
  'od.conditionalNeedsKey': {
    'zh-CN': '数据集 {id} 为有条件开放：请先申请，获批后使用获得的 API 密钥调用',
    en: '{id} is open on conditions: apply for it, then call with the API key you are given',
  },
  'od.keyNotApproved': { 'zh-CN': '数据集 {id} 为有条件开放：此密钥未获批准访问该数据集', en: '{id} is open on conditions: this key is not approved for it' },
  'od.noGeo': { 'zh-CN': '数据集 {id} 没有经纬度列，不提供 GeoJSON 格式', en: '{id} has no latitude and longitude columns: GeoJSON is not offered' },
  'od.noGeoColumns': { 'zh-CN': '没有经纬度列', en: 'no geo columns' },
  'od.title.queryTooLong': { 'zh-CN': '查询超时', en: 'Query took too long' },
  'od.queryTooLong': {
    'zh-CN': '查询运行超过 {ms} 毫秒：请增加筛选条件，或减少请求的行数',
    en: 'The query ran longer than {ms} ms: add a filter or ask for fewer rows',
  },

  // Developer keys and the calls they may make.
  'od.keysForUsers': { 'zh-CN': '密钥须由登录的开发者创建', en: 'Keys are created by a signed-in developer' },
  'od.tooManyKeys': { 'zh-CN': '您已有 {max} 个有效密钥，请先吊销其中一个', en: 'You have {max} live keys: revoke one first' },
  'od.noKey': { 'zh-CN': '您没有密钥 {id}', en: 'You have no key {id}' },
  'od.badKey': { 'zh-CN': 'API 密钥无效：密钥不存在、已吊销或已过期', en: 'This API key is not valid: it is unknown, revoked or expired' },
  'od.quotaSpent': {
    'zh-CN': '此密钥今日 {quota} 次的调用配额已用完，北京时间零点重置',
    en: 'This key\'s daily quota of {quota} calls is spent; it resets at midnight (China time)',
  },
  'od.signedInLimit': {
    'zh-CN': '不带 API 密钥的调用每位登录用户每分钟限 {limit} 次，请稍后再试；程序调用请创建 API 密钥',
    en: 'Calls without an API key are limited to {limit} a minute per signed-in user: try again shortly, or create an API key for programs',
  },
  'od.anonymousLimit': {
    'zh-CN': '不带 API 密钥的调用每个地址每分钟限 {limit} 次：注册并创建免费密钥可获得更多调用次数',
    en: 'Calls without an API key are limited to {limit} a minute per address: register and create a free key for more',
  },

  // Conditional opening (applications).
  'od.application.unconditional': { 'zh-CN': '数据集 {id} 为无条件开放，无需申请：创建密钥即可调用', en: '{id} is open without conditions: create a key and call it' },
  'od.application.inProgress': { 'zh-CN': '您对数据集 {id} 已有一份正在办理的申请（{application}）', en: 'You have an application for {id} in progress ({application})' },
  'od.application.notReturned': {
    'zh-CN': '申请 {id} 的状态为“{stateZh}”：只有退回补正的申请才能重新提交',
    en: 'Application {id} is {stateEn}; only a returned one is sent again',
  },
  'od.application.notSubmitted': {
    'zh-CN': '申请 {id} 的状态为“{stateZh}”，不是“待完整性查验”',
    en: 'Application {id} is {stateEn}, not waiting for the completeness check',
  },
  'od.application.returnNoteRequired': { 'zh-CN': '退回补正时请在意见中写明缺少什么', en: 'note: say what is missing' },
  'od.application.requiredToReturn': { 'zh-CN': '退回补正时必填', en: 'is required to return an application' },
  'od.application.onlyProviderDecides': { 'zh-CN': '只有提供该数据集的部门（{provider}）可以审核此申请', en: 'Only {provider}, which provides the dataset, decides on this application' },
  'od.application.notChecked': {
    'zh-CN': '申请 {id} 的状态为“{stateZh}”：提供部门须在完整性查验通过后审核',
    en: 'Application {id} is {stateEn}; the provider decides after the completeness check',
  },
  'od.application.refuseNoteRequired': { 'zh-CN': '请写明不予批准的理由', en: 'note: state the reason for the refusal' },
  'od.application.requiredToRefuse': { 'zh-CN': '不予批准时必填', en: 'is required to refuse' },
  'od.application.tooManyDays': { 'zh-CN': '批准天数不能超过申请的 {days} 天', en: 'days: at most the {days} days asked for' },
  'od.application.longerThanAsked': { 'zh-CN': '超过申请的天数', en: 'longer than asked' },
  'od.application.notApproved': { 'zh-CN': '申请 {id} 的状态为“{stateZh}”，不是“已批准”', en: 'Application {id} is {stateEn}, not approved' },
  'od.application.keyIssued': { 'zh-CN': '此申请的密钥已经领取', en: 'The key of this application was issued already' },
  'od.application.onlyProviderRevokes': { 'zh-CN': '只有 {provider} 或平台运维人员可以撤销此授权', en: 'Only {provider} or the portal\'s operators revoke this approval' },
  'od.application.none': { 'zh-CN': '没有申请 {id}', en: 'No application {id}' },
  'od.application.notYours': { 'zh-CN': '您没有申请 {id}', en: 'You have no application {id}' },

  // Community: feedback, data requests, the apps showcase.
  'od.text.mobile': { 'zh-CN': '此内容将公开显示，请删除其中的手机号码', en: '{field}: remove the mobile number; this text is shown publicly' },
  'od.text.residentId': { 'zh-CN': '此内容将公开显示，请删除其中的公民身份号码', en: '{field}: remove the resident ID number; this text is shown publicly' },
  'od.text.holdsMobile': { 'zh-CN': '含有手机号码', en: 'holds a mobile number' },
  'od.text.holdsResidentId': { 'zh-CN': '含有公民身份号码', en: 'holds a resident ID number' },
  'od.noFeedback': { 'zh-CN': '没有反馈 {id}', en: 'No feedback {id}' },
  'od.feedbackGoesTo': { 'zh-CN': '对数据集 {dataset} 的反馈由 {org} 答复', en: 'Feedback on {dataset} goes to {org}' },
  'od.noDataRequest': { 'zh-CN': '没有数据需求 {id}', en: 'No data request {id}' },
  'od.fulfilledNeedsDataset': { 'zh-CN': '请指明满足该需求的已发布数据集', en: 'dataset: name the published dataset that fulfils the request' },
  'od.publishedDatasetRequired': { 'zh-CN': '须为已发布的数据集', en: 'a published dataset is required' },
  'od.urlRequired': { 'zh-CN': '请填写 http(s) 网址', en: 'url: an http(s) address' },
  'od.notUrl': { 'zh-CN': '不是 http(s) 网址', en: 'not an http(s) URL' },
  'od.noPublishedDatasetNamed': { 'zh-CN': '没有已发布的数据集“{dataset}”', en: 'datasets: no published dataset "{dataset}"' },
  'od.unknownDataset': { 'zh-CN': '未知数据集 {dataset}', en: 'unknown dataset {dataset}' },
  'od.noApp': { 'zh-CN': '没有应用 {id}', en: 'No app {id}' },

  // The records query (select, where, group_by, order_by, q, limit, cursor): for developers, so
  // the parameter, the grammar's words and the API's column types stay as they are written.
  'od.q.unterminatedString': { 'zh-CN': '{parameter}：位置 {pos} 处的字符串缺少结束引号', en: '{parameter}: unterminated string at {pos}' },
  'od.q.unterminatedName': { 'zh-CN': '{parameter}：位置 {pos} 处带引号的名称缺少结束引号', en: '{parameter}: unterminated quoted name at {pos}' },
  'od.q.unexpectedCharacter': { 'zh-CN': '{parameter}：位置 {pos} 处的字符“{char}”无法识别', en: '{parameter}: unexpected character "{char}" at {pos}' },
  // Something other than the grammar allows, at a token or at the end, and what it expected there.
  'od.q.unexpected.token.none': { 'zh-CN': '{parameter}：位置 {pos} 处的“{token}”不符合语法', en: '{parameter}: unexpected token "{token}" at {pos}' },
  'od.q.unexpected.token.symbol': { 'zh-CN': '{parameter}：位置 {pos} 处的“{token}”不符合语法（此处应为“{symbol}”）', en: '{parameter}: unexpected token "{token}" at {pos} (expected "{symbol}")' },
  'od.q.unexpected.token.word': { 'zh-CN': '{parameter}：位置 {pos} 处的“{token}”不符合语法（此处应为 {word}）', en: '{parameter}: unexpected token "{token}" at {pos} (expected {word})' },
  'od.q.unexpected.token.column': { 'zh-CN': '{parameter}：位置 {pos} 处的“{token}”不符合语法（此处应为列名）', en: '{parameter}: unexpected token "{token}" at {pos} (expected a column)' },
  'od.q.unexpected.token.alias': { 'zh-CN': '{parameter}：位置 {pos} 处的“{token}”不符合语法（此处应为别名）', en: '{parameter}: unexpected token "{token}" at {pos} (expected an alias)' },
  'od.q.unexpected.token.pattern': {
    'zh-CN': '{parameter}：位置 {pos} 处的“{token}”不符合语法（此处应为带引号的匹配模式）',
    en: '{parameter}: unexpected token "{token}" at {pos} (expected a quoted pattern)',
  },
  'od.q.unexpected.token.inLikeBetween': {
    'zh-CN': '{parameter}：位置 {pos} 处的“{token}”不符合语法（此处应为 in、like 或 between）',
    en: '{parameter}: unexpected token "{token}" at {pos} (expected in, like or between)',
  },
  'od.q.unexpected.token.comparison': {
    'zh-CN': '{parameter}：位置 {pos} 处的“{token}”不符合语法（此处应为比较运算符）',
    en: '{parameter}: unexpected token "{token}" at {pos} (expected a comparison)',
  },
  'od.q.unexpected.token.value': {
    'zh-CN': '{parameter}：位置 {pos} 处的“{token}”不符合语法（此处应为“{column}”的值）',
    en: '{parameter}: unexpected token "{token}" at {pos} (expected a value for "{column}")',
  },
  'od.q.unexpected.end.none': { 'zh-CN': '{parameter}：在位置 {pos} 处意外结束', en: '{parameter}: unexpected end at {pos}' },
  'od.q.unexpected.end.symbol': { 'zh-CN': '{parameter}：在位置 {pos} 处意外结束（此处应为“{symbol}”）', en: '{parameter}: unexpected end at {pos} (expected "{symbol}")' },
  'od.q.unexpected.end.word': { 'zh-CN': '{parameter}：在位置 {pos} 处意外结束（此处应为 {word}）', en: '{parameter}: unexpected end at {pos} (expected {word})' },
  'od.q.unexpected.end.column': { 'zh-CN': '{parameter}：在位置 {pos} 处意外结束（此处应为列名）', en: '{parameter}: unexpected end at {pos} (expected a column)' },
  'od.q.unexpected.end.alias': { 'zh-CN': '{parameter}：在位置 {pos} 处意外结束（此处应为别名）', en: '{parameter}: unexpected end at {pos} (expected an alias)' },
  'od.q.unexpected.end.pattern': { 'zh-CN': '{parameter}：在位置 {pos} 处意外结束（此处应为带引号的匹配模式）', en: '{parameter}: unexpected end at {pos} (expected a quoted pattern)' },
  'od.q.unexpected.end.inLikeBetween': {
    'zh-CN': '{parameter}：在位置 {pos} 处意外结束（此处应为 in、like 或 between）',
    en: '{parameter}: unexpected end at {pos} (expected in, like or between)',
  },
  'od.q.unexpected.end.comparison': { 'zh-CN': '{parameter}：在位置 {pos} 处意外结束（此处应为比较运算符）', en: '{parameter}: unexpected end at {pos} (expected a comparison)' },
  'od.q.unexpected.end.value': { 'zh-CN': '{parameter}：在位置 {pos} 处意外结束（此处应为“{column}”的值）', en: '{parameter}: unexpected end at {pos} (expected a value for "{column}")' },
  'od.q.noColumn': { 'zh-CN': '{parameter}：该数据集没有列“{column}”', en: '{parameter}: no column "{column}" in this dataset' },
  'od.q.needsNumber': { 'zh-CN': '{parameter}：{fn}() 需要数值列，而“{column}”是 {type} 列', en: '{parameter}: {fn}() needs a number column; "{column}" is {type}' },
  'od.q.cannotTake': { 'zh-CN': '{parameter}：{fn}() 不能用于 {type} 列“{column}”', en: '{parameter}: {fn}() cannot take the {type} column "{column}"' },
  'od.q.badAlias': {
    'zh-CN': '{parameter}：别名“{alias}”只能由小写字母、数字和 _ 组成，并以字母开头',
    en: '{parameter}: alias "{alias}" must be lower-case letters, digits and _ (starting with a letter)',
  },
  'od.q.starAlias': { 'zh-CN': '{parameter}：* 不能指定别名', en: '{parameter}: * cannot take an alias' },
  'od.q.selectedTwice': { 'zh-CN': '{parameter}：“{name}”被选取了两次，请用 as 为其中一个改名', en: '{parameter}: "{name}" is selected twice; rename one with "as"' },
  'od.q.tooManyOutputs': { 'zh-CN': 'select：输出项超过 {max} 个', en: 'select: more than {max} outputs' },
  'od.q.tooManyGroupColumns': { 'zh-CN': 'group_by：超过 {max} 列', en: 'group_by: more than {max} columns' },
  'od.q.aggregateNeedsGroup': {
    'zh-CN': '{parameter}：聚合函数 {fn}() 需要 group_by，或在 select 中使用聚合函数',
    en: '{parameter}: aggregate {fn}() needs group_by or an aggregate in select',
  },
  'od.q.notGroupedOrSelected': { 'zh-CN': '{parameter}：“{name}”既不在 group_by 中，也不是 select 的输出项', en: '{parameter}: "{name}" is neither in group_by nor an output of select' },
  'od.q.orderByJson': { 'zh-CN': '{parameter}：不能按 json 列“{column}”排序', en: '{parameter}: cannot order by the json column "{column}"' },
  'od.q.tooManyOrderTerms': { 'zh-CN': 'order_by：排序项超过 {max} 个', en: 'order_by: more than {max} terms' },
  'od.q.tooDeep': { 'zh-CN': '{parameter}：嵌套超过 {max} 层', en: '{parameter}: nested deeper than {max} levels' },
  'od.q.tooManyConditions': { 'zh-CN': '{parameter}：条件超过 {max} 个', en: '{parameter}: more than {max} conditions' },
  'od.q.jsonOnlyNull': {
    'zh-CN': '{parameter}：json 列“{column}”只能用 "is null" 或 "is not null" 判断',
    en: '{parameter}: the json column "{column}" can only be tested with "is null" or "is not null"',
  },
  'od.q.tooManyIn': { 'zh-CN': '{parameter}："in" 中的值超过 {max} 个', en: '{parameter}: more than {max} values in "in"' },
  'od.q.likeNotText': { 'zh-CN': '{parameter}：like 只能用于 text 列，而“{column}”是 {type} 列', en: '{parameter}: like works on text columns; "{column}" is {type}' },
  'od.q.likeEscape': { 'zh-CN': '{parameter}：like 匹配模式 {pattern} 以转义字符结尾', en: '{parameter}: like pattern {pattern} ends with an escape character' },
  'od.q.nullCompare': { 'zh-CN': '{parameter}：null 只能用于 "is null" 或 "is not null"', en: '{parameter}: null only goes with "is null" or "is not null"' },
  'od.q.notTypeValue': { 'zh-CN': '{parameter}：{value} 不是列“{column}”的 {type} 值', en: '{parameter}: {value} is not a {type} value for column "{column}"' },
  'od.q.notIntegerValue': { 'zh-CN': '{parameter}：{value} 不是列“{column}”的 integer 值', en: '{parameter}: {value} is not an integer value for column "{column}"' },
  'od.q.notTextValue': {
    'zh-CN': '{parameter}：{value} 不是列“{column}”的 text 值（请加引号：\'{value}\'）',
    en: '{parameter}: {value} is not a text value for column "{column}" (quote it: \'{value}\')',
  },
  'od.q.invalidValue': { 'zh-CN': '{parameter}：{value} 不是列“{column}”的有效 {type} 值', en: '{parameter}: {value} is not a valid {type} value for column "{column}"' },
  'od.q.invalidDate': {
    'zh-CN': '{parameter}：{value} 不是列“{column}”的有效 date 值（日期请写作 \'YYYY-MM-DD\'）',
    en: '{parameter}: {value} is not a valid date value for column "{column}" (write dates as \'YYYY-MM-DD\')',
  },
  'od.q.invalidTimestamp': {
    'zh-CN': '{parameter}：{value} 不是列“{column}”的有效 timestamp 值（请按 ISO 8601 书写，如 \'2024-01-31T08:00:00+08:00\'；不带时区偏移的按 UTC 计）',
    en: '{parameter}: {value} is not a valid timestamp value for column "{column}" (write timestamps in ISO 8601, e.g. \'2024-01-31T08:00:00+08:00\'; without an offset, UTC)',
  },
  'od.q.invalidInteger': { 'zh-CN': '{parameter}：{value} 不是列“{column}”的有效 integer 值（应为整数）', en: '{parameter}: {value} is not a valid integer value for column "{column}" (a whole number)' },
  'od.q.invalidDecimal': {
    'zh-CN': '{parameter}：{value} 不是列“{column}”的有效 decimal 值（应为数字，如 12.5）',
    en: '{parameter}: {value} is not a valid decimal value for column "{column}" (a number like 12.5)',
  },
  'od.q.cursorForeign': { 'zh-CN': 'cursor：不是本接口给出的游标，请不带游标重新开始', en: 'cursor: not a cursor this API gave out; start again without a cursor' },
  'od.q.cursorOtherQuery': { 'zh-CN': 'cursor：该游标属于另一个查询，请不带游标重新开始', en: 'cursor: it belongs to a different query; start again without a cursor' },
  'od.q.cursorDamaged': { 'zh-CN': 'cursor：游标已损坏，请不带游标重新开始', en: 'cursor: damaged; start again without a cursor' },
  'od.q.tooLong': { 'zh-CN': '{parameter}：超过 {max} 个字符', en: '{parameter}: longer than {max} characters' },
  'od.q.nul': { 'zh-CN': '{parameter}：含有空字符（NUL）', en: '{parameter}: contains a NUL character' },
  'od.q.badLimit': { 'zh-CN': 'limit：应为 1 到 {max} 之间的整数，而不是“{value}”', en: 'limit: must be a whole number from 1 to {max}, not "{value}"' },
  'od.q.noWords': { 'zh-CN': 'q：“{text}”中没有可检索的词', en: 'q: no words to search for in "{text}"' },
  'od.q.noColumns': { 'zh-CN': 'select：该数据集没有列', en: 'select: the dataset has no columns' },
  'od.q.mustGroup': { 'zh-CN': 'select：select 含有聚合函数时，“{column}”须在 group_by 中', en: 'select: "{column}" must be in group_by when select has aggregates' },
  // CKAN's datastore_search (answered in CKAN's shape, in English; defined here as QueryError takes messages).
  'od.q.filterValue': { 'zh-CN': 'filters：“{value}”不是“{column}”的有效 {type} 值', en: 'filters: "{value}" is not a valid {type} for "{column}"' },
  'od.q.filterCount': { 'zh-CN': 'filters：请为“{column}”给出 1–100 个值', en: 'filters: give 1–100 values for "{column}"' },
  'od.q.badSort': { 'zh-CN': 'sort：无法识别“{sort}”', en: 'sort: cannot read "{sort}"' },
});

/** A code of the portal's messages. */
export type OdCode = Parameters<typeof odMessage>[0];

/**
 * A message's words in each language, as the parameters `{name}Zh` and `{name}En` of a message
 * that quotes it (a refusal's reason after "Refused: ", a state's name). Parameters are text,
 * so a quoted message goes in already worded, once per language; the quoting message is made
 * only when refusing and worded at once for its reader, never stored.
 *
 * @example
 * odMessage('od.refused', quote('reason', refusal.reason)); // 'Refused: row 3, …' / '拒绝发布：第 3 行…'
 */
export function quote<N extends string>(name: N, message: Message): Record<`${N}Zh` | `${N}En`, string> {
  return { [`${name}Zh`]: renderMessage(message, 'zh-CN'), [`${name}En`]: renderMessage(message, 'en') } as Record<`${N}Zh` | `${N}En`, string>;
}
