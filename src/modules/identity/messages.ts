import { defineMessages } from '../../platform/i18n/messages';

/** What the identity module says in its problems, in Chinese and English (ADR 0020). */
export const idMessage = defineMessages({
  'id.loginFailed': { 'zh-CN': '用户名或密码不正确', en: 'The username or password is incorrect' },
  'id.tooManySignIns': { 'zh-CN': '登录失败次数过多，请几分钟后再试', en: 'Too many failed sign-ins; try again in a few minutes' },
  'id.signInForAccount': { 'zh-CN': '请登录后查看您的账号', en: 'Sign in to see your account' },
  'id.noApiKey': { 'zh-CN': '本单位没有 API 密钥 {id}', en: 'No API key {id} in your organisation' },
  'id.noUser': { 'zh-CN': '没有用户 {username}', en: 'No user {username}' },
  'id.badResidentId': { 'zh-CN': '不是有效的公民身份号码（GB 11643）', en: 'not a valid resident ID number (GB 11643)' },
  'id.tooManySignUps': { 'zh-CN': '该地址注册次数过多，请一小时后再试', en: 'Too many sign-ups from this address; try again in an hour' },
  'id.badUsername': { 'zh-CN': '请使用 2–64 个字母、数字、点、连字符或下划线', en: 'use 2–64 letters, digits, dots, dashes or underscores' },
  'id.unknownRole': { 'zh-CN': '未知角色“{role}”', en: 'unknown role "{role}"' },
  'id.shortPassword': { 'zh-CN': '至少 8 个字符', en: 'at least 8 characters' },
  'id.noOrg': { 'zh-CN': '没有组织“{org}”', en: 'no organisation "{org}"' },
  'id.userExists': { 'zh-CN': '用户名“{username}”已被使用', en: 'A user named "{username}" already exists' },
  'id.ownOrgKeys': { 'zh-CN': '只能为本单位签发密钥', en: 'You may issue keys only for your own organisation' },
  'id.keyOrgRequired': { 'zh-CN': '请指明密钥所属的组织', en: 'say which organisation the key is for' },
});
