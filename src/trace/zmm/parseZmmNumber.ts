// Number literals of .zmm scripts: decimal or 0x hex, with an optional K/M/G suffix.

import { ByteCount, MAX_TRACE_NUMBER } from '../rawTrace';

const SUFFIX: Readonly<Record<string, bigint>> = { k: 1024n, m: 1024n ** 2n, g: 1024n ** 3n };

/** A byte count as a number when a double holds it exactly (below 2^53), else a bigint. */
export function toByteCount(n: bigint): ByteCount {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/**
 * The value of a number literal (`24`, `0x18`, `128M`, `0x10k`; suffixes multiply by 1024,
 * 1024² or 1024³ as PHP's ini values do), or the message saying why it is not one. Values
 * above SIZE_MAX (2^64 - 1) are errors.
 */
export function parseZmmNumber(raw: string): { value: ByteCount } | { error: string } {
  const m = /^(?:0[xX]([0-9a-fA-F]+)|(0|[1-9][0-9]*))([kKmMgG])?$/.exec(raw);
  if (m === null) {
    if (/^0[0-9]+[kKmMgG]?$/.test(raw)) {
      return { error: `number '${raw}' has a leading zero (octal is not supported; write it in decimal, or in hex as 0x…)` };
    }
    if (/^0[xX][kKmMgG]?$/.test(raw)) {
      return { error: `number '${raw}' has no hex digits after 0x` };
    }
    return { error: `invalid number '${raw}' (expected decimal like 24 or hex like 0x18, optionally followed by K, M or G)` };
  }
  const base = m[1] !== undefined ? BigInt('0x' + m[1]) : BigInt(m[2]);
  const n = base * (m[3] !== undefined ? SUFFIX[m[3].toLowerCase()] : 1n);
  if (n > MAX_TRACE_NUMBER) {
    return { error: `number '${raw}' is ${n}, more than a size_t holds (at most ${MAX_TRACE_NUMBER})` };
  }
  return { value: toByteCount(n) };
}
