// Two languages: zh-CN by default, English on request; the choice is kept in localStorage.
import { useCallback, useSyncExternalStore } from 'react';

/** The languages of the web app. */
export const LANGS = ['zh-CN', 'en'] as const;
/** A language of the web app. */
export type Lang = (typeof LANGS)[number];

const STORAGE_KEY = 'ludao.lang';

const zh = {
  'app.name': '鹭岛',
  'app.tagline': '城市政务数据平台',
  'app.intro': '汇聚城市数据，连接部门、市民与社会：数据共享交换、开放数据与便民服务，全程留痕可审计。',
  'app.loading': '正在加载…',
  'app.loadFailed': '无法连接鹭岛服务：{message}',
  'app.retry': '重试',
  'app.skip': '跳到主要内容',

  'lang.switch': '语言',

  'login.title': '登录',
  'login.subtitle': '使用您的鹭岛账号登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.failed': '用户名或密码不正确。',
  'login.throttled': '登录失败次数过多，请稍后再试。',
  'login.throttledFor': '登录失败次数过多，请 {seconds} 秒后再试。',
  'login.error': '登录失败：{message}',
  'login.footer': '登录即表示您同意平台对访问行为进行审计记录。',

  'shell.nav': '主导航',
  'shell.home': '首页',
  'shell.signOut': '退出登录',
  'shell.signingOut': '正在退出…',
  'shell.personal': '个人账号',
  'shell.menu': '菜单',

  'home.greeting': '您好，{name}',
  'home.lead': '以下是您可以进入的区域。',
  'home.roles': '角色',
  'home.noAreas': '您的账号暂未开通任何区域，请联系平台运维人员。',
  'home.enter': '进入',

  'area.planned': '建设中',
  'area.whatWillBeHere': '这里将提供',
  'area.note': '此区域正在建设中。接口已就绪的功能可先通过 API 文档查看：',
  'area.apiDocs': 'API 文档',

  'noAccess.title': '无权访问',
  'noAccess.body': '您的账号没有进入“{area}”的权限。如需开通，请联系您所在单位的管理员。',
  'notFound.title': '页面不存在',
  'notFound.body': '找不到地址 {path} 对应的页面。',
  'common.backHome': '返回首页',

  'area.operator.name': '运维控制台',
  'area.operator.summary': '管理全市数据资源目录、归集批次与城市数据看板，并核验审计链。',
  'area.operator.f1': '资源目录',
  'area.operator.f1d': '全市政务数据资源的编目、分级与责任部门。',
  'area.operator.f2': '归集批次',
  'area.operator.f2d': '各部门数据归集的批次、进度与质量检查结果。',
  'area.operator.f3': '城市数据看板',
  'area.operator.f3d': '人口、法人、证照等城市关键数字的汇总视图。',
  'area.operator.f4': '审计核验',
  'area.operator.f4d': '校验审计日志哈希链，确认每一次访问都有据可查。',

  'area.department.name': '部门工作台',
  'area.department.summary': '发起和审批数据共享申请，管理交换通道、API 密钥与本部门的数据供给。',
  'area.department.f1': '共享申请',
  'area.department.f1d': '向其他部门申请数据，或审批他人对本部门数据的申请。',
  'area.department.f2': '交换通道',
  'area.department.f2d': '部门之间已批准的数据交换通道及其运行状态。',
  'area.department.f3': 'API 密钥',
  'area.department.f3d': '为本部门业务系统签发、轮换和吊销调用密钥。',
  'area.department.f4': '数据供给',
  'area.department.f4d': '本部门向平台提供的数据及其更新情况。',

  'area.citizen.name': '市民门户',
  'area.citizen.summary': '在线办事，查看我的数据被谁使用，管理授权并评价服务。',
  'area.citizen.f1': '办事服务',
  'area.citizen.f1d': '常用政务服务的在线办理与进度查询。',
  'area.citizen.f2': '我的数据',
  'area.citizen.f2d': '政府持有的关于我的数据，以及哪些部门在何时因何使用过。',
  'area.citizen.f3': '授权管理',
  'area.citizen.f3d': '查看、授予和撤回对个人数据使用的同意。',
  'area.citizen.f4': '服务评价',
  'area.citizen.f4d': '对办理过的服务进行“好差评”。',

  'area.open-data.name': '开放数据',
  'area.open-data.summary': '浏览和下载开放数据集、调用数据接口，申请有条件开放的数据。',
  'area.open-data.f1': '数据集',
  'area.open-data.f1d': '按主题和部门分类的开放数据集，可预览与下载。',
  'area.open-data.f2': '数据接口',
  'area.open-data.f2d': '开放数据的 API、调用说明与用量。',
  'area.open-data.f3': '有条件开放申请',
  'area.open-data.f3d': '申请使用有条件开放的数据，跟踪审核进度。',

  'area.community.name': '社区治理',
  'area.community.summary': '社区通知公告、业主表决与选举，以及报事报修。',
  'area.community.f1': '通知公告',
  'area.community.f1d': '社区居委会、业委会与物业发布的通知。',
  'area.community.f2': '表决与选举',
  'area.community.f2d': '业主大会表决、业委会选举，实名投票、结果可核验。',
  'area.community.f3': '报事报修',
  'area.community.f3d': '提交维修请求，跟踪物业处理进度。',

  'area.arena.name': 'AI 竞技场',
  'area.arena.summary': '参加基于城市数据的 AI 竞赛，提交作品，查看排行榜。',
  'area.arena.f1': 'AI 竞赛',
  'area.arena.f1d': '基于脱敏城市数据的赛题、规则与数据沙箱。',
  'area.arena.f2': '作品提交',
  'area.arena.f2d': '提交模型或结果，在沙箱中评测。',
  'area.arena.f3': '排行榜',
  'area.arena.f3d': '各赛题的实时排名与评测结果。',

  'role.operator': '平台运维',
  'role.auditor': '审计员',
  'role.dept_admin': '部门管理员',
  'role.dept_staff': '部门工作人员',
  'role.case_handler': '业务经办人',
  'role.citizen': '市民',
  'role.enterprise': '企业',
  'role.owner': '业主',
  'role.owners_committee': '业委会成员',
  'role.property_company': '物业服务企业',
  'role.community_staff': '社区工作人员',
  'role.competitor': '参赛者',
} as const;

