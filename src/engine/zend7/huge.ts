// Huge blocks (> ZEND_MM_MAX_LARGE_SIZE): their own 2 MiB-aligned mappings, tracked in
// heap->huge_list by nodes that are themselves small blocks of the heap.

import { REAL_PAGE_SIZE, SIZE_MAX, ZEND_MM_CHUNK_SIZE, ZEND_MM_HUGE_LIST_NODE_SIZE } from './constants';
import { AllocatorError, HeapCorrupted } from './errors';
import { zendMmGc } from './gc';
import type { HugeListNode, ZendHeap } from './heap';
import { TOUCHED_COUNTERS } from './sharedStepParts';

/** ZEND_MM_ALIGNED_SIZE_EX(size, alignment). */
export function alignedSize(size: number, alignment: number): number {
  return Math.ceil(size / alignment) * alignment;
}

/** heap->limit - heap->real_size with size_t wrap-around. */
export function limitRoom(heap: ZendHeap): number {
  return heap.limit >= heap.realSize ? heap.limit - heap.realSize : heap.limit - heap.realSize + 2 ** 64;
}

/**
 * The memory-limit test before `bytes` more are mapped: `bytes > limit - real_size` (size_t
 * subtraction, 7.2.23+ / 7.3.10+ form) or, in 7.0, `real_size + bytes > limit`.
 */
export function exceedsLimit(heap: ZendHeap, bytes: number): boolean {
  if (heap.profile.switches.limitTest === 'sum') {
    return BigInt(heap.realSize) + BigInt(bytes) > heap.limitExact;
  }
  return bytes > limitRoom(heap);
}

/**
 * zend_mm_alloc_huge(): rounds to the OS page size, checks memory_limit (after one gc),
 * maps the block, records it with a 24-byte list node (a small allocation), then counts it.
 */
export function allocHuge(heap: ZendHeap, size: number): number {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_mm_alloc_huge', locals: { size } });
  const alignment = REAL_PAGE_SIZE;
  const newSize = alignedSize(size, alignment);
  if (heap.profile.switches.hugeRoundingCheck && size > SIZE_MAX - (alignment - 1)) {
    throw new AllocatorError('overflow', `Possible integer overflow in memory allocation (${size} + ${alignment})`);
  }
  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_alloc_huge:round',
    note: `${size} bytes is huge: rounded to ${newSize}`,
    locals: { size, new_size: newSize },
  });
  if (exceedsLimit(heap, newSize)) {
    if (zendMmGc(heap) !== 0 && !exceedsLimit(heap, newSize)) {
      // pass
    } else if (heap.overflow === 0) {
      heap.safeError(`Allowed memory size of ${heap.limitText()} bytes exhausted (tried to allocate ${size} bytes)`);
    }
  }
  let ptr = heap.space.map(newSize, ZEND_MM_CHUNK_SIZE);
  if (ptr === 0) {
    // mmap failed: run gc and try once more
    if (!(zendMmGc(heap) !== 0 && (ptr = heap.space.map(newSize, ZEND_MM_CHUNK_SIZE)) !== 0)) {
      heap.safeError(heap.outOfMemoryMessage(size));
    }
  }
  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_alloc_huge:map',
    note: `maps ${newSize} bytes aligned to 2 MiB`,
    locals: { ptr },
    touched: [{ kind: 'huge', address: ptr }],
  });
  addHugeBlock(heap, ptr, newSize);
  heap.realSize += newSize;
  heap.realPeak = Math.max(heap.realPeak, heap.realSize);
  heap.size += newSize;
  heap.peak = Math.max(heap.peak, heap.size);
  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_alloc_huge:stat',
    note: `real_size and size += ${newSize}`,
    locals: { size: heap.size, real_size: heap.realSize },
    touched: TOUCHED_COUNTERS,
  });
  sink?.event({ kind: 'leave', func: 'zend_mm_alloc_huge' });
  return ptr;
}

/** zend_mm_add_huge_block(): allocates the list node from the heap and pushes it on huge_list. */
function addHugeBlock(heap: ZendHeap, ptr: number, size: number): void {
  heap.sink?.event({ kind: 'enter', func: 'zend_mm_add_huge_block', locals: { ptr, size } });
  const node = heap.allocHeap(ZEND_MM_HUGE_LIST_NODE_SIZE);
  heap.hugeList = { node, ptr, size, next: heap.hugeList };
  heap.sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_add_huge_block:push',
    note: 'the block is recorded at the head of huge_list',
    locals: { list: node },
    touched: [{ kind: 'huge', address: ptr }],
  });
  heap.sink?.event({ kind: 'leave', func: 'zend_mm_add_huge_block' });
}

/** zend_mm_get_huge_block_size(): the recorded size, or panic when `ptr` is not listed. */
export function hugeBlockSize(heap: ZendHeap, ptr: number): number {
  return findHuge(heap, ptr).size;
}

/** The huge_list node of `ptr`; panics (zend_mm_heap corrupted) when absent. */
export function findHuge(heap: ZendHeap, ptr: number): HugeListNode {
  for (let list = heap.hugeList; list !== null; list = list.next) {
    if (list.ptr === ptr) {
      return list;
    }
  }
  throw new HeapCorrupted();
}

/** zend_mm_free_huge(): unlinks and frees the node, unmaps the block, uncounts it. */
export function freeHuge(heap: ZendHeap, ptr: number): void {
  const sink = heap.sink;
  sink?.event({ kind: 'enter', func: 'zend_mm_free_huge', locals: { ptr } });
  const size = delHugeBlock(heap, ptr);
  heap.space.unmap(ptr, size);
  heap.realSize -= size;
  heap.size -= size;
  sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_free_huge:unmap',
    note: `unmaps ${size} bytes`,
    locals: { size, real_size: heap.realSize },
    touched: [{ kind: 'huge', address: ptr }, { kind: 'counters' }],
  });
  sink?.event({ kind: 'leave', func: 'zend_mm_free_huge' });
}

/** zend_mm_del_huge_block(): unlinks the node of `ptr`, frees the node block, returns the size. */
function delHugeBlock(heap: ZendHeap, ptr: number): number {
  let prev: HugeListNode | null = null;
  for (let list = heap.hugeList; list !== null; prev = list, list = list.next) {
    if (list.ptr === ptr) {
      if (prev !== null) {
        prev.next = list.next;
      } else {
        heap.hugeList = list.next;
      }
      heap.sink?.event({
        kind: 'stmt',
        anchor: 'zend_mm_del_huge_block:unlink',
        note: 'the node leaves huge_list and is freed',
        locals: { list: list.node },
      });
      heap.freeHeap(list.node);
      return list.size;
    }
  }
  throw new HeapCorrupted();
}

/** zend_mm_change_huge_block_size(): records the new size of a listed block. */
export function changeHugeBlockSize(heap: ZendHeap, ptr: number, size: number): void {
  for (let list = heap.hugeList; list !== null; list = list.next) {
    if (list.ptr === ptr) {
      list.size = size;
      return;
    }
  }
}
