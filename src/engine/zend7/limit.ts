// zend_set_memory_limit(): what ini_set('memory_limit', …) does to the heap.

import { ZEND_MM_CHUNK_SIZE } from './constants';
import { SegmentationFault } from './errors';
import type { ZendHeap } from './heap';
import { TOUCHED_COUNTERS } from './sharedStepParts';

/**
 * zend_set_memory_limit(limit). Below real_size it succeeds only if unmapping cached chunks
 * gets real_size down to the limit — and then, as in 8.1 – 8.4, the new limit is NOT stored.
 * Returns true for SUCCESS, false for FAILURE.
 */
export function setMemoryLimit(heap: ZendHeap, limit: number | bigint): boolean {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_set_memory_limit', locals: { memory_limit: String(limit) } });
  if (heap.profile.switches.setMemoryLimit !== 'free-cached') {
    return setMemoryLimitClamped(heap, limit);
  }
  let ok = true;
  if (limit < heap.realSize) {
    if (limit >= heap.realSize - heap.cachedChunksCount * ZEND_MM_CHUNK_SIZE) {
      // unmap cached chunks until real_size fits under the requested limit
      do {
        const p = heap.cachedChunks;
        if (p === null) {
          throw new SegmentationFault('zend_set_memory_limit: cached_chunks is NULL');
        }
        heap.cachedChunks = p.next;
        heap.unmapChunk(p);
        heap.cachedChunksCount--;
        heap.realSize -= ZEND_MM_CHUNK_SIZE;
      } while (limit < heap.realSize);
      sink?.event({
        kind: 'stmt',
        anchor: 'zend_set_memory_limit:free_cached',
        note: 'cached chunks unmapped to fit the new limit; the limit itself is not stored',
        locals: { real_size: heap.realSize },
        touched: TOUCHED_COUNTERS,
      });
    } else {
      ok = false;
      sink?.event({
        kind: 'stmt',
        anchor: 'zend_set_memory_limit:failure',
        note: `the heap already holds ${heap.realSize} bytes`,
        locals: { real_size: heap.realSize },
      });
    }
  } else {
    heap.limit = Number(limit);
    heap.limitExact = BigInt(limit);
    sink?.event({
      kind: 'stmt',
      anchor: 'zend_set_memory_limit:store',
      note: `limit = ${limit}`,
      locals: { limit: String(limit) },
    });
  }
  sink?.event({ kind: 'leave', func: 'zend_set_memory_limit' });
  return ok;
}

/**
 * zend_set_memory_limit() of 7.x: a limit below one chunk is raised to one chunk; with
 * 'clamp' a limit below real_size fails (nothing is given back); otherwise (and always
 * with 7.0's 'always-clamp') it is stored.
 */
function setMemoryLimitClamped(heap: ZendHeap, limit: number | bigint): boolean {
  const clamped = limit < ZEND_MM_CHUNK_SIZE ? ZEND_MM_CHUNK_SIZE : limit;
  let ok = false;
  if (heap.profile.switches.setMemoryLimit === 'always-clamp' || clamped >= heap.realSize) {
    heap.limit = Number(clamped);
    heap.limitExact = BigInt(clamped);
    ok = true;
  }
  heap.sink?.event({
    kind: 'stmt',
    anchor: ok ? 'zend_set_memory_limit:store' : 'zend_set_memory_limit:failure',
    note: ok ? `limit = ${clamped}` : `the heap already holds ${heap.realSize} bytes`,
    locals: { memory_limit: String(clamped), real_size: heap.realSize },
  });
  heap.sink?.event({ kind: 'leave', func: 'zend_set_memory_limit' });
  return ok;
}
