import { describe, expect, it } from 'vitest';
import { createLogger, maskPii } from '../../shared/adapters/logger.ts';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', service: 'test', write: (line) => lines.push(line) });
  return { logger, lines };
}

describe('Function: maskPii', () => {
  it('masks phone numbers written in any common way, keeping the last 4 digits', () => {
    expect(maskPii('call +8613912345678 now')).toBe('call ****5678 now');
    expect(maskPii('to +1 (212) 555-0123.')).toBe('to ****0123.');
    expect(maskPii('手机13912345678已绑定')).toBe('手机****5678已绑定');
    expect(maskPii('139 1234 5678')).toBe('****5678');
    expect(maskPii('212-555-0123')).toBe('****0123');
  });

  it('masks email addresses, keeping the first letter and the domain', () => {
    expect(maskPii('han.meimei@example.com.cn wrote')).toBe('h***@example.com.cn wrote');
  });

  it('never corrupts an id, whatever digits it holds', () => {
    for (const id of [
      'evt_1391234567890',
      'cus_13912345678',
      'pi_3Q1234567890123456',
      'JD-20260131-1234567890',
      '8f14e45f-ceea-467f-a0e6-1234567890ab',
      '12345678-1234-1234-1234-123456789012',
      'idem#ops:POST /v1/plans#1714ad07-64fb-463a-93d3-98f7ecebbd40',
      'plan_3x9k2m4n:1:2',
    ]) {
      expect(maskPii(`key ${id} failed`)).toBe(`key ${id} failed`);
    }
  });

  it('leaves instants, amounts and already masked values alone', () => {
    for (const text of ['2026-02-28T01:00:00.000Z', '2026-02-28 09:00', '¥1,234.56 and 599900', '+86139****5678', 'h***@example.com', 'plan_3x9k2m4n:1:2']) {
      expect(maskPii(text)).toBe(text);
    }
  });
});

describe('Function: createLogger', () => {
  it('masks a recipient field by its name, whatever its shape', () => {
    const { logger, lines } = capture();
    logger.info('notice', { to: '+861391234', phone: '+8613912345678', email: 'han.meimei@example.com' });
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ to: '****1234', phone: '****5678', email: 'h***@example.com' });
  });

  it('masks numbers and addresses inside error messages and stacks', () => {
    const { logger, lines } = capture();
    const err = new Error('Invalid parameter: PhoneNumber Reason: +8613912345678 is not valid to publish to (han@example.com)');
    logger.error('notice message failed', { error: err, nested: { detail: 'sent to 13912345678' } });
    expect(lines[0]).not.toContain('13912345678');
    expect(lines[0]).not.toContain('han@example.com');
    expect(lines[0]).toContain('****5678');
    expect(lines[0]).toContain('h***@example.com');
  });

  it('writes nothing below its level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', service: 'test', write: (line) => lines.push(line) });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(['loud']);
  });
});
