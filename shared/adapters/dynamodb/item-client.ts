/**
 * DynamoDB requests with items as plain objects: each request's items, keys and expression
 * values are marshalled on the way out, and the items it returns unmarshalled on the way back.
 *
 * It sends the low-level client's own commands rather than the document client's, because the
 * document client's commands cannot share a resolved middleware stack (each binds the stack to
 * the command that built it). With these commands the client resolves its middleware once per
 * operation (`cacheMiddleware`), not once per request: on the API's plan read that is about a
 * tenth of the CPU the SDK spends on a request (bench/results/api.json).
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/** An item, a key or a set of expression values, as plain values. */
export type Doc = Record<string, unknown>;
type Wire = Record<string, AttributeValue>;

/** `undefined` attributes are left out, as a stored item has no undefined attribute. */
const toWire = (doc: Doc): Wire => marshall(doc, { removeUndefinedValues: true });
export const fromWire = (item: Wire): Doc => unmarshall(item);
const fromWireAll = (items: readonly Wire[] | undefined): Doc[] => (items ?? []).map(fromWire);
const maybe = (doc: Doc | undefined): Wire | undefined => (doc ? toWire(doc) : undefined);

/** The request fields that hold items, keys or values (everything else passes as it is). */
interface Common {
  TableName: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Doc;
}
export interface PutInput extends Common {
  Item: Doc;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}
export interface KeyInput extends Common {
  Key: Doc;
}
export interface UpdateInput extends KeyInput {
  UpdateExpression: string;
  ReturnValues?: 'ALL_NEW' | 'NONE';
}
export interface GetInput {
  TableName: string;
  Key: Doc;
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}
export interface ReadInput {
  TableName: string;
  IndexName?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Doc;
  ScanIndexForward?: boolean;
  Limit?: number;
  ConsistentRead?: boolean;
  ExclusiveStartKey?: Doc;
}
/** One write of a transaction. */
export type TransactWrite = { Put: PutInput } | { Update: UpdateInput } | { Delete: KeyInput } | { ConditionCheck: KeyInput & { ConditionExpression: string } };

/** A refused condition: the item as stored, when the request asked for it. */
export function refusedItem(err: unknown): Doc | undefined {
  const item = (err as { Item?: Wire } | undefined)?.Item;
  return item ? fromWire(item) : undefined;
}

function common<T extends Common>(input: T): Omit<T, 'ExpressionAttributeValues'> & { ExpressionAttributeValues?: Wire } {
  const { ExpressionAttributeValues, ...rest } = input;
  return { ...rest, ExpressionAttributeValues: maybe(ExpressionAttributeValues) };
}
const put = (input: PutInput) => ({ ...common(input), Item: toWire(input.Item) });
const keyed = <T extends KeyInput>(input: T) => ({ ...common(input), Key: toWire(input.Key) });
function read(input: ReadInput) {
  const { ExpressionAttributeValues, ExclusiveStartKey, ...rest } = input;
  return { ...rest, ExpressionAttributeValues: maybe(ExpressionAttributeValues), ExclusiveStartKey: maybe(ExclusiveStartKey) };
}

export class ItemClient {
  /** `config` as for the SDK's client; the middleware stack is resolved once per operation. */
  static create(config: DynamoDBClientConfig = {}): ItemClient {
    return new ItemClient(new DynamoDBClient({ ...config, cacheMiddleware: true }));
  }

  constructor(readonly sdk: DynamoDBClient) {}

  async get(input: GetInput): Promise<{ Item?: Doc }> {
    const out = await this.sdk.send(new GetItemCommand({ ...input, Key: toWire(input.Key) }));
    return { Item: out.Item ? fromWire(out.Item) : undefined };
  }

  async put(input: PutInput): Promise<void> {
    await this.sdk.send(new PutItemCommand(put(input)));
  }

  async update(input: UpdateInput): Promise<{ Attributes?: Doc }> {
    const out = await this.sdk.send(new UpdateItemCommand(keyed(input)));
    return { Attributes: out.Attributes ? fromWire(out.Attributes) : undefined };
  }

  async delete(input: KeyInput): Promise<void> {
    await this.sdk.send(new DeleteItemCommand(keyed(input)));
  }

  async query(input: ReadInput): Promise<{ Items: Doc[]; LastEvaluatedKey?: Doc }> {
    const out = await this.sdk.send(new QueryCommand(read(input)));
    return { Items: fromWireAll(out.Items), LastEvaluatedKey: out.LastEvaluatedKey ? fromWire(out.LastEvaluatedKey) : undefined };
  }

  async scan(input: ReadInput): Promise<{ Items: Doc[]; LastEvaluatedKey?: Doc }> {
    const out = await this.sdk.send(new ScanCommand(read(input)));
    return { Items: fromWireAll(out.Items), LastEvaluatedKey: out.LastEvaluatedKey ? fromWire(out.LastEvaluatedKey) : undefined };
  }

  /** One BatchGetItem on one table: the items found, and the keys DynamoDB left unprocessed. */
  async batchGet(
    table: string,
    keys: readonly Doc[],
    projection?: { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> },
  ): Promise<{ Items: Doc[]; Unprocessed: Doc[] }> {
    const out = await this.sdk.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys.map(toWire), ...projection } } }));
    return { Items: fromWireAll(out.Responses?.[table]), Unprocessed: fromWireAll(out.UnprocessedKeys?.[table]?.Keys) };
  }

  /** One BatchWriteItem of puts on one table: the items DynamoDB left unprocessed. */
  async batchPut(table: string, items: readonly Doc[]): Promise<{ Unprocessed: Doc[] }> {
    const out = await this.sdk.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item: toWire(Item) } })) } }));
    return { Unprocessed: (out.UnprocessedItems?.[table] ?? []).flatMap((r) => (r.PutRequest?.Item ? [fromWire(r.PutRequest.Item)] : [])) };
  }

  async transactWrite(items: readonly TransactWrite[]): Promise<void> {
    await this.sdk.send(
      new TransactWriteItemsCommand({
        TransactItems: items.map((item) =>
          'Put' in item
            ? { Put: put(item.Put) }
            : 'Update' in item
              ? { Update: keyed(item.Update) }
              : 'Delete' in item
                ? { Delete: keyed(item.Delete) }
                : { ConditionCheck: keyed(item.ConditionCheck) },
        ),
      }),
    );
  }

  destroy(): void {
    this.sdk.destroy();
  }
}
