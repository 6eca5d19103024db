/**
 * The single table's item model: entities with typed attributes and key templates, and the
 * DynamoDB requests they make (GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, the batch
 * operations and TransactWriteItems), sent through the item client (item-client.ts). Nothing
 * else in the program forms a key or an expression by hand.
 *
 * An item carries its attributes (under their field names), the keys of the table and of every
 * index it belongs to, and its entity's name and model version (`__edb_e__`, `__edb_v__`: the
 * names the table's items have carried since its first release, so existing tables read and
 * write unchanged; test/integration/table-model.test.ts holds the format to that).
 *
 * Keys follow templates such as `plan#${createdAt}#${planId}`: a number attribute may be padded
 * (`period` 7 → `007`), and a query that gives only the first composite attributes of a sort key
 * reads the prefix up to the last one given. Rules for keeping the indexes true on an update:
 * - a key of an index without a condition is rewritten when the update sets one of its
 *   composite attributes (every other composite attribute must then be known: set, or part of
 *   the item's primary key), and removed when the update removes one;
 * - an index with a condition (a sparse index) is judged when the update sets one of its
 *   composite attributes: every composite attribute must be known, and both its keys are written
 *   if the condition holds for what is known, removed if not. Removing a composite attribute
 *   takes the item out of the index.
 * The primary key never changes; a `patch` applies only to an existing item, a `create` only
 * when there is none.
 */
import type { ItemClient, TransactWrite } from './item-client.ts';

export const ENTITY_FIELD = '__edb_e__';
export const VERSION_FIELD = '__edb_v__';

// ——— the schema and the types it gives ———

type Scalar = 'string' | 'number' | 'boolean' | 'any';
export interface AttributeDef {
  type: Scalar | 'list' | 'map' | 'set' | readonly string[];
  required?: boolean;
  default?: unknown;
  /** The item field that holds it, when not its own name. */
  field?: string;
  /** How a number is written into keys. */
  padding?: { length: number; char: string };
  items?: AttributeDef | 'string' | 'number';
  properties?: Record<string, AttributeDef>;
}
export interface KeyDef {
  field: string;
  composite: readonly string[];
  template: string;
  casing?: 'none';
}
export interface IndexDef {
  /** The global secondary index; absent for the table's own key. */
  index?: string;
  collection?: string;
  pk: KeyDef;
  sk: KeyDef;
  /** A sparse index: the item is in it only while this holds. */
  condition?: (item: Record<string, unknown>) => boolean;
}
export interface EntitySchema {
  model: { entity: string; version: string; service: string };
  attributes: Record<string, AttributeDef>;
  indexes: Record<string, IndexDef>;
}

type ValueOf<D> = D extends { type: readonly (infer E)[] }
  ? E
  : D extends { type: 'string' }
    ? string
    : D extends { type: 'number' }
      ? number
      : D extends { type: 'boolean' }
        ? boolean
        : D extends { type: 'set' }
          ? string[]
          : D extends { type: 'list'; items: infer I }
            ? ValueOf<I extends string ? { type: I } : I>[]
            : D extends { type: 'map'; properties: infer P }
              ? ItemOf<P>
              : // biome-ignore lint/suspicious/noExplicitAny: an `any` attribute holds what the domain gives it
                any;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** The item an attribute schema describes: required attributes present, the others optional. */
export type ItemOf<A> = Simplify<
  { [K in keyof A as A[K] extends { required: true } ? K : never]: ValueOf<A[K]> } & {
    [K in keyof A as A[K] extends { required: true } ? never : K]?: ValueOf<A[K]>;
  }
>;

type PrimaryIndexOf<I> = { [N in keyof I]: I[N] extends { index: string } ? never : N }[keyof I];
type CompositesOf<K> = K extends { composite: readonly (infer C)[] } ? C : never;
type KeyOf<S extends EntitySchema> = Simplify<
  Pick<
    ItemOf<S['attributes']>,
    Extract<CompositesOf<S['indexes'][PrimaryIndexOf<S['indexes']>]['pk']> | CompositesOf<S['indexes'][PrimaryIndexOf<S['indexes']>]['sk']>, keyof ItemOf<S['attributes']>>
  >
>;

// ——— conditions ———

/** An attribute as a condition names it. */
export interface AttributeRef {
  readonly name: string;
  readonly field: string;
}
/** The operators a condition is written with; each returns an expression fragment. */
export interface Operators {
  eq(a: AttributeRef, value: unknown): string;
  ne(a: AttributeRef, value: unknown): string;
  lt(a: AttributeRef, value: unknown): string;
  lte(a: AttributeRef, value: unknown): string;
  gt(a: AttributeRef, value: unknown): string;
  gte(a: AttributeRef, value: unknown): string;
  exists(a: AttributeRef): string;
  notExists(a: AttributeRef): string;
  contains(a: AttributeRef, value: unknown): string;
  begins(a: AttributeRef, value: unknown): string;
  size(a: AttributeRef): string;
  /** The attribute's placeholder name, for a function the operators lack. */
  name(a: AttributeRef): string;
  /** A placeholder for a value (the attribute only names it). */
  value(a: AttributeRef, value: unknown): string;
}
export type Condition<T> = (attributes: { readonly [K in keyof T]-?: AttributeRef }, op: Operators) => string;

