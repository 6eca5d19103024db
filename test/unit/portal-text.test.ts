/**
 * The portal's words: every message exists in both languages, Chinese text uses Chinese
 * punctuation, and a refusal is never shown to a Chinese reader in the API's English.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';

type I18n = typeof import('../../web/src/i18n.ts');
let i18n: I18n;

beforeAll(async () => {
  vi.stubGlobal('document', { documentElement: { lang: '' } });
  i18n = await import('../../web/src/i18n.ts');
});

const CJK = /[\u3400-\u9fff]/;
/** ASCII punctuation touching a Chinese character (`金额:`, `(默认)`, `成功!`). */
const ASCII_PUNCTUATION_IN_CHINESE = /[\u3400-\u9fff][,:;!?()]|[,:;!?()][\u3400-\u9fff]|[\u3400-\u9fff]\.(?!\d)/;

describe('Portal text', () => {
  it('writes Chinese messages with Chinese punctuation (，：；！？（）。)', () => {
    i18n.setLocale('zh-CN');
    const keys = Object.keys(i18n.messages('en')) as Array<Parameters<I18n['t']>[0]>;
    const offending = keys.map((k) => [k, i18n.t(k)] as const).filter(([, text]) => ASCII_PUNCTUATION_IN_CHINESE.test(text));
    expect(offending).toEqual([]);
  });

  it('shows a Chinese reader no refusal in English, known code or not', () => {
    i18n.setLocale('zh-CN');
    const codes = ['DEFERRAL.LIMIT_REACHED', 'PLAN.NOT_FOUND', 'PAYMENT_METHOD.NOT_FOUND', 'REPAYMENT.PLAN_CHANGED', 'REQUEST.INVALID', 'SOMETHING.NEW', undefined];
    for (const code of codes) {
      const text = i18n.refusalText(code, 'plan plan_1 is paid off');
      expect(text, String(code)).toMatch(CJK);
      expect(text).not.toContain('plan_1');
    }
    expect(i18n.sentence(i18n.refusalText('SOMETHING.NEW', 'a new rule'))).toBe('操作未能完成，请稍后重试或联系客服。');
    i18n.setLocale('en');
    expect(i18n.sentence(i18n.refusalText('SOMETHING.NEW', 'a new rule'))).toBe('A new rule.');
    expect(i18n.sentence(i18n.refusalText('DEFERRAL.LIMIT_REACHED', 'x'))).toBe('This plan has already used its deferrals.');
  });

  it('lists periods so that a reader can tell them apart', () => {
    i18n.setLocale('zh-CN');
    expect(i18n.fmt.periods([1, 2, 3])).toBe('第 1、2、3 期');
    expect(i18n.fmt.periods([4])).toBe('第 4 期');
    i18n.setLocale('en');
    expect(i18n.fmt.periods([1, 2, 3])).toBe('Periods 1, 2 and 3');
    expect(i18n.fmt.periods([1, 2])).toBe('Periods 1 and 2');
    expect(i18n.fmt.periods([4])).toBe('Period 4');
  });

  it('puts the year on an instant when asked (a history that spans years)', () => {
    i18n.setLocale('en');
    expect(i18n.fmt.instant('2026-01-31T04:00:00Z', 'Asia/Shanghai')).toBe('Jan 31, 12:00');
    expect(i18n.fmt.instant('2026-01-31T04:00:00Z', 'Asia/Shanghai', { year: true })).toBe('Jan 31, 2026, 12:00');
    i18n.setLocale('zh-CN');
    expect(i18n.fmt.instant('2026-01-31T04:00:00Z', 'Asia/Shanghai', { year: true })).toContain('2026');
  });
});
