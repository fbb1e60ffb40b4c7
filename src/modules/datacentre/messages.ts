import { defineMessages } from '../../platform/i18n/messages';

/**
 * What the data centre tells the people who feed it, in Chinese and English (ADR 0020): why a
 * row was rejected (stored with the row, listed in the downloadable report) and how a batch
 * ended (its message). Stored as codes with parameters, put into words per reader.
 */
export const dcMessage = defineMessages({
  // Why a value was refused (`parseValue`).
  'dc.row.notText': { 'zh-CN': '应为文本，实为对象', en: 'expected text, got an object' },
  'dc.row.tooLong': { 'zh-CN': '超过 {max} 个字符', en: 'longer than {max} characters' },
  'dc.row.nul': { 'zh-CN': '含有空字符（NUL）', en: 'contains a NUL character' },
  'dc.row.loneSurrogate': { 'zh-CN': '含有不成对的代理项（不是有效的字符）', en: 'contains a lone surrogate (not a character)' },
  'dc.row.unstorable': { 'zh-CN': '含有空字符（NUL）或不成对的代理项', en: 'contains a NUL character or a lone surrogate' },
  'dc.row.notInteger': { 'zh-CN': '不是整数：{value}', en: 'not a whole number: {value}' },
  'dc.row.outOfRange': { 'zh-CN': '超出范围：{value}', en: 'out of range: {value}' },
  'dc.row.notNumber': { 'zh-CN': '不是数字：{value}', en: 'not a number: {value}' },
  'dc.row.notDecimal': { 'zh-CN': '不是十进制数：{value}', en: 'not a decimal number: {value}' },
  'dc.row.notDate': { 'zh-CN': '不是日期（YYYY-MM-DD）：{value}', en: 'not a date (YYYY-MM-DD): {value}' },
  'dc.row.notRealDate': { 'zh-CN': '日期不存在：{value}', en: 'not a real date: {value}' },
  'dc.row.notTimestamp': { 'zh-CN': '不是时间戳（ISO 8601）：{value}', en: 'not a timestamp (ISO 8601): {value}' },
  'dc.row.notRealTime': { 'zh-CN': '时间不存在：{value}', en: 'not a real time: {value}' },
  'dc.row.notBoolean': { 'zh-CN': '不是“是”或“否”：{value}', en: 'not true or false: {value}' },
  'dc.row.notInEnum': { 'zh-CN': '不是 {values} 之一：{value}', en: 'not one of {values}: {value}' },
  'dc.row.badResidentId.length': { 'zh-CN': '不是有效的公民身份号码（长度不对）', en: 'not a valid resident ID number (length)' },
  'dc.row.badResidentId.characters': { 'zh-CN': '不是有效的公民身份号码（含非法字符）', en: 'not a valid resident ID number (characters)' },
  'dc.row.badResidentId.birth_date': { 'zh-CN': '不是有效的公民身份号码（出生日期不存在）', en: 'not a valid resident ID number (birth date)' },
  'dc.row.badResidentId.check': { 'zh-CN': '不是有效的公民身份号码（校验码不符）', en: 'not a valid resident ID number (check)' },
  'dc.row.badResidentId.sequence': { 'zh-CN': '不是有效的公民身份号码（顺序码不能为 000）', en: 'not a valid resident ID number (sequence)' },
  'dc.row.badResidentId.area': { 'zh-CN': '不是有效的公民身份号码（地址码不对）', en: 'not a valid resident ID number (area)' },
  'dc.row.badCreditCode.length': { 'zh-CN': '不是有效的统一社会信用代码（长度不对）', en: 'not a valid unified social credit code (length)' },
  'dc.row.badCreditCode.characters': { 'zh-CN': '不是有效的统一社会信用代码（含非法字符）', en: 'not a valid unified social credit code (characters)' },
  'dc.row.badCreditCode.check': { 'zh-CN': '不是有效的统一社会信用代码（校验码不符）', en: 'not a valid unified social credit code (check)' },
  'dc.row.badCreditCode.area': { 'zh-CN': '不是有效的统一社会信用代码（行政区划码不对）', en: 'not a valid unified social credit code (area)' },
  'dc.row.notJson': { 'zh-CN': '不是有效的 JSON', en: 'not valid JSON' },
  'dc.row.notPoint': { 'zh-CN': '不是“经度,纬度”形式的点：{value}', en: 'not a point "lon,lat": {value}' },
  'dc.row.notOnEarth': { 'zh-CN': '不是地球上的点（经度,纬度）：{value}', en: 'not a point "lon,lat" on Earth: {value}' },
  // Why a row was refused (the row as a whole, or a column).
  'dc.row.notAField': { 'zh-CN': '不是该资源的字段', en: 'not a field of this resource' },
  'dc.row.required': { 'zh-CN': '必填', en: 'is required' },
  'dc.row.notObject': { 'zh-CN': '不是 JSON 对象', en: 'not a JSON object' },
  'dc.row.cellCount': { 'zh-CN': '有 {cells} 个单元格，而表头有 {columns} 列', en: 'has {cells} cells but the header names {columns} columns' },

  // How a batch ended.
  'dc.batch.skipped': { 'zh-CN': '已跳过 {invalid} 条无效记录', en: '{invalid} invalid rows were skipped' },
  'dc.batch.noRows': { 'zh-CN': '该批次没有记录', en: 'The batch has no rows' },
  'dc.batch.refusedWhole': {
    'zh-CN': '{read} 条记录中有 {invalid} 条无效，该批次要求整批拒收，未写入任何记录',
    en: '{invalid} of {read} rows are invalid and the batch asked to be refused whole; nothing was applied',
  },
  'dc.batch.noneValid': { 'zh-CN': '{read} 条记录均无效，未写入任何记录', en: 'None of the {read} rows is valid; nothing was applied' },
  'dc.batch.interrupted': {
    'zh-CN': '接收该批次的进程在写入前已停止，未写入任何记录，请重新发送',
    en: 'The process receiving this batch stopped before it was applied; nothing of it was applied. Send it again.',
  },
  'dc.batch.failed': { 'zh-CN': '该批次失败，未写入任何记录：{error}', en: 'The batch failed and nothing of it was applied: {error}' },
  'dc.batch.unknownColumn': { 'zh-CN': '列与资源的结构不符：未知列 {names}', en: 'The columns do not match the resource\'s schema: unknown column {names}' },
  'dc.batch.unknownColumns': { 'zh-CN': '列与资源的结构不符：未知列 {names}', en: 'The columns do not match the resource\'s schema: unknown columns {names}' },
  'dc.batch.missingColumn': { 'zh-CN': '列与资源的结构不符：缺少必填列 {names}', en: 'The columns do not match the resource\'s schema: missing required column {names}' },
  'dc.batch.missingColumns': { 'zh-CN': '列与资源的结构不符：缺少必填列 {names}', en: 'The columns do not match the resource\'s schema: missing required columns {names}' },
  // Words that come from elsewhere (a refusal of the request, a database error), as they are.
  'dc.text': { 'zh-CN': '{text}', en: '{text}' },
  // Why a file could not be read at all.
  'dc.file.notUtf8Ndjson': { 'zh-CN': '文件不是有效的 UTF-8：NDJSON 全文须为 UTF-8，请另存为 UTF-8', en: 'The file is not valid UTF-8: NDJSON is UTF-8 throughout; save it as UTF-8' },
  'dc.file.recordTooLong': { 'zh-CN': '文件中有一条记录过长（数十 MB）：NDJSON 每行一条记录', en: 'The file has a record too long to read (tens of megabytes): NDJSON holds one record per line' },
  'dc.file.notUtf8Later': { 'zh-CN': '文件开头之后不再是有效的 UTF-8：请全文另存为 UTF-8（或 GB18030）', en: 'The file is not valid UTF-8 after its beginning: save it as UTF-8 (or GB18030) throughout' },
  'dc.file.noHeader': { 'zh-CN': '第一行须为列名', en: 'The first row must name the columns' },
  'dc.file.notCsv': { 'zh-CN': '文件不是可读的 CSV：{error}', en: 'The file is not readable CSV: {error}' },
  'dc.file.notCsvAt': { 'zh-CN': '文件第 {row} 行不是可读的 CSV：{error}', en: 'The file is not readable CSV at row {row}: {error}' },
  'dc.file.rowTooLong': {
    'zh-CN': '第 {row} 行超过 {mb} MB：请拆分单元格，或检查其前是否有未闭合的引号',
    en: 'Row {row} is longer than {mb} MB: split its cells, or look for an unclosed quote before it',
  },
  'dc.file.empty': { 'zh-CN': '文件为空：第一行须为列名', en: 'The file is empty: the first row must name the columns' },
  'dc.file.notXlsx': { 'zh-CN': '文件不是可读的 XLSX 工作簿：{error}', en: 'The file is not a readable XLSX workbook: {error}' },
  // Problems with a request (RFC 9457 details and field messages).
  'dc.stillReceiving': {
    'zh-CN': '资源 {resource} 的批次“{key}”仍在接收中（自 {since} 起），请等待其完成',
    en: 'Batch "{key}" of {resource} is still being received (since {since}); wait for it to finish',
  },
  'dc.resourceExists': { 'zh-CN': '编码为“{code}”的资源已存在', en: 'A resource with code "{code}" already exists' },
  'dc.noDomain': { 'zh-CN': '没有领域“{domain}”', en: 'no domain "{domain}"' },
  'dc.noField': { 'zh-CN': '没有字段“{name}”', en: 'no field "{name}"' },
  'dc.fieldExists': { 'zh-CN': '字段“{name}”已存在（已弃用的字段保留其名称）', en: 'a field "{name}" exists already (deprecated fields keep their names)' },
  'dc.addedRequired': { 'zh-CN': '后加的字段不能为必填：已有记录没有该字段', en: 'a field added later cannot be required: existing records lack it' },
  'dc.enumValues': { 'zh-CN': '枚举字段须列出取值', en: 'an enum field needs its values' },
  'dc.keyOrSubject': { 'zh-CN': '“{name}”是主键或主体字段', en: '"{name}" is a key or subject field' },
  'dc.nothingToChange': { 'zh-CN': '请至少新增或弃用一个字段', en: 'add or deprecate at least one field' },
  'dc.appearsTwice': { 'zh-CN': '“{name}”出现了两次', en: '"{name}" appears twice' },
  'dc.reservedName': { 'zh-CN': '以 _ 开头的名称为系统保留', en: 'names starting with _ are reserved' },
  'dc.legalBasis': {
    'zh-CN': '不予共享的资源须注明法律依据（法律、行政法规或国家政策）',
    en: 'a resource that is not shared must cite its legal basis (law, regulation or central policy)',
  },
  'dc.condition': { 'zh-CN': '有条件共享的资源须写明共享条件', en: 'a conditionally shared resource must state its condition' },
  'dc.noCurrentRecord': { 'zh-CN': '{code} 中没有现行记录“{key}”', en: 'No current record "{key}" in {code}' },
  'dc.noRecord': { 'zh-CN': '{code} 中没有记录“{key}”', en: 'No record "{key}" in {code}' },
  'dc.fileFormat': {
    'zh-CN': '请发送 CSV（.csv）、NDJSON（.ndjson）或 XLSX（.xlsx）文件：由文件名或内容类型判断格式',
    en: 'Send CSV (.csv), NDJSON (.ndjson) or XLSX (.xlsx): the file name or content type says which',
  },
  'dc.noResource': { 'zh-CN': '目录中没有资源“{code}”', en: 'No resource "{code}" in the catalogue' },
  'dc.noBatch': { 'zh-CN': '没有批次“{id}”', en: 'No batch "{id}"' },
  'dc.onlyProvider.define': { 'zh-CN': '只有提供部门（{provider}）或运营人员可以定义资源', en: 'Only the provider ({provider}) or an operator may define resources' },
  'dc.onlyProvider.change': { 'zh-CN': '只有提供部门（{provider}）或运营人员可以修改该资源', en: 'Only the provider ({provider}) or an operator may change this resource' },
  'dc.onlyProvider.write': { 'zh-CN': '只有提供部门（{provider}）或运营人员可以写入 {code}', en: 'Only the provider ({provider}) or an operator may write {code}' },
  'dc.onlyProvider.read': { 'zh-CN': '只有提供部门（{provider}）或运营人员可以读取 {code} 的记录', en: 'Only the provider ({provider}) or an operator may read records of {code}' },
  'dc.file.emptyWorkbook': { 'zh-CN': '工作簿为空：第一行须为列名', en: 'The workbook is empty: the first row must name the columns' },
});