/** A message key. */
export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.name': 'Ludao',
  'app.tagline': 'City government data platform',
  'app.intro': "The city's data in one place, connecting departments, citizens and society: data sharing and exchange, open data and public services — every access on the audit record.",
  'app.loading': 'Loading…',
  'app.loadFailed': 'Cannot reach Ludao: {message}',
  'app.retry': 'Retry',
  'app.skip': 'Skip to main content',

  'lang.switch': 'Language',

  'login.title': 'Sign in',
  'login.subtitle': 'Sign in with your Ludao account',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.failed': 'The username or password is incorrect.',
  'login.throttled': 'Too many failed sign-ins; please try again later.',
  'login.throttledFor': 'Too many failed sign-ins; please try again in {seconds} seconds.',
  'login.error': 'Sign-in failed: {message}',
  'login.footer': 'Access to the platform is recorded in its audit log.',

  'shell.nav': 'Main navigation',
  'shell.home': 'Home',
  'shell.signOut': 'Sign out',
  'shell.signingOut': 'Signing out…',
  'shell.personal': 'Personal account',
  'shell.menu': 'Menu',

  'home.greeting': 'Hello, {name}',
  'home.lead': 'These are the areas open to you.',
  'home.roles': 'Roles',
  'home.noAreas': 'No areas are open to your account yet; please contact the platform operators.',
  'home.enter': 'Open',

  'area.planned': 'Coming soon',
  'area.whatWillBeHere': 'What will be here',
  'area.note': 'This area is being built. What the API already offers is described in the API docs:',
  'area.apiDocs': 'API docs',

  'noAccess.title': 'No access',
  'noAccess.body': 'Your account may not enter “{area}”. To have it opened, ask your organisation’s administrator.',
  'notFound.title': 'Page not found',
  'notFound.body': 'There is no page at {path}.',
  'common.backHome': 'Back to home',

  'area.operator.name': 'Operator console',
  'area.operator.summary': "The city's resource catalogue, ingestion batches and data dashboards, and verification of the audit chain.",
  'area.operator.f1': 'Resource catalogue',
  'area.operator.f1d': "The city's government data resources: catalogued, classified, with the department responsible.",
  'area.operator.f2': 'Ingestion batches',
  'area.operator.f2d': 'Batches of data collected from departments, their progress and quality checks.',
  'area.operator.f3': 'City dashboards',
  'area.operator.f3d': "The city's key figures — population, legal entities, licences — at a glance.",
  'area.operator.f4': 'Audit verification',
  'area.operator.f4d': 'Verify the hash chain of the audit log: every access accounted for.',

  'area.department.name': 'Department workbench',
  'area.department.summary': "Request and approve data sharing; manage exchange channels, API keys and your department's data provision.",
  'area.department.f1': 'Sharing requests',
  'area.department.f1d': "Ask other departments for data, or decide on requests for your department's data.",
  'area.department.f2': 'Channels',
  'area.department.f2d': 'Approved exchange channels between departments and how they are running.',
  'area.department.f3': 'API keys',
  'area.department.f3d': "Issue, rotate and revoke keys for your department's systems.",
  'area.department.f4': 'Data provision',
  'area.department.f4d': 'The data your department provides to the platform and how fresh it is.',

  'area.citizen.name': 'Citizen portal',
  'area.citizen.summary': 'Use public services online, see who used your data, manage consents and rate services.',
  'area.citizen.f1': 'Services',
  'area.citizen.f1d': 'Apply for common public services online and follow their progress.',
  'area.citizen.f2': 'My data',
  'area.citizen.f2d': 'The data the government holds about you, and which department used it, when and why.',
  'area.citizen.f3': 'Consents',
  'area.citizen.f3d': 'See, give and withdraw consent to the use of your personal data.',
  'area.citizen.f4': 'Ratings',
  'area.citizen.f4d': 'Rate the services you have used.',

  'area.open-data.name': 'Open data',
  'area.open-data.summary': 'Browse and download open datasets, call data APIs and apply for conditionally open data.',
  'area.open-data.f1': 'Datasets',
  'area.open-data.f1d': 'Open datasets by topic and department, to preview and download.',
  'area.open-data.f2': 'APIs',
  'area.open-data.f2d': 'APIs over open data, with documentation and usage.',
  'area.open-data.f3': 'Conditional data',
  'area.open-data.f3d': 'Apply to use conditionally open data and follow the review.',

  'area.community.name': 'Community',
  'area.community.summary': "Community notices, owners' votes and elections, and repair requests.",
  'area.community.f1': 'Notices',
  'area.community.f1d': "Notices from the residents' committee, owners' committee and property company.",
  'area.community.f2': 'Votes and elections',
  'area.community.f2d': "Owners' assembly votes and committee elections: verified voters, verifiable results.",
  'area.community.f3': 'Repair requests',
  'area.community.f3d': 'Report a repair and follow how the property company handles it.',

  'area.arena.name': 'AI arena',
  'area.arena.summary': 'Take part in AI competitions on city data, submit entries and follow the leaderboards.',
  'area.arena.f1': 'AI competitions',
  'area.arena.f1d': 'Challenges on de-identified city data: tasks, rules and a data sandbox.',
  'area.arena.f2': 'Submissions',
  'area.arena.f2d': 'Submit models or results to be scored in the sandbox.',
  'area.arena.f3': 'Leaderboards',
  'area.arena.f3d': 'Live rankings and scores for each challenge.',

  'role.operator': 'Operator',
  'role.auditor': 'Auditor',
  'role.dept_admin': 'Department administrator',
  'role.dept_staff': 'Department staff',
  'role.case_handler': 'Case handler',
  'role.citizen': 'Citizen',
  'role.enterprise': 'Enterprise',
  'role.owner': 'Home owner',
  'role.owners_committee': "Owners' committee",
  'role.property_company': 'Property company',
  'role.community_staff': 'Community staff',
  'role.competitor': 'Competitor',
};

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };

function isLang(value: unknown): value is Lang {
  return (LANGS as readonly unknown[]).includes(value);
}

function readStoredLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLang(stored) ? stored : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

let current: Lang = readStoredLang();
const listeners = new Set<() => void>();
if (typeof document !== 'undefined') document.documentElement.lang = current;

/** Switches the language, remembers it and tells every component using it. */
export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
  document.documentElement.lang = lang;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The message for a key in a language, with `{name}` placeholders filled in.
 *
 * @example
 * translate('en', 'home.greeting', { name: '陈小鹭' }); // 'Hello, 陈小鹭'
 */
export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = DICTIONARIES[lang][key];
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/** A translator for a key that is only known at run time (a role name); undefined when missing. */
export function translateMaybe(lang: Lang, key: string): string | undefined {
  return key in zh ? DICTIONARIES[lang][key as MessageKey] : undefined;
}

/** The current language and a translator bound to it; re-renders when the language changes. */
export function useI18n(): { lang: Lang; t: (key: MessageKey, params?: Record<string, string | number>) => string } {
  const lang = useSyncExternalStore(subscribe, () => current);
  const t = useCallback((key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params), [lang]);
  return { lang, t };
}