/** Placeholders of one request: `#f0`, `:v0` … shared by its key condition, condition and update. */
class Expressions {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  #byField = new Map<string, string>();
  #n = 0;

  name(field: string): string {
    let placeholder = this.#byField.get(field);
    if (!placeholder) {
      placeholder = `#f${this.#byField.size}`;
      this.#byField.set(field, placeholder);
      this.names[placeholder] = field;
    }
    return placeholder;
  }

  value(value: unknown): string {
    const placeholder = `:v${this.#n++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  operators(): Operators {
    const compare = (operator: string) => (a: AttributeRef, v: unknown) => `${this.name(a.field)} ${operator} ${this.value(v)}`;
    return {
      eq: compare('='),
      ne: compare('<>'),
      lt: compare('<'),
      lte: compare('<='),
      gt: compare('>'),
      gte: compare('>='),
      exists: (a) => `attribute_exists(${this.name(a.field)})`,
      notExists: (a) => `attribute_not_exists(${this.name(a.field)})`,
      contains: (a, v) => `contains(${this.name(a.field)}, ${this.value(v)})`,
      begins: (a, v) => `begins_with(${this.name(a.field)}, ${this.value(v)})`,
      size: (a) => `size(${this.name(a.field)})`,
      name: (a) => this.name(a.field),
      value: (_a, v) => this.value(v),
    };
  }

  /** What a request carries: only the maps that hold something. */
  attributes(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> } {
    return {
      ...(Object.keys(this.names).length ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

/** An expression as one term: in parentheses, unless one pair already encloses all of it (DynamoDB refuses redundant ones). */
function grouped(expression: string): string {
  if (expression.startsWith('(') && expression.endsWith(')')) {
    let depth = 0;
    for (let i = 0; i < expression.length; i++) {
      if (expression[i] === '(') depth++;
      else if (expression[i] === ')') depth--;
      if (depth === 0 && i < expression.length - 1) return `(${expression})`;
    }
    return expression;
  }
  return `(${expression})`;
}

const and = (...parts: Array<string | undefined>) => {
  const present = parts.filter((p): p is string => Boolean(p));
  return present.length <= 1 ? present[0] : present.map(grouped).join(' AND ');
};

// ——— keys ———

type Segment = { text: string } | { attribute: string };

function segmentsOf(template: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /\$\{(\w+)\}/g;
  let at = 0;
  for (let m = pattern.exec(template); m; m = pattern.exec(template)) {
    if (m.index > at) segments.push({ text: template.slice(at, m.index) });
    segments.push({ attribute: m[1]! });
    at = m.index + m[0].length;
  }
  if (at < template.length) segments.push({ text: template.slice(at) });
  return segments;
}

interface CompiledKey {
  field: string;
  composite: readonly string[];
  segments: Segment[];
}
interface CompiledIndex {
  name: string;
  /** The GSI's name; undefined for the table's own key. */
  index: string | undefined;
  collection: string | undefined;
  pk: CompiledKey;
  sk: CompiledKey;
  condition: ((item: Record<string, unknown>) => boolean) | undefined;
  members: string[];
}

// ——— errors ———

/** A request the model cannot make (a programming error, never the client's). */
export class ModelError extends Error {
  override name = 'ModelError';
}

/** Why each item of a cancelled transaction failed, in the order written. */
export interface TransactionResult {
  canceled: boolean;
  data: Array<{ code: string }>;
}

// ——— the entity ———

interface QueryOptions<T> {
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string | null;
  pages?: number | 'all';
  attributes?: ReadonlyArray<keyof T & string>;
  consistent?: boolean;
}
interface Page<T> {
  data: T[];
  cursor: string | null;
}

/** A write in a transaction. */
export type TransactItem = Record<string, unknown>;

export class Entity<const S extends EntitySchema> {
  readonly name: string;
  readonly version: string;
  readonly table: string;
  readonly client: ItemClient;
  readonly #attributes: Record<string, AttributeDef>;
  readonly #fieldOf: Record<string, string>;
  readonly #attributeOfField: Map<string, string>;
  readonly #setAttributes: Set<string>;
  readonly #refs: Record<string, AttributeRef>;
  readonly primary: CompiledIndex;
  readonly secondary: CompiledIndex[];
  /** Reads by an index: its partition key's composite attributes, and any leading ones of its sort key. */
  readonly query: { [N in keyof S['indexes']]: (values: Partial<ItemOf<S['attributes']>>) => QueryOperation<S> };

  constructor(
    readonly schema: S,
    config: { client: ItemClient; table: string },
  ) {
    this.name = schema.model.entity;
    this.version = schema.model.version;
    this.table = config.table;
    this.client = config.client;
    this.#attributes = schema.attributes;
    this.#fieldOf = Object.fromEntries(Object.entries(schema.attributes).map(([name, def]) => [name, def.field ?? name]));
    this.#attributeOfField = new Map(Object.entries(this.#fieldOf).map(([name, field]) => [field, name]));
    this.#setAttributes = new Set(Object.entries(schema.attributes).flatMap(([name, def]) => (def.type === 'set' ? [name] : [])));
    this.#refs = Object.fromEntries(Object.entries(this.#fieldOf).map(([name, field]) => [name, { name, field }]));
    const compiled = Object.entries(schema.indexes).map(([name, def]): CompiledIndex => {
      const key = (k: KeyDef): CompiledKey => {
        const segments = segmentsOf(k.template);
        const named = segments.flatMap((s) => ('attribute' in s ? [s.attribute] : []));
        if (named.join() !== k.composite.join()) throw new ModelError(`${this.name}.${name}: the template ${k.template} names ${named.join(', ')}, not ${k.composite.join(', ')}`);
        for (const a of named) if (!(a in schema.attributes)) throw new ModelError(`${this.name}.${name}: ${a} is not an attribute`);
        return { field: k.field, composite: k.composite, segments };
      };
      return {
        name,
        index: def.index,
        collection: def.collection,
        pk: key(def.pk),
        sk: key(def.sk),
        condition: def.condition,
        members: [...new Set([...def.pk.composite, ...def.sk.composite])],
      };
    });
    const primary = compiled.filter((c) => c.index === undefined);
    if (primary.length !== 1) throw new ModelError(`${this.name}: exactly one index must be the table's own key`);
    this.primary = primary[0]!;
    this.secondary = compiled.filter((c) => c.index !== undefined);
    this.query = Object.fromEntries(compiled.map((index) => [index.name, (values: Record<string, unknown>) => new QueryOperation(this, index, values)])) as never;
  }

