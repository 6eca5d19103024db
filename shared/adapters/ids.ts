import { randomBytes } from 'node:crypto';
import type { IdGenerator } from '../ports/ids.port.ts';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `plan_` + 16 random Crockford base-32 characters (80 bits). */
export const randomIds: IdGenerator = {
  next(prefix: string): string {
    const bytes = randomBytes(16);
    let out = '';
    for (const b of bytes) out += ALPHABET[b & 31];
    return `${prefix}_${out}`;
  },
};
