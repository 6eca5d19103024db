/** Recognises DynamoDB's expected refusals through ElectroDB's wrapping. */
export function isConditionFailure(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    if ((current as { name?: string }).name === 'ConditionalCheckFailedException') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