  // ——— keys and items ———

  #keyValue(attribute: string, value: unknown): string {
    const padding = this.#attributes[attribute]?.padding;
    const text = String(value);
    return padding ? text.padStart(padding.length, padding.char) : text;
  }

  /** A whole key, or undefined when a composite attribute is missing. */
  #render(key: CompiledKey, values: Record<string, unknown>): string | undefined {
    let out = '';
    for (const s of key.segments) {
      if ('text' in s) out += s.text;
      else if (values[s.attribute] === undefined) return undefined;
      else out += this.#keyValue(s.attribute, values[s.attribute]);
    }
    return out;
  }

  /** The key's text up to the last of the leading composite attributes given (a prefix to read). */
  #prefix(key: CompiledKey, values: Record<string, unknown>): string {
    let out = '';
    let pending = '';
    for (const s of key.segments) {
      if ('text' in s) pending += s.text;
      // Nothing given: the literal text before the first composite attribute.
      else if (values[s.attribute] === undefined) return out === '' ? pending : out;
      else {
        out += pending + this.#keyValue(s.attribute, values[s.attribute]);
        pending = '';
      }
    }
    return out + pending;
  }

  #require(key: CompiledKey, values: Record<string, unknown>, what: string): string {
    const rendered = this.#render(key, values);
    if (rendered === undefined) {
      const missing = key.composite.filter((a) => values[a] === undefined);
      throw new ModelError(`${this.name} ${what}: ${missing.join(', ')} missing`);
    }
    return rendered;
  }

  /** The item's primary key (table fields) from its primary composite attributes. */
  keyOf(values: Record<string, unknown>): Record<string, string> {
    return {
      [this.primary.pk.field]: this.#require(this.primary.pk, values, 'key'),
      [this.primary.sk.field]: this.#require(this.primary.sk, values, 'key'),
    };
  }

  /** Refuses a value outside an attribute's set of values (a programming error: the domain decides them). */
  checkValue(name: string, value: unknown): void {
    const { type } = this.#attributes[name]!;
    if (Array.isArray(type) && !type.includes(value as string)) throw new ModelError(`${this.name}: ${name} must be one of ${type.join(', ')}, not ${String(value)}`);
  }

  /** A whole item: defaults, required attributes, fields, every index's keys and the entity's name. */
  toItem(data: Record<string, unknown>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(this.#attributes)) {
      const v = data[name] ?? def.default;
      if (v !== undefined) {
        this.checkValue(name, v);
        values[name] = v;
      } else if (def.required) throw new ModelError(`${this.name}: ${name} is required`);
    }
    const item: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(values)) item[this.#fieldOf[name]!] = this.#setAttributes.has(name) ? new Set(v as string[]) : v;
    Object.assign(item, this.keyOf(values));
    for (const index of this.secondary) {
      if (index.condition && !index.condition(values)) continue;
      item[index.pk.field] = this.#require(index.pk, values, `index ${index.name}`);
      item[index.sk.field] = this.#require(index.sk, values, `index ${index.name}`);
    }
    item[ENTITY_FIELD] = this.name;
    item[VERSION_FIELD] = this.version;
    return item;
  }

  /** An item as read: its attributes by name, without keys. */
  fromItem(item: Record<string, unknown>): ItemOf<S['attributes']> {
    const out: Record<string, unknown> = {};
    for (const [field, v] of Object.entries(item)) {
      const name = this.#attributeOfField.get(field);
      if (name === undefined || v === undefined) continue;
      out[name] = v instanceof Set ? [...v] : v;
    }
    return out as ItemOf<S['attributes']>;
  }

  owns(item: Record<string, unknown>): boolean {
    return item[ENTITY_FIELD] === this.name;
  }

  // ——— operations ———

  get(key: KeyOf<S>): GetOperation<S>;
  get(keys: ReadonlyArray<KeyOf<S>>): BatchGetOperation<S>;
  get(key: KeyOf<S> | ReadonlyArray<KeyOf<S>>): GetOperation<S> | BatchGetOperation<S> {
    return Array.isArray(key) ? new BatchGetOperation(this, key as ReadonlyArray<KeyOf<S>>) : new GetOperation(this, key as KeyOf<S>);
  }

  put(item: ItemOf<S['attributes']>): PutOperation<S>;
  put(items: ReadonlyArray<ItemOf<S['attributes']>>): BatchPutOperation<S>;
  put(item: ItemOf<S['attributes']> | ReadonlyArray<ItemOf<S['attributes']>>): PutOperation<S> | BatchPutOperation<S> {
    return Array.isArray(item) ? new BatchPutOperation(this, item as ReadonlyArray<ItemOf<S['attributes']>>) : new PutOperation(this, item as ItemOf<S['attributes']>, false);
  }

  /** A put that only writes a new item. */
  create(item: ItemOf<S['attributes']>): PutOperation<S> {
    return new PutOperation(this, item, true);
  }

  /** An update of an existing item only. */
  patch(key: KeyOf<S>): UpdateOperation<S> {
    return new UpdateOperation(this, key, true);
  }

  /** An update that creates the item if it is missing. */
  update(key: KeyOf<S>): UpdateOperation<S> {
    return new UpdateOperation(this, key, false);
  }

  /** A delete of an existing item only. */
  remove(key: KeyOf<S>): DeleteOperation<S> {
    return new DeleteOperation(this, key, true);
  }

  delete(key: KeyOf<S>): DeleteOperation<S> {
    return new DeleteOperation(this, key, false);
  }

  /** A condition on an item, in a transaction. */
  check(key: KeyOf<S>): CheckOperation<S> {
    return new CheckOperation(this, key);
  }

  /** Every item of this entity in the table (only the local stack's sign-in page lists them). */
  get scan(): { go(options?: { pages?: 'all' | number }): Promise<Page<ItemOf<S['attributes']>>> } {
    return {
      go: async (options = {}) => {
        const expressions = new Expressions();
        const filter = `${expressions.name(ENTITY_FIELD)} = ${expressions.value(this.name)}`;
        return paged(options.pages ?? 1, null, async (ExclusiveStartKey) => {
          const out = await this.client.scan({ TableName: this.table, FilterExpression: filter, ...expressions.attributes(), ExclusiveStartKey });
          return { items: out.Items.filter((i) => this.owns(i)).map((i) => this.fromItem(i)), last: out.LastEvaluatedKey };
        });
      },
    };
  }

  /** An item as stored (e.g. returned by a refused condition) as this entity's data, if it is one. */
  parse({ Item }: { Item?: Record<string, unknown> }): { data: ItemOf<S['attributes']> | null } {
    return { data: Item && this.owns(Item) ? this.fromItem(Item) : null };
  }

  /** The SET/REMOVE of an update's index keys (see the header). */
  indexChanges(key: Record<string, unknown>, set: Record<string, unknown>, removed: ReadonlySet<string>): { set: Record<string, string>; remove: string[] } {
    const known = { ...key, ...set };
    const out = { set: {} as Record<string, string>, remove: [] as string[] };
    for (const index of this.secondary) {
      const setsMember = index.members.some((a) => set[a] !== undefined);
      const removesMember = index.members.some((a) => removed.has(a));
      if (index.condition) {
        if (removesMember && !setsMember) out.remove.push(index.pk.field, index.sk.field);
        if (!setsMember) continue;
        const missing = index.members.filter((a) => known[a] === undefined);
        if (missing.length)
          throw new ModelError(
            `${this.name} index ${index.name}: an update that sets ${index.members.filter((a) => set[a] !== undefined).join(', ')} must give ${missing.join(', ')} too`,
          );
        if (index.condition(known)) {
          out.set[index.pk.field] = this.#require(index.pk, known, `index ${index.name}`);
          out.set[index.sk.field] = this.#require(index.sk, known, `index ${index.name}`);
        } else out.remove.push(index.pk.field, index.sk.field);
        continue;
      }
      for (const k of [index.pk, index.sk]) {
        if (k.composite.some((a) => removed.has(a))) out.remove.push(k.field);
        else if (k.composite.some((a) => set[a] !== undefined)) out.set[k.field] = this.#require(k, known, `index ${index.name}`);
      }
    }
    return out;
  }

  fieldOf(attribute: string): string {
    const field = this.#fieldOf[attribute];
    if (field === undefined) throw new ModelError(`${this.name}: ${attribute} is not an attribute`);
    return field;
  }

  isAttribute(name: string): boolean {
    return name in this.#fieldOf;
  }

  isSet(attribute: string): boolean {
    return this.#setAttributes.has(attribute);
  }

  /** What a `where` callback writes, with this request's placeholders. */
  conditionOf(expressions: Expressions, where: Condition<ItemOf<S['attributes']>> | undefined): string | undefined {
    return where ? where(this.#refs as never, expressions.operators()) : undefined;
  }

  /** The primary key must exist (`true`) or must not. */
  existence(expressions: Expressions, exists: boolean): string {
    const fn = exists ? 'attribute_exists' : 'attribute_not_exists';
    return `${fn}(${expressions.name(this.primary.pk.field)}) AND ${fn}(${expressions.name(this.primary.sk.field)})`;
  }

  /** The whole partition of an index's partition key. */
  partitionCondition(index: CompiledIndex, values: Record<string, unknown>, expressions: Expressions): string {
    return `${expressions.name(index.pk.field)} = ${expressions.value(this.#require(index.pk, values, `query ${index.name}`))}`;
  }

  keyCondition(index: CompiledIndex, values: Record<string, unknown>, expressions: Expressions, range: SortRange | undefined): string {
    const pk = this.partitionCondition(index, values, expressions);
    if (range) {
      const sk = expressions.name(index.sk.field);
      const bound = (v: Record<string, unknown>) => expressions.value(this.#prefix(index.sk, { ...values, ...v }));
      switch (range.op) {
        case 'between':
          return `${pk} AND ${sk} BETWEEN ${bound(range.values)} AND ${bound(range.upper!)}`;
        case 'begins':
          return `${pk} AND begins_with(${sk}, ${bound(range.values)})`;
        default:
          return `${pk} AND ${sk} ${range.op} ${bound(range.values)}`;
      }
    }
    const prefix = this.#prefix(index.sk, values);
    return prefix === '' ? pk : `${pk} AND begins_with(${expressions.name(index.sk.field)}, ${expressions.value(prefix)})`;
  }
}

interface SortRange {
  op: '<' | '<=' | '>' | '>=' | 'between' | 'begins';
  values: Record<string, unknown>;
  upper?: Record<string, unknown>;
}

/** Reads pages until `pages` are read or the index has no more. */
async function paged<T>(
  pages: number | 'all',
  cursor: string | null,
  read: (start: Record<string, unknown> | undefined) => Promise<{ items: T[]; last?: Record<string, unknown> }>,
): Promise<Page<T>> {
  let start = decodeCursor(cursor);
  const data: T[] = [];
  for (let n = 0; pages === 'all' || n < pages; n++) {
    const { items, last } = await read(start);
    data.push(...items);
    start = last;
    if (!last) break;
  }
  return { data, cursor: start ? Buffer.from(JSON.stringify(start)).toString('base64url') : null };
}

function decodeCursor(cursor: string | null | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object' && !Array.isArray(key)) return key as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ModelError('the cursor is not one a list returned');
}

type Entry<S extends EntitySchema> = ItemOf<S['attributes']>;

class GetOperation<S extends EntitySchema> {
  constructor(
    private readonly entity: Entity<S>,
    private readonly key: KeyOf<S>,
  ) {}

  async go(options: { consistent?: boolean; attributes?: ReadonlyArray<keyof Entry<S> & string> } = {}): Promise<{ data: Entry<S> | null }> {
    const expressions = new Expressions();
    const projection = options.attributes ? projectionOf(this.entity, expressions, options.attributes) : undefined;
    const out = await this.entity.client.get({
      TableName: this.entity.table,
      Key: this.entity.keyOf(this.key),
      ...(options.consistent ? { ConsistentRead: true } : {}),
      ...(projection ? { ProjectionExpression: projection, ExpressionAttributeNames: expressions.names } : {}),
    });
    return { data: out.Item && this.entity.owns(out.Item) ? this.entity.fromItem(out.Item) : null };
  }
}

function projectionOf<S extends EntitySchema>(entity: Entity<S>, expressions: Expressions, attributes: readonly string[]): string {
  return [...attributes.map((a) => entity.fieldOf(a)), ENTITY_FIELD].map((f) => expressions.name(f)).join(', ');
}

/** Keys DynamoDB takes in one BatchGetItem. */
const BATCH_GET_LIMIT = 100;
/** Items DynamoDB takes in one BatchWriteItem. */
const BATCH_WRITE_LIMIT = 25;

const keyText = (key: Record<string, unknown>, entity: Entity<EntitySchema>) => `${key[entity.primary.pk.field]}\u0000${key[entity.primary.sk.field]}`;

class BatchGetOperation<S extends EntitySchema> {
  constructor(
    private readonly entity: Entity<S>,
    private readonly keys: ReadonlyArray<KeyOf<S>>,
  ) {}

  /** One BatchGetItem per 100 keys; keys DynamoDB left unprocessed come back as `unprocessed`. */
  async go(options: { attributes?: ReadonlyArray<keyof Entry<S> & string> } = {}): Promise<{ data: Entry<S>[]; unprocessed: KeyOf<S>[] }> {
    const e = this.entity as unknown as Entity<EntitySchema>;
    const byKey = new Map(this.keys.map((k) => [keyText(e.keyOf(k), e), k]));
    const data: Entry<S>[] = [];
    const unprocessed: KeyOf<S>[] = [];
    const all = [...byKey.keys()];
    for (let start = 0; start < all.length; start += BATCH_GET_LIMIT) {
      const chunk = all.slice(start, start + BATCH_GET_LIMIT).map((k) => e.keyOf(byKey.get(k)!));
      const expressions = new Expressions();
      const projection = options.attributes ? projectionOf(this.entity, expressions, options.attributes) : undefined;
      const out = await this.entity.client.batchGet(
        this.entity.table,
        chunk,
        projection ? { ProjectionExpression: projection, ExpressionAttributeNames: expressions.names } : undefined,
      );
      for (const item of out.Items) if (this.entity.owns(item)) data.push(this.entity.fromItem(item));
      for (const k of out.Unprocessed) unprocessed.push(byKey.get(keyText(k, e))!);
    }
    return { data, unprocessed };
  }
}

class BatchPutOperation<S extends EntitySchema> {
  constructor(
    private readonly entity: Entity<S>,
    private readonly items: ReadonlyArray<Entry<S>>,
  ) {}

  /** One BatchWriteItem per 25 items; items DynamoDB left unprocessed come back as their keys. */
  async go(): Promise<{ unprocessed: KeyOf<S>[] }> {
    const e = this.entity as unknown as Entity<EntitySchema>;
    const written = this.items.map((i) => this.entity.toItem(i as Record<string, unknown>));
    const byKey = new Map(written.map((item, n) => [keyText(item, e), this.items[n] as unknown as KeyOf<S>]));
    const unprocessed: KeyOf<S>[] = [];
    for (let start = 0; start < written.length; start += BATCH_WRITE_LIMIT) {
      const chunk = written.slice(start, start + BATCH_WRITE_LIMIT);
      const out = await this.entity.client.batchPut(this.entity.table, chunk);
      for (const item of out.Unprocessed) unprocessed.push(byKey.get(keyText(item, e))!);
    }
    return { unprocessed };
  }
}

type Response = 'none' | 'all_new';

abstract class WriteOperation<S extends EntitySchema> {
  protected whereClause: Condition<Entry<S>> | undefined;
  constructor(protected readonly entity: Entity<S>) {}

  where(condition: Condition<Entry<S>>): this {
    const before = this.whereClause;
    this.whereClause = before ? (a, op) => and(before(a, op), condition(a, op))! : condition;
    return this;
  }

  /** The request's condition: the item must exist (`true`), must not (`false`), or either; and `where`. */
  protected condition(expressions: Expressions, existence?: boolean): string | undefined {
    return and(existence === undefined ? undefined : this.entity.existence(expressions, existence), this.entity.conditionOf(expressions, this.whereClause));
  }

  /** The request's parameters (for a caller that sends it with options of its own). */
  abstract params(): Record<string, unknown>;

  /** This write as an item of a transaction. */
  abstract commit(): TransactItem;
}

class PutOperation<S extends EntitySchema> extends WriteOperation<S> {
  constructor(
    entity: Entity<S>,
    private readonly data: Entry<S>,
    private readonly onlyNew: boolean,
  ) {
    super(entity);
  }

  params() {
    const expressions = new Expressions();
    const condition = this.condition(expressions, this.onlyNew ? false : undefined);
    return {
      TableName: this.entity.table,
      Item: this.entity.toItem(this.data as Record<string, unknown>),
      ...(condition ? { ConditionExpression: condition, ...expressions.attributes() } : {}),
    };
  }

  async go(_options: { response?: 'none' } = {}): Promise<{ data: Entry<S> }> {
    await this.entity.client.put(this.params());
    return { data: this.data };
  }

  commit(): TransactItem {
    return { Put: this.params() };
  }
}

class UpdateOperation<S extends EntitySchema> extends WriteOperation<S> {
  #set: Record<string, unknown> = {};
  #remove = new Set<string>();
  #add: Record<string, unknown> = {};
  #delete: Record<string, unknown> = {};

  constructor(
    entity: Entity<S>,
    private readonly key: KeyOf<S>,
    private readonly onlyExisting: boolean,
  ) {
    super(entity);
  }

  set(values: Partial<Entry<S>>): this {
    for (const [name, v] of Object.entries(values)) {
      if (v === undefined || !this.entity.isAttribute(name)) continue;
      this.entity.checkValue(name, v);
      this.#set[name] = v;
    }
    return this;
  }

  remove(names: ReadonlyArray<keyof Entry<S> & string>): this {
    for (const name of names) this.#remove.add(name);
    return this;
  }

  /** ADD: a number is added to, a set gains the members. */
  add(values: Partial<Record<keyof Entry<S>, number | string[]>>): this {
    Object.assign(this.#add, values);
    return this;
  }

  /** DELETE: a set loses the members. */
  delete(values: Partial<Record<keyof Entry<S>, string[]>>): this {
    Object.assign(this.#delete, values);
    return this;
  }

  params() {
    const e = this.entity;
    const expressions = new Expressions();
    const key = this.key as Record<string, unknown>;
    // The key's own attributes never change (the key names the item).
    for (const name of Object.keys(key)) delete this.#set[name];
    const indexes = e.indexChanges(key, this.#set, this.#remove);
    const sets: string[] = [];
    const assign = (field: string, value: unknown) => sets.push(`${expressions.name(field)} = ${expressions.value(value)}`);
    for (const [name, v] of Object.entries(this.#set)) assign(e.fieldOf(name), e.isSet(name) ? new Set(v as string[]) : v);
    for (const [field, v] of Object.entries(indexes.set)) assign(field, v);
    // The key's own attributes and the entity's name, so an update that creates the item leaves a whole one.
    for (const [name, v] of Object.entries(key)) assign(e.fieldOf(name), v);
    assign(ENTITY_FIELD, e.name);
    assign(VERSION_FIELD, e.version);
    const removes = [...new Set([...[...this.#remove].map((n) => e.fieldOf(n)), ...indexes.remove])].filter((f) => !(f in indexes.set)).map((f) => expressions.name(f));
    const adds = Object.entries(this.#add).map(([name, v]) => `${expressions.name(e.fieldOf(name))} ${expressions.value(Array.isArray(v) ? new Set(v) : v)}`);
    const deletes = Object.entries(this.#delete).map(([name, v]) => `${expressions.name(e.fieldOf(name))} ${expressions.value(new Set(v as string[]))}`);
    const update = [
      `SET ${sets.join(', ')}`,
      removes.length ? `REMOVE ${removes.join(', ')}` : '',
      adds.length ? `ADD ${adds.join(', ')}` : '',
      deletes.length ? `DELETE ${deletes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const condition = this.condition(expressions, this.onlyExisting ? true : undefined);
    return {
      TableName: e.table,
      Key: e.keyOf(key),
      UpdateExpression: update,
      ...(condition ? { ConditionExpression: condition } : {}),
      ...expressions.attributes(),
    };
  }

  async go(options: { response?: Response } = {}): Promise<{ data: Entry<S> }> {
    const out = await this.entity.client.update({ ...this.params(), ...(options.response === 'all_new' ? { ReturnValues: 'ALL_NEW' as const } : {}) });
    return { data: (out.Attributes ? this.entity.fromItem(out.Attributes) : {}) as Entry<S> };
  }

  commit(): TransactItem {
    return { Update: this.params() };
  }
}

class DeleteOperation<S extends EntitySchema> extends WriteOperation<S> {
  constructor(
    entity: Entity<S>,
    private readonly key: KeyOf<S>,
    private readonly onlyExisting: boolean,
  ) {
    super(entity);
  }

  params() {
    const expressions = new Expressions();
    const condition = this.condition(expressions, this.onlyExisting ? true : undefined);
    return {
      TableName: this.entity.table,
      Key: this.entity.keyOf(this.key as Record<string, unknown>),
      ...(condition ? { ConditionExpression: condition, ...expressions.attributes() } : {}),
    };
  }

  async go(_options: { response?: 'none' } = {}): Promise<void> {
    await this.entity.client.delete(this.params());
  }

  commit(): TransactItem {
    return { Delete: this.params() };
  }
}

class CheckOperation<S extends EntitySchema> extends WriteOperation<S> {
  constructor(
    entity: Entity<S>,
    private readonly key: KeyOf<S>,
  ) {
    super(entity);
  }

  params() {
    const expressions = new Expressions();
    const condition = this.condition(expressions);
    if (!condition) throw new ModelError(`${this.entity.name}: a check needs a condition`);
    return { TableName: this.entity.table, Key: this.entity.keyOf(this.key as Record<string, unknown>), ConditionExpression: condition, ...expressions.attributes() };
  }

  commit(): TransactItem {
    return { ConditionCheck: this.params() };
  }
}

class QueryOperation<S extends EntitySchema> {
  #range: SortRange | undefined;
  #filter: Condition<Entry<S>> | undefined;

  constructor(
    private readonly entity: Entity<S>,
    private readonly index: CompiledIndex,
    private readonly values: Record<string, unknown>,
  ) {}

  #bound(op: SortRange['op'], values: Partial<Entry<S>>, upper?: Partial<Entry<S>>): this {
    this.#range = { op, values, ...(upper ? { upper } : {}) };
    return this;
  }

  lt(values: Partial<Entry<S>>) {
    return this.#bound('<', values);
  }
  lte(values: Partial<Entry<S>>) {
    return this.#bound('<=', values);
  }
  gt(values: Partial<Entry<S>>) {
    return this.#bound('>', values);
  }
  gte(values: Partial<Entry<S>>) {
    return this.#bound('>=', values);
  }
  begins(values: Partial<Entry<S>>) {
    return this.#bound('begins', values);
  }
  between(lower: Partial<Entry<S>>, upper: Partial<Entry<S>>) {
    return this.#bound('between', lower, upper);
  }

  /** A filter: applied by DynamoDB after the page is read, so a filtered page may hold fewer items. */
  where(condition: Condition<Entry<S>>): this {
    this.#filter = condition;
    return this;
  }

  /**
   * One page (`pages` more, or `'all'`), at most `limit` items read per request, from `cursor`;
   * only this entity's items are returned.
   */
  async go(options: QueryOptions<Entry<S>> = {}): Promise<Page<Entry<S>>> {
    const e = this.entity;
    const expressions = new Expressions();
    const keyCondition = e.keyCondition(this.index, this.values, expressions, this.#range);
    const filter = e.conditionOf(expressions, this.#filter);
    const projection = options.attributes ? projectionOf(e, expressions, options.attributes) : undefined;
    const input = {
      TableName: e.table,
      ...(this.index.index ? { IndexName: this.index.index } : {}),
      KeyConditionExpression: keyCondition,
      ...(filter ? { FilterExpression: filter } : {}),
      ...(projection ? { ProjectionExpression: projection } : {}),
      ...expressions.attributes(),
      ...(options.order === 'desc' ? { ScanIndexForward: false } : {}),
      ...(options.limit !== undefined ? { Limit: options.limit } : {}),
      ...(options.consistent ? { ConsistentRead: true } : {}),
    };
    return paged(options.pages ?? 1, options.cursor ?? null, async (ExclusiveStartKey) => {
      const out = await e.client.query({ ...input, ExclusiveStartKey });
      return { items: out.Items.filter((i) => e.owns(i)).map((i) => e.fromItem(i)), last: out.LastEvaluatedKey };
    });
  }
}

// ——— entities together: collections and transactions ———

// biome-ignore lint/suspicious/noExplicitAny: any entity schema
type AnyEntity = Entity<any>;
type CollectionsOf<E extends Record<string, AnyEntity>> = {
  [K in keyof E]: E[K] extends Entity<infer S>
    ? { [N in keyof S['indexes']]: S['indexes'][N] extends { collection: infer C extends string } ? C : never }[keyof S['indexes']]
    : never;
}[keyof E];
type Items<E extends Record<string, AnyEntity>> = { [K in keyof E]: E[K] extends Entity<infer S> ? ItemOf<S['attributes']>[] : never };

/**
 * Entities read and written together: a collection (the items under one partition key, by
 * entity) and transactions (each item a write's `commit()`).
 */
export class Service<E extends Record<string, AnyEntity>> {
  constructor(private readonly entities: E) {}

  get collections(): Record<
    CollectionsOf<E>,
    (values: Record<string, unknown>) => { go(options?: { pages?: 'all' | number; consistent?: boolean }): Promise<{ data: Items<E> }> }
  > {
    return new Proxy({} as never, {
      get: (_t, collection: string) => (values: Record<string, unknown>) => ({
        go: (options: { pages?: 'all' | number; consistent?: boolean } = {}) => this.#collection(collection, values, options),
      }),
    });
  }

  async #collection(collection: string, values: Record<string, unknown>, options: { pages?: 'all' | number; consistent?: boolean }): Promise<{ data: Items<E> }> {
    const members = Object.entries(this.entities).filter(([, e]) => e.primary.collection === collection);
    const [, first] = members[0] ?? [];
    if (!first) throw new ModelError(`no entity belongs to the collection ${collection}`);
    const data = Object.fromEntries(members.map(([alias]) => [alias, []])) as unknown as Record<string, unknown[]>;
    const byName = new Map(members.map(([alias, e]) => [e.name, { alias, e }]));
    const expressions = new Expressions();
    const KeyConditionExpression = first.partitionCondition(first.primary, values, expressions);
    await paged(options.pages ?? 1, null, async (ExclusiveStartKey) => {
      const out = await first.client.query({
        TableName: first.table,
        KeyConditionExpression,
        ...expressions.attributes(),
        ...(options.consistent ? { ConsistentRead: true } : {}),
        ExclusiveStartKey,
      });
      for (const item of out.Items) {
        const member = byName.get(item[ENTITY_FIELD] as string);
        if (member) data[member.alias]!.push(member.e.fromItem(item));
      }
      return { items: [], last: out.LastEvaluatedKey };
    });
    return { data: data as Items<E> };
  }

  /**
   * One TransactWriteItems. A cancelled transaction is not an error: its result says why each
   * item failed (`ConditionalCheckFailed`, `TransactionConflict`, or `None` for the items that
   * would have held).
   */
  get transaction(): { write(build: (entities: E) => TransactItem[]): { go(): Promise<TransactionResult> } } {
    return {
      write: (build) => ({
        go: async () => {
          const items = build(this.entities);
          if (items.length === 0) return { canceled: false, data: [] };
          try {
            await (Object.values(this.entities)[0] as AnyEntity).client.transactWrite(items as TransactWrite[]);
            return { canceled: false, data: [] };
          } catch (err) {
            const reasons = (err as { name?: string; CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
            if ((err as { name?: string }).name !== 'TransactionCanceledException' || !reasons) throw err;
            return { canceled: true, data: reasons.map((r) => ({ code: r.Code ?? 'None' })) };
          }
        },
      }),
    };
  }
}
