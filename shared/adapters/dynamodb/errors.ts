/** Recognises DynamoDB's expected refusal of a condition, also when another error wraps it (`cause`). */
export function isConditionFailure(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    if ((current as { name?: string }).name === 'ConditionalCheckFailedException') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
