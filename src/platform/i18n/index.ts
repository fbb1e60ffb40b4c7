export { DEFAULT_LANG, defineMessages, isLang, LANGS, renderMessage, renderStored, storeMessage, type Lang, type Message, type MessageCatalogue, type MessageParams } from './messages';
export { langFromAcceptLanguage } from './negotiate';
