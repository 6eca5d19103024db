import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  applyRate,
  divideFloor,
  divideHalfUp,
  formatDecimal,
  minorUnits,
  money,
  multiplyFloor,
  multiplyHalfUp,
  parseRate,
  split,
  subtract,
  sum,
  toMinorUnits,
} from '../../shared/domain/money.ts';

describe('Function: minorUnits', () => {
  it('knows fen and cents have two decimals and yen none', () => {
    // Act & Assess
    expect([minorUnits('CNY'), minorUnits('USD'), minorUnits('JPY')]).toEqual([2, 2, 0]);
  });
});

describe('Function: money', () => {
  it('refuses a fractional amount of minor units', () => {
    // Act & Assess
    expect(() => money(1.5, 'CNY')).toThrow(expect.objectContaining({ code: 'MONEY.NOT_INTEGER' }));
  });

  it('refuses to add two currencies', () => {
    // Act & Assess
    expect(() => add(money(1, 'CNY'), money(1, 'JPY'))).toThrow(expect.objectContaining({ code: 'MONEY.CURRENCY_MISMATCH' }));
  });

  it('adds, subtracts and sums in one currency', () => {
    // Prepare
    const a = money(1_050, 'USD');
    const b = money(25, 'USD');

    // Act & Assess
    expect(add(a, b)).toEqual({ amount: 1_075, currency: 'USD' });
    expect(subtract(a, b)).toEqual({ amount: 1_025, currency: 'USD' });
    expect(sum([a, b, b], 'USD')).toEqual({ amount: 1_100, currency: 'USD' });
  });
});

describe('Function: split', () => {
  it('gives the remainder one minor unit at a time to the first parts', () => {
    // Act & Assess
    expect(split(100, 3)).toEqual([34, 33, 33]);
    expect(split(8_800, 12)).toEqual([734, 734, 734, 734, 733, 733, 733, 733, 733, 733, 733, 733]);
  });

  it('always adds up to the whole, with parts at most one unit apart', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 1, max: 60 }), (total, parts) => {
        // Act
        const pieces = split(total, parts);

        // Assess
        expect(pieces.reduce((s, p) => s + p, 0)).toBe(total);
        expect(Math.max(...pieces) - Math.min(...pieces)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('Function: parseRate', () => {
  it('holds a decimal string exactly as a ratio of integers', () => {
    // Act
    const rate = parseRate('0.088');

    // Assess
    expect([rate.numerator, rate.denominator, rate.text]).toEqual([88n, 1000n, '0.088']);
  });

  it('refuses exponents, signs and binary-float spellings', () => {
    // Act & Assess
    for (const text of ['8.8e-2', '-0.1', '.5', '0.1.2', '']) {
      expect(() => parseRate(text)).toThrow(expect.objectContaining({ code: 'RATE.MALFORMED' }));
    }
  });
});

describe('Function: applyRate', () => {
  it('rounds half-up to the minor unit', () => {
    // Act & Assess: 125 × 0.1 = 12.5 → 13; 124 × 0.1 = 12.4 → 12
    expect(applyRate(125, parseRate('0.1'))).toBe(13);
    expect(applyRate(124, parseRate('0.1'))).toBe(12);
  });
});

describe('Function: multiplyHalfUp', () => {
  it('rounds a ratio product half-up and a floor product down', () => {
    // Act & Assess: 1,000 × 1/12 = 83.33…; 500 × 1/8 = 62.5
    expect(multiplyHalfUp(1_000, 1n, 12n)).toBe(83);
    expect(multiplyHalfUp(500, 1n, 8n)).toBe(63);
    expect(multiplyFloor(500, 1n, 8n)).toBe(62);
    expect(divideHalfUp(5n, 2n)).toBe(3n);
    expect(divideFloor(5n, 2n)).toBe(2n);
  });

  it('refuses a result a number cannot hold exactly', () => {
    // Act & Assess
    expect(() => multiplyHalfUp(Number.MAX_SAFE_INTEGER, 2n, 1n)).toThrow(expect.objectContaining({ code: 'MONEY.OUT_OF_RANGE' }));
    expect(toMinorUnits(9_007_199_254_740_991n)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('Function: formatDecimal', () => {
  it('prints a ratio with a fixed number of decimals, rounded half-up', () => {
    // Act & Assess
    expect(formatDecimal(1_586n, 10_000n, 4)).toBe('0.1586');
    expect(formatDecimal(0n, 1n, 4)).toBe('0.0000');
    expect(formatDecimal(2n, 3n, 4)).toBe('0.6667');
    expect(formatDecimal(-1_902n, 10_000n, 4)).toBe('-0.1902');
    expect(formatDecimal(5n, 2n, 0)).toBe('3');
    expect(formatDecimal(123_456n, 100n, 2)).toBe('1234.56');
  });
});
