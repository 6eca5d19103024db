import { describe, expect, it } from 'vitest';
import { createEntities } from '../../shared/adapters/dynamodb/entities.ts';
import { fromWire, ItemClient, refusedItem } from '../../shared/adapters/dynamodb/item-client.ts';

describe('ItemClient', () => {
  it('resolves the SDK middleware once per operation (the document client cannot)', () => {
    // Act
    const client = ItemClient.create({ region: 'us-east-1' });

    // Assert
    expect(client.sdk.config.cacheMiddleware).toBe(true);
    client.destroy();
  });

  it('reads the item a refused condition returned as plain values, and nothing from other errors', () => {
    // Arrange
    const err = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
      Item: { pk: { S: 'a' }, n: { N: '7' }, tags: { SS: ['x'] } },
    });

    // Act / Assert
    expect(refusedItem(err)).toEqual({ pk: 'a', n: 7, tags: new Set(['x']) });
    expect(refusedItem(new Error('network'))).toBeUndefined();
    expect(fromWire({ m: { M: { ok: { BOOL: true } } } })).toEqual({ m: { ok: true } });
  });
});

describe('createEntities', () => {
  it('builds the entities once per client and table, shared by every repository', () => {
    // Arrange
    const a = ItemClient.create({ region: 'us-east-1' });
    const b = ItemClient.create({ region: 'us-east-1' });

    // Act / Assert
    expect(createEntities(a, 't1')).toBe(createEntities(a, 't1'));
    expect(createEntities(a, 't2')).not.toBe(createEntities(a, 't1'));
    expect(createEntities(b, 't1')).not.toBe(createEntities(a, 't1'));
    expect(createEntities(a, 't2').plan.table).toBe('t2');
    a.destroy();
    b.destroy();
  });
});
