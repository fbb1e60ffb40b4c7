import { defineMessages } from '../i18n/messages';

/**
 * What the HTTP layer itself says in a problem (ADR 0020): each problem type's title, and the
 * details the platform writes (sign in, permissions, routes, bodies), and the field messages of
 * schema validation.
 */
export const httpMessage = defineMessages({
  'http.title.validation': { 'zh-CN': '请求无效', en: 'Invalid request' },
  'http.title.badRequest': { 'zh-CN': '错误请求', en: 'Bad request' },
  'http.title.malformed': { 'zh-CN': '请求体格式错误', en: 'Malformed body' },
  'http.title.tooLarge': { 'zh-CN': '请求体过大', en: 'Body too large' },
  'http.title.uriTooLong': { 'zh-CN': '请求地址过长', en: 'URI too long' },
  'http.title.headersTooLarge': { 'zh-CN': '请求头过大', en: 'Request headers too large' },
  'http.title.timeout': { 'zh-CN': '请求超时', en: 'Request timeout' },
  'http.title.unsupportedMedia': { 'zh-CN': '不支持的媒体类型', en: 'Unsupported media type' },
  'http.title.unauthenticated': { 'zh-CN': '未认证', en: 'Not authenticated' },
  'http.title.forbidden': { 'zh-CN': '无权访问', en: 'Forbidden' },
  'http.title.notFound': { 'zh-CN': '未找到', en: 'Not found' },
  'http.title.conflict': { 'zh-CN': '冲突', en: 'Conflict' },
  'http.title.rateLimited': { 'zh-CN': '请求过于频繁', en: 'Too many requests' },
  'http.title.notReady': { 'zh-CN': '服务尚未就绪', en: 'Not ready' },
  'http.title.internal': { 'zh-CN': '内部错误', en: 'Internal error' },

  'http.signIn': { 'zh-CN': '请先登录，或使用有效的 API 密钥调用', en: 'Sign in, or call with a valid API key' },
  'http.rolesDoNotAllow': { 'zh-CN': '您的角色（{roles}）无权执行 {permission}', en: 'Your roles ({roles}) do not allow {permission}' },
  'http.noRoute': { 'zh-CN': '没有 {method} {path} 这一接口', en: 'No route {method} {path}' },
  'http.notJson': { 'zh-CN': '请求体不是有效的 JSON', en: 'The body is not valid JSON' },
  'http.tooLarge': { 'zh-CN': '请求体超过 {limit} 字节', en: 'The body is larger than {limit} bytes' },
  'http.mediaType': { 'zh-CN': '请发送 application/json，而不是 {sent}', en: 'Send application/json, not {sent}' },
  'http.invalid': { 'zh-CN': '请求无效', en: 'The request is not valid' },
  'http.notReady': { 'zh-CN': '正在执行数据库迁移，或数据库无响应', en: 'Migrations are running or the database does not answer' },
  'http.field.unknown': { 'zh-CN': '不是已知字段', en: 'is not a known field' },
  'http.field.required': { 'zh-CN': '必填', en: 'is required' },
  'http.field.invalid': { 'zh-CN': '无效', en: 'is not valid' },
  'http.field.oneOf': { 'zh-CN': '应为以下之一：{values}', en: 'must be one of: {values}' },
  'http.unstorable': { 'zh-CN': '{field} 含有无法保存的字符（空字符 U+0000 或不成对的代理项）', en: '{field} contains a character that cannot be stored (U+0000 or a lone surrogate)' },
  'http.field.unstorable': { 'zh-CN': '含有无法保存的字符（空字符 U+0000 或不成对的代理项）', en: 'contains a character that cannot be stored (U+0000 or a lone surrogate)' },
  'http.field.notJson': { 'zh-CN': '不是有效的 JSON', en: 'is not valid JSON' },
  'http.field.emptyBody': { 'zh-CN': '请求体为空', en: 'is empty' },
  'http.headersTooLarge': { 'zh-CN': '请求行与请求头超过 {limit} 字节', en: 'The request line and headers are larger than {limit} bytes' },
  'http.timeout': { 'zh-CN': '请求未在规定时间内发送完毕', en: 'The request was not sent in time' },
  'http.unreadable': { 'zh-CN': '无法读取该 HTTP 请求', en: 'The HTTP request cannot be read' },
  'http.badUrl': { 'zh-CN': '路径“{path}”含有无效的百分号编码', en: 'The path "{path}" holds an invalid percent-encoding' },
  'http.paramTooLong': { 'zh-CN': '路径参数过长（最多 {limit} 个字符）', en: 'A path parameter is too long (at most {limit} characters)' },
  // The schema rules a form's reader meets most, in our words (Ajv's show a regex, or "must NOT
  // have fewer than"); {type} and {format} are worded in each language as parameters.
  'http.field.type': { 'zh-CN': '应为{zh}', en: 'must be {en}' },
  'http.field.minLength': { 'zh-CN': '至少 {limit} 个字符', en: 'must be at least {limit} characters long' },
  'http.field.maxLength': { 'zh-CN': '最多 {limit} 个字符', en: 'must be at most {limit} characters long' },
  'http.field.minimum': { 'zh-CN': '不能小于 {limit}', en: 'must be at least {limit}' },
  'http.field.maximum': { 'zh-CN': '不能大于 {limit}', en: 'must be at most {limit}' },
  'http.field.minItems': { 'zh-CN': '至少 {limit} 项', en: 'must have at least {limit} items' },
  'http.field.maxItems': { 'zh-CN': '最多 {limit} 项', en: 'must have at most {limit} items' },
  'http.field.pattern': { 'zh-CN': '格式不正确', en: 'is not in the expected form' },
  'http.field.format': { 'zh-CN': '应为{zh}', en: 'must be {en}' },
  // Any other schema rule's message as Ajv words it, in each language (ajv-i18n for Chinese).
  'http.field.schema': { 'zh-CN': '{zh}', en: '{en}' },
  'http.internal': { 'zh-CN': '服务端出错；日志中可按请求编号查到原因', en: 'Something went wrong on our side; the request id identifies it in the logs' },
});
