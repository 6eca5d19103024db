import { describe, expect, it } from 'vitest';
import { checkCurrency } from '../../shared/domain/intake.ts';
import * as phone from '../../shared/domain/phone.ts';
import { admitProfile, checkName, checkPhone, checkTimeZone, marketOf } from '../../shared/domain/profile.ts';

const aProfile = (overrides: Record<string, unknown> = {}) => ({
  name: '韩梅梅',
  phone: '+8613912345678',
  timeZone: 'Asia/Shanghai',
  notifications: { sms: true, email: false },
  ...overrides,
});

describe('Function: checkPhone', () => {
  it('accepts mobile numbers of their country: 11 digits from 13x–19x in China, 10 NANP digits in the US', () => {
    expect(checkPhone('+8613800138000', phone).ok).toBe(true);
    expect(checkPhone('+8619912345678', phone).ok).toBe(true);
    expect(checkPhone('+12125550123', phone).ok).toBe(true);
  });

  it('refuses +8612345678901: no Chinese mobile range starts with 12', () => {
    const result = checkPhone('+8612345678901', phone);
    expect(result).toMatchObject({ ok: false, error: { code: 'CUSTOMER.INVALID_PHONE', field: 'phone', kind: 'unprocessable' } });
  });

  it('refuses a Chinese mobile one digit too long or too short', () => {
    expect(checkPhone('+86138001380001', phone).ok).toBe(false);
    expect(checkPhone('+861380013800', phone).ok).toBe(false);
  });
});

describe('Function: checkTimeZone', () => {
  it('accepts canonical Area/City names and UTC', () => {
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'America/Argentina/Buenos_Aires', 'UTC']) expect(checkTimeZone(zone).ok).toBe(true);
  });

  it('refuses asia/shanghai and suggests Asia/Shanghai', () => {
    expect(checkTimeZone('asia/shanghai')).toMatchObject({
      ok: false,
      error: { code: 'CUSTOMER.TIME_ZONE_NOT_CANONICAL', field: 'timeZone', details: { suggestion: 'Asia/Shanghai' } },
    });
  });

  it('refuses EST without a suggestion: an offset names no place', () => {
    const result = checkTimeZone('EST');
    expect(result).toMatchObject({ ok: false, error: { code: 'CUSTOMER.TIME_ZONE_NOT_CANONICAL', field: 'timeZone' } });
    expect(result.ok === false && result.error.details).toBeFalsy();
  });

  it('refuses Asia/Calcutta, an alias IANA keeps for compatibility, and names Asia/Kolkata', () => {
    const result = checkTimeZone('Asia/Calcutta');
    expect(result).toMatchObject({ ok: false, error: { code: 'CUSTOMER.TIME_ZONE_NOT_CANONICAL', field: 'timeZone', details: { suggestion: 'Asia/Kolkata' } } });
    expect(result.ok === false && result.error.message).toContain('alias of "Asia/Kolkata"');
  });

  it('accepts the names IANA gave places after renaming them, which the runtime resolves to their old ones', () => {
    // From IANA's `backward` file: old name → the name zone.tab lists today.
    const renamed: [string, string][] = [
      ['Asia/Calcutta', 'Asia/Kolkata'],
      ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
      ['Asia/Katmandu', 'Asia/Kathmandu'],
      ['Asia/Rangoon', 'Asia/Yangon'],
      ['Europe/Kiev', 'Europe/Kyiv'],
      ['America/Godthab', 'America/Nuuk'],
      ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
      ['America/Indianapolis', 'America/Indiana/Indianapolis'],
      ['Atlantic/Faeroe', 'Atlantic/Faroe'],
      ['Pacific/Truk', 'Pacific/Chuuk'],
      ['Pacific/Enderbury', 'Pacific/Kanton'],
    ];
    for (const [alias, canonical] of renamed) {
      expect(checkTimeZone(canonical).ok, canonical).toBe(true);
      expect(checkTimeZone(alias), alias).toMatchObject({ ok: false, error: { details: { suggestion: canonical } } });
    }
  });

  it('refuses links to another place that still name this one, with that zone', () => {
    expect(checkTimeZone('Asia/Chongqing')).toMatchObject({ ok: false, error: { details: { suggestion: 'Asia/Shanghai' } } });
    expect(checkTimeZone('Hongkong')).toMatchObject({ ok: false, error: { details: { suggestion: 'Asia/Hong_Kong' } } });
    expect(checkTimeZone('Etc/UTC')).toMatchObject({ ok: false, error: { details: { suggestion: 'UTC' } } });
    expect(checkTimeZone('GMT')).toMatchObject({ ok: false, error: { details: { suggestion: 'UTC' } } });
  });

  it('refuses Etc/GMT+8 without a suggestion: a fixed offset (UTC−08:00, sign inverted) names no place', () => {
    const result = checkTimeZone('Etc/GMT+8');
    expect(result).toMatchObject({ ok: false, error: { code: 'CUSTOMER.TIME_ZONE_NOT_CANONICAL', field: 'timeZone' } });
    expect(result.ok === false && result.error.details).toBeFalsy();
    expect(result.ok === false && result.error.message).toContain('fixed offset');
  });

  it('accepts zones that share their rules with another country but name their own place', () => {
    for (const zone of ['Europe/Amsterdam', 'Asia/Hong_Kong', 'America/Ciudad_Juarez']) expect(checkTimeZone(zone).ok, zone).toBe(true);
  });

  it('refuses legacy aliases and names their canonical zone', () => {
    expect(checkTimeZone('US/Eastern')).toMatchObject({ ok: false, error: { details: { suggestion: 'America/New_York' } } });
    expect(checkTimeZone('PRC')).toMatchObject({ ok: false, error: { details: { suggestion: 'Asia/Shanghai' } } });
    expect(checkTimeZone('Mars/Olympus').ok).toBe(false);
  });
});

