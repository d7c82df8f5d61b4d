// Requests of 2^53 bytes and more (sizes a double cannot hold exactly, up to SIZE_MAX): the
// huge paths with size_t arithmetic in bigint. Such a request never gets memory — it ends in
// the rounding-overflow error, the memory-limit error, or mmap's failure — but on the way it
// runs zend_mm_gc, and a realloc of a huge block to within 4 KiB of SIZE_MAX wraps its
// rounded size to 0 and unmaps the whole block, as the C code does.

import { REAL_PAGE_SIZE, ZEND_MM_CHUNK_SIZE } from './constants';
import { AllocatorError } from './errors';
import { zendMmGc } from './gc';
import type { ZendHeap } from './heap';
import { changeHugeBlockSize, hugeBlockSize } from './huge';

const U64 = 2n ** 64n;

/** ZEND_MM_ALIGNED_SIZE_EX in size_t arithmetic (wraps at 2^64). */
function alignedSizeT(size: bigint, alignment: bigint): bigint {
  return ((size + alignment - 1n) & ~(alignment - 1n)) % U64;
}

/** heap->limit - heap->real_size in size_t arithmetic. */
function roomT(heap: ZendHeap): bigint {
  return (((heap.limitExact - BigInt(heap.realSize)) % U64) + U64) % U64;
}

/** The memory-limit test of `bytes` more in size_t arithmetic (see exceedsLimit in huge.ts). */
function exceedsLimitT(heap: ZendHeap, bytes: bigint): boolean {
  if (heap.profile.switches.limitTest === 'sum') {
    // real_size + bytes wraps at 2^64 and then passes
    return (BigInt(heap.realSize) + bytes) % U64 > heap.limitExact;
  }
  return bytes > roomT(heap);
}

/** zend_mm_alloc_heap → zend_mm_alloc_huge for a size of 2^53 or more: always fails. */
export function allocOversized(heap: ZendHeap, size: bigint): never {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_mm_alloc_huge', locals: { size: size.toString() } });
  const alignment = BigInt(REAL_PAGE_SIZE);
  const newSize = alignedSizeT(size, alignment);
  if (heap.profile.switches.hugeRoundingCheck && newSize < size) {
    sink?.event({ kind: 'stmt', anchor: 'zend_mm_alloc_huge:overflow', note: 'rounding the size up wraps past SIZE_MAX' });
    throw new AllocatorError('overflow', `Possible integer overflow in memory allocation (${size} + ${alignment})`);
  }
  if (exceedsLimitT(heap, newSize)) {
    if (zendMmGc(heap) !== 0 && !exceedsLimitT(heap, newSize)) {
      // pass
    } else if (heap.overflow === 0) {
      heap.safeError(`Allowed memory size of ${heap.limitText()} bytes exhausted (tried to allocate ${size} bytes)`);
    }
  }
  // no address space holds 2^53 bytes: mmap fails, gc runs, the retry is not reached or fails
  sink?.event({ kind: 'stmt', anchor: 'zend_mm_alloc_huge:map_failed', note: `mmap of ${newSize} bytes fails` });
  zendMmGc(heap);
  return heap.safeError(heap.outOfMemoryMessage(size));
}

/** zend_mm_realloc_heap for a size of 2^53 or more. */
export function reallocOversized(heap: ZendHeap, ptr: number, size: bigint): number {
  if (ptr === 0) {
    return allocOversized(heap, size);
  }
  if (ptr % ZEND_MM_CHUNK_SIZE !== 0) {
    // small or large block: the size is above both classes, so zend_mm_realloc_slow
    // allocates first (and fails there) — after the same checks of the old pointer
    heap.blockSize(ptr);
    return allocOversized(heap, size);
  }
  // zend_mm_realloc_huge: the size is huge, its rounding is not checked for overflow here
  const oldSize = hugeBlockSize(heap, ptr);
  const newSize = alignedSizeT(size, BigInt(REAL_PAGE_SIZE));
  const old = BigInt(oldSize);
  if (newSize === old) {
    return ptr;
  }
  if (newSize < old) {
    // the rounding wrapped (size > SIZE_MAX - 4095): the whole block is unmapped in place
    const cut = oldSize - Number(newSize);
    heap.space.unmap(ptr + Number(newSize), cut);
    heap.realSize -= cut;
    heap.size -= cut;
    changeHugeBlockSize(heap, ptr, Number(newSize));
    heap.sink?.event({
      kind: 'stmt',
      anchor: 'zend_mm_realloc_huge:truncate',
      note: `the rounded size wrapped to ${newSize}: ${cut} bytes are unmapped`,
      touched: [{ kind: 'huge', address: ptr }, { kind: 'counters' }],
    });
    return ptr;
  }
  if (exceedsLimitT(heap, newSize - old)) {
    if (zendMmGc(heap) !== 0 && !exceedsLimitT(heap, newSize - old)) {
      // pass
    } else if (heap.overflow === 0) {
      heap.safeError(`Allowed memory size of ${heap.limitText()} bytes exhausted (tried to allocate ${size} bytes)`);
    }
  }
  // extending the mapping in place fails for such a size; zend_mm_realloc_slow allocates (and fails)
  return allocOversized(heap, size);
}
