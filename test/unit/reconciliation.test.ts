import { describe, expect, it } from 'vitest';
import { type CaptureLine, compareDay, dayIsOver, planIdOfChargeKey, previousLocalDay, type RecordLine, reconciliationWindow } from '../../shared/domain/reconciliation.ts';

const SHANGHAI = 'Asia/Shanghai';
const day = reconciliationWindow('2026-02-28', SHANGHAI);

const capture = (key: string, capturedAt: string, over: Partial<CaptureLine> = {}): CaptureLine => ({
  provider: 'simulated',
  idempotencyKey: key,
  gatewayReference: `ref_${key}`,
  amount: 54_400,
  currency: 'CNY',
  capturedAt,
  ...over,
});
const record = (id: string, recordedAt: string, over: Partial<RecordLine> = {}): RecordLine => ({
  provider: 'simulated',
  id,
  planId: id.split(':')[0]!,
  amount: 54_400,
  currency: 'CNY',
  recordedAt,
  ...over,
});

describe('Function: reconciliationWindow', () => {
  it('spans the local day in the zone, with the neighbouring day either side to look for counterparts', () => {
    expect(day.from.toISOString()).toBe('2026-02-27T16:00:00.000Z');
    expect(day.to.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(day.readFrom.toISOString()).toBe('2026-02-26T16:00:00.000Z');
    expect(day.readTo.toISOString()).toBe('2026-03-01T16:00:00.000Z');
  });

  it('is 25 hours long on the day New York falls back', () => {
    const w = reconciliationWindow('2026-11-01', 'America/New_York');
    expect(w.to.getTime() - w.from.getTime()).toBe(25 * 3_600_000);
  });
});

describe('Function: previousLocalDay / dayIsOver', () => {
  it('reconciles the previous local day, not the previous UTC day', () => {
    // 01:00 Shanghai on 1 March is still 28 February in UTC.
    expect(previousLocalDay(new Date('2026-02-28T17:00:00Z'), SHANGHAI)).toBe('2026-02-28');
  });

  it('tells a finished day from today', () => {
    expect(dayIsOver('2026-02-28', SHANGHAI, new Date('2026-02-28T16:00:00Z'))).toBe(true);
    expect(dayIsOver('2026-02-28', SHANGHAI, new Date('2026-02-28T15:59:59Z'))).toBe(false);
  });
});

describe('Function: compareDay', () => {
  it('finds no difference when every capture has its record with the same amount and currency', () => {
    // Prepare
    const captures = [capture('p1:1:1', '2026-02-28T01:00:00.100Z'), capture('p2:1:1', '2026-02-28T01:00:00.200Z')];
    const records = [record('p1:1:1', '2026-02-28T01:00:00.300Z'), record('p2:1:1', '2026-02-28T01:00:00.400Z')];
    // Act / Assess
    expect(compareDay(day, captures, records)).toEqual([]);
  });

  it('reports a capture without a record as missing_record', () => {
    const diffs = compareDay(day, [capture('p1:1:1', '2026-02-28T01:00:00Z')], []);
    expect(diffs).toEqual([
      {
        kind: 'missing_record',
        provider: 'simulated',
        idempotencyKey: 'p1:1:1',
        capture: { amount: 54_400, currency: 'CNY', gatewayReference: 'ref_p1:1:1', capturedAt: '2026-02-28T01:00:00Z' },
      },
    ]);
  });

  it('reports a succeeded record the provider does not list as missing_capture', () => {
    const diffs = compareDay(day, [], [record('p1:1:1', '2026-02-28T01:00:00Z')]);
    expect(diffs).toMatchObject([{ kind: 'missing_capture', idempotencyKey: 'p1:1:1', planId: 'p1', record: { amount: 54_400 } }]);
  });

  it('reports a different amount, and a different currency, on the day of the capture', () => {
    const diffs = compareDay(
      day,
      [capture('p1:1:1', '2026-02-28T01:00:00Z', { amount: 54_401 }), capture('p2:1:1', '2026-02-28T01:00:00Z', { currency: 'USD' })],
      [record('p1:1:1', '2026-02-28T01:00:01Z'), record('p2:1:1', '2026-02-28T01:00:01Z')],
    );
    expect(diffs.map((d) => [d.kind, d.idempotencyKey])).toEqual([
      ['amount_mismatch', 'p1:1:1'],
      ['currency_mismatch', 'p2:1:1'],
    ]);
  });

  it('does not call a capture at 23:59:59.9 recorded after midnight missing, on either day', () => {
    // Prepare: captured on the 28th (local), recorded on 1 March (local).
    const captures = [capture('p1:1:1', '2026-02-28T15:59:59.900Z')];
    const records = [record('p1:1:1', '2026-02-28T16:00:00.100Z')];
    // Act / Assess
    expect(compareDay(day, captures, records)).toEqual([]);
    expect(compareDay(reconciliationWindow('2026-03-01', SHANGHAI), captures, records)).toEqual([]);
  });

  it('attributes a mismatch straddling midnight to the day of the capture only', () => {
    const captures = [capture('p1:1:1', '2026-02-28T15:59:59.900Z', { amount: 1 })];
    const records = [record('p1:1:1', '2026-02-28T16:00:00.100Z')];
    expect(compareDay(day, captures, records).map((d) => d.kind)).toEqual(['amount_mismatch']);
    expect(compareDay(reconciliationWindow('2026-03-01', SHANGHAI), captures, records)).toEqual([]);
  });

  it('still reports a counterpart further away than the neighbouring day', () => {
    const diffs = compareDay(day, [capture('p1:1:1', '2026-02-28T01:00:00Z')], [record('p1:1:1', '2026-03-02T01:00:00Z')]);
    expect(diffs.map((d) => d.kind)).toEqual(['missing_record']);
  });

  it('ignores items of the neighbouring days that have no counterpart (their own day reports them)', () => {
    const diffs = compareDay(day, [capture('a:1:1', '2026-02-27T01:00:00Z')], [record('b:1:1', '2026-03-01T01:00:00Z')]);
    expect(diffs).toEqual([]);
  });

  it('matches by provider and key: the same key at another provider is another charge', () => {
    const diffs = compareDay(day, [capture('p1:1:1', '2026-02-28T01:00:00Z', { provider: 'stripe' })], [record('p1:1:1', '2026-02-28T01:00:01Z')]);
    expect(diffs.map((d) => [d.provider, d.kind])).toEqual([
      ['simulated', 'missing_capture'],
      ['stripe', 'missing_record'],
    ]);
  });
});

describe('Function: planIdOfChargeKey', () => {
  it('reads the plan of automatic and customer charge keys', () => {
    expect(planIdOfChargeKey('pln_1:3:2')).toBe('pln_1');
    expect(planIdOfChargeKey('pln_1:manual:0123456789abcdef')).toBe('pln_1');
    expect(planIdOfChargeKey('nonsense')).toBeUndefined();
  });
});
