/**
 * RETENTION_DAYS: how long each kind of record is kept, read once at start-up. Absent, the
 * documented defaults; a partial object overrides only what it names; anything malformed stops
 * the start with the variable's name.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config/config.ts';
import { DEFAULT_RETENTION, expiresAt } from '../../shared/config/retention.ts';

const BASE = { TABLE_NAME: 'repayflow-table' };

describe('Config: RETENTION_DAYS', () => {
  it('defaults to notices 400, idempotency 7, webhook events 90 and closed plans 3650 days', () => {
    expect(loadConfig(BASE).retention).toEqual({ notices: 400, idempotency: 7, webhookEvents: 90, closedPlans: 3650 });
    expect(DEFAULT_RETENTION).toEqual(loadConfig(BASE).retention);
  });

  it('overrides only the kinds it names', () => {
    expect(loadConfig({ ...BASE, RETENTION_DAYS: '{"notices":30}' }).retention).toEqual({ ...DEFAULT_RETENTION, notices: 30 });
  });

  it.each([
    ['not JSON', 'forever', /RETENTION_DAYS must be JSON/],
    ['a zero', '{"idempotency":0}', /RETENTION_DAYS: idempotency/],
    ['a fraction', '{"closedPlans":1.5}', /RETENTION_DAYS: closedPlans/],
    ['an unknown kind', '{"logs":30}', /RETENTION_DAYS/],
  ])('refuses %s', (_what, value, message) => {
    expect(() => loadConfig({ ...BASE, RETENTION_DAYS: value })).toThrow(message);
  });
});

describe('Function: expiresAt', () => {
  it('is the epoch second the given number of days after the instant', () => {
    expect(expiresAt('2026-01-31T04:00:00.900Z', 7)).toBe(Date.parse('2026-02-07T04:00:00Z') / 1000);
  });
});
