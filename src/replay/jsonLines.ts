// JSON Lines output of a replay. Counters are size_t in C: a negative simulated value (only
// reachable through double frees) is printed as the unsigned 64-bit value C would hold, and
// bigint sizes (2^53 and above) as their exact digits.

import type { ReplayRecord } from './records';

const COUNTER_KEYS = new Set(['size', 'peak', 'realSize', 'realPeak']);
const MARK = '\u0001u64:';

/** One record as one line of JSON. */
export function toJsonLine(rec: ReplayRecord): string {
  const text = JSON.stringify(rec, (key, value: unknown) =>
    typeof value === 'bigint'
      ? MARK + value.toString()
      : typeof value === 'number' && value < 0 && COUNTER_KEYS.has(key)
        ? MARK + (2n ** 64n + BigInt(value)).toString()
        : value,
  );
  return text.includes('\\u0001u64:') ? text.replace(/"\\u0001u64:(\d+)"/g, '$1') : text;
}