describe('Function: checkName', () => {
  it('refuses control, bidi and zero-width characters', () => {
    for (const name of ['Amy\u0007Chen', 'Amy\nChen', 'Amy\u202eneh', 'Amy\u200bChen', '\ufeffAmy']) {
      expect(checkName(name)).toMatchObject({ ok: false, error: { code: 'CUSTOMER.NAME_CONTROL_CHARACTERS', field: 'name' } });
    }
  });

  it('accepts names in any script, with spaces, dots and hyphens', () => {
    for (const name of ['韩梅梅', 'Amy Chen', 'Jean-Luc O’Neil', 'José María', '김민지']) expect(checkName(name).ok).toBe(true);
  });
});

describe('Function: admitProfile', () => {
  it('refuses email notices without an email address, naming email', () => {
    expect(admitProfile(aProfile({ notifications: { sms: true, email: true } }), phone)).toMatchObject({ ok: false, error: { code: 'CUSTOMER.EMAIL_REQUIRED', field: 'email' } });
    expect(admitProfile(aProfile({ email: 'han@example.com', notifications: { sms: true, email: true } }), phone).ok).toBe(true);
  });

  it('refuses a market repayflow does not lend in', () => {
    expect(admitProfile(aProfile({ market: 'RU' }), phone)).toMatchObject({ ok: false, error: { code: 'CUSTOMER.MARKET_UNSUPPORTED', field: 'market' } });
  });
});

describe('Function: marketOf', () => {
  it("is the profile's market, else the country of the phone number", () => {
    expect(marketOf({ phone: '+8613800138000' }, phone)).toBe('CN');
    expect(marketOf({ phone: '+12125550123' }, phone)).toBe('US');
    expect(marketOf({ phone: '+8613800138000', market: 'HK' }, phone)).toBe('HK');
  });
});

describe('Function: checkCurrency', () => {
  it("admits a plan in its customer's market's currency", () => {
    expect(checkCurrency('CNY', { market: 'CN', method: { type: 'alipay', named: false } }).ok).toBe(true);
    expect(checkCurrency('USD', { market: 'US', method: { type: 'bank_card', named: true } }).ok).toBe(true);
    expect(checkCurrency('EUR', { market: 'DE' }).ok).toBe(true);
  });

  it('refuses a USD plan for a customer in China, naming principal.currency', () => {
    expect(checkCurrency('USD', { market: 'CN' })).toMatchObject({ ok: false, error: { code: 'PLAN.CURRENCY_NOT_MARKET', field: 'principal.currency', kind: 'unprocessable' } });
  });

  it('refuses a USD plan on a CNY-only wallet, naming paymentMethodId when the request named it', () => {
    expect(checkCurrency('USD', { market: 'US', method: { type: 'alipay', named: true } })).toMatchObject({
      ok: false,
      error: { code: 'PLAN.CURRENCY_NOT_METHOD', field: 'paymentMethodId' },
    });
    expect(checkCurrency('USD', { market: 'US', method: { type: 'wechat_pay', named: false } })).toMatchObject({
      ok: false,
      error: { code: 'PLAN.CURRENCY_NOT_METHOD', field: 'principal.currency' },
    });
  });
});
