import { describe, expect, it } from 'vitest';
import { defineMessages, langFromAcceptLanguage, renderMessage } from './index';

describe('messages', () => {
  const m = defineMessages({
    'test.rows': { 'zh-CN': '已跳过 {n} 条', en: '{n} rows skipped' },
    'test.plain': { 'zh-CN': '必填', en: 'is required' },
  });

  it('puts a message into words in either language, filling in its parameters', () => {
    expect(renderMessage(m('test.rows', { n: 3 }), 'zh-CN')).toBe('已跳过 3 条');
    expect(renderMessage(m('test.rows', { n: 3 }), 'en')).toBe('3 rows skipped');
    expect(renderMessage(m('test.plain'), 'en')).toBe('is required');
    // A parameter not given stays visible rather than vanishing.
    expect(renderMessage(m('test.rows'), 'en')).toBe('{n} rows skipped');
    // A code no catalogue knows (stored by a later version): the code and its parameters.
    expect(renderMessage({ code: 'test.later', params: { row: 7 } }, 'zh-CN')).toBe('test.later (row: 7)');
  });

  it('refuses a catalogue that lacks a language or defines a code twice', () => {
    expect(() => defineMessages({ 'test.half': { 'zh-CN': '半' } as never })).toThrow('message test.half has no en text');
    expect(() => defineMessages({ 'test.plain': { 'zh-CN': '必填', en: 'required' } })).toThrow('message test.plain is defined twice');
  });

  it('answers in the reader’s language: Chinese unless English ranks higher', () => {
    expect(langFromAcceptLanguage(undefined)).toBe('zh-CN');
    expect(langFromAcceptLanguage('en-GB,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(langFromAcceptLanguage('zh-TW')).toBe('zh-CN');
    expect(langFromAcceptLanguage('fr, en;q=0.5, zh;q=0.7')).toBe('zh-CN');
    expect(langFromAcceptLanguage('fr, en;q=0.5')).toBe('en');
    expect(langFromAcceptLanguage('fr, de')).toBe('zh-CN');
    expect(langFromAcceptLanguage('*')).toBe('zh-CN');
  });
});
