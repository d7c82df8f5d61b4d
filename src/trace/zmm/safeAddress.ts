// zend_safe_address: nmemb * size + offset, or PHP's fatal error when it overflows a size_t.

import { ByteCount, MAX_TRACE_NUMBER } from '../rawTrace';
import { toByteCount } from './parseZmmNumber';

/**
 * `nmemb * size + offset` as zend_safe_address computes it on a 64-bit build, or, when the
 * exact result does not fit in a size_t, the message of the E_ERROR PHP raises.
 */
export function safeAddress(nmemb: ByteCount, size: ByteCount, offset: ByteCount): { size: ByteCount } | { error: string } {
  const n = BigInt(nmemb) * BigInt(size) + BigInt(offset);
  if (n > MAX_TRACE_NUMBER) {
    return { error: `Possible integer overflow in memory allocation (${nmemb} * ${size} + ${offset})` };
  }
  return { size: toByteCount(n) };
}
