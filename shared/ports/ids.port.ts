export interface IdGenerator {
  /** A new unique id with a readable prefix, e.g. `plan_…`. */
  next(prefix: string): string;
}
