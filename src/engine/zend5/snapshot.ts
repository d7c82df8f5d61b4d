// Copies of a whole PHP 5 heap (its struct, every segment's words, the address space), for
// the stepper's time travel: a copy is a checkpoint to replay from. Nothing is shared between
// copies, so each one costs its whole memory (see zend5CopyFootprint).

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

/**
 * Bytes a stored word takes in a copy: a Map entry (key, value and chain link, plus its share
 * of the hash buckets and of the table's spare capacity) on 64-bit Node, measured at about
 * 29 – 46 bytes; values above 2^31 are boxed numbers the copy shares with its source.
 */
const WORD_ENTRY_BYTES = 40;
/** Bytes of one region's record and its empty Map. */
const REGION_BYTES = 160;

/** An estimate of the bytes a copy holds: every stored word of every region (5.x copies share nothing). */
export function zend5CopyFootprint(copy: Zend5Heap): number {
  let bytes = 0;
  for (const r of (copy.memory as unknown as MemoryInternals).regions) bytes += REGION_BYTES + r.words.size * WORD_ENTRY_BYTES;
  return bytes;
}
