// Copies of a whole PHP 5 heap (its struct, every segment's words, the address space), for
// the stepper's time travel: a copy taken every N operations is a checkpoint to replay from.

import { copyAddressSpace } from '../zend7/snapshot';
import { Zend5Heap } from './heap';
import { Zend5Storage } from './storage';
import { WordMemory } from './wordMemory';

/** The private parts of a WordMemory a copy must duplicate (plain fields at run time). */
interface MemoryInternals {
  space: WordMemory['space'];
  regions: { base: number; size: number; words: Map<number, number> }[];
  last: unknown;
}

/** A deep copy of `heap` (memory, storage, segment bookkeeping), detached from any step sink. */
export function copyZend5Heap(heap: Zend5Heap): Zend5Heap {
  const src = heap.memory as unknown as MemoryInternals;
  const memory = Object.create(WordMemory.prototype) as WordMemory;
  const dst = memory as unknown as MemoryInternals;
  dst.space = copyAddressSpace(src.space);
  dst.regions = src.regions.map((r) => ({ base: r.base, size: r.size, words: new Map(r.words) }));
  dst.last = null;
  const copy = Object.create(Zend5Heap.prototype) as Zend5Heap;
  Object.assign(copy, heap);
  const w = copy as unknown as { -readonly [K in keyof Zend5Heap]: Zend5Heap[K] };
  w.memory = memory;
  w.storage = new Zend5Storage(heap.storage.name, memory);
  w.segmentOrdinals = new Map(heap.segmentOrdinals);
  w.sink = null;
  return copy;
}
