/** The portal's money and rate text: exact from integer minor units, never through a float. */
import { describe, expect, it } from 'vitest';
import { formatMoney, formatRate, parseAmount, readAmount, toDecimal } from '../../web/src/money.ts';

describe('Portal money', () => {
  it('writes minor units as an exact decimal for the currency', () => {
    expect(toDecimal(54_392, 'CNY')).toBe('543.92');
    expect(toDecimal(5, 'CNY')).toBe('0.05');
    expect(toDecimal(-120, 'USD')).toBe('-1.20');
    expect(toDecimal(1234, 'JPY')).toBe('1234');
    expect(toDecimal(900_719_925_474_099, 'CNY')).toBe('9007199254740.99');
  });

  it('formats with the narrow symbol and the locale’s grouping', () => {
    expect(formatMoney({ amount: 123_456, currency: 'CNY' }, 'zh-CN')).toBe('¥1,234.56');
    expect(formatMoney({ amount: 123_456, currency: 'CNY' }, 'en')).toBe('¥1,234.56');
    expect(formatMoney({ amount: 99_900, currency: 'USD' }, 'en')).toBe('$999.00');
    expect(formatMoney({ amount: 1500, currency: 'JPY' }, 'en')).toBe('¥1,500');
  });

  it('reads what a person typed into minor units, refusing what is not an amount', () => {
    expect(parseAmount('1,234.5', 'CNY')).toBe(123_450);
    expect(parseAmount(' ¥88 ', 'CNY')).toBe(8800);
    expect(parseAmount('0.1', 'CNY')).toBe(10);
    expect(parseAmount('1.005', 'CNY')).toBeUndefined();
    expect(parseAmount('12a', 'CNY')).toBeUndefined();
    expect(parseAmount('', 'CNY')).toBeUndefined();
    expect(parseAmount('1.5', 'JPY')).toBeUndefined();
  });

  it('reads full-width digits from a Chinese keyboard and says why a text is not an amount', () => {
    expect(readAmount('１２３．４５', 'CNY')).toEqual({ amount: 12_345 });
    expect(readAmount('￥１，２００', 'CNY')).toEqual({ amount: 120_000 });
    expect(readAmount('88元', 'CNY')).toEqual({ amount: 8800 });
    expect(readAmount('.5', 'CNY')).toEqual({ amount: 50 });
    expect(readAmount('  ', 'CNY')).toEqual({ problem: 'empty' });
    expect(readAmount('十元', 'CNY')).toEqual({ problem: 'notNumber' });
    expect(readAmount('1.2.3', 'CNY')).toEqual({ problem: 'notNumber' });
    expect(readAmount('１．００５', 'CNY')).toEqual({ problem: 'tooManyDecimals' });
    expect(readAmount('1.5', 'JPY')).toEqual({ problem: 'tooManyDecimals' });
  });

  it('shows a decimal rate string as a percentage by moving the point', () => {
    expect(formatRate('0.1586', 'en')).toBe('15.86%');
    expect(formatRate('0.088', 'zh-CN')).toBe('8.8%');
    expect(formatRate('0', 'en')).toBe('0%');
    expect(formatRate('1.2', 'en')).toBe('120%');
    expect(formatRate('0.00005', 'en')).toBe('0.005%');
  });
});
