// What the heap session needs from an allocator family: the public calls, the counters, and
// the inspector's view of the heap. One implementation per family (7.x/8.x chunks, 5.x segments).

import type { ByteCount } from '../trace/rawTrace';
import type { BinRow, ChunkView, CountersView, HugeView, PageDetails, SegmentView } from '../protocol/heapSnapshot';

/** Names of the variables holding each live block, by block address. */
export type OwnerIndex = ReadonlyMap<number, readonly string[]>;

/** The parts of a snapshot a family builds. */
export interface HeapViewParts {
  readonly chunks: ChunkView[];
  readonly huge: HugeView[];
  readonly bins: BinRow[];
  readonly segments: SegmentView[];
}

/** One simulated heap of one PHP version. Allocator failures throw the engine's AllocatorError. */
export interface HeapBackend {
  readonly family: 'zend7' | 'zend5';
  /** "MAJOR.MINOR". */
  readonly version: string;
  /** emalloc(size): the block's address. */
  alloc(size: ByteCount): number;
  /** efree(address). */
  free(address: number): void;
  /** erealloc(address, size): the block's new address (address 0: a fresh allocation). */
  realloc(address: number, size: ByteCount): number;
  /** zend_mm_gc(): bytes given back, or the reason this family has none. */
  gc(): number | { unsupported: string };
  /** zend_set_memory_limit(): whether it was set, and the limit now in effect or PHP's warning. */
  setMemoryLimit(bytes: ByteCount): { readonly ok: boolean; readonly text: string };
  /** The usable size of a live block (bytes). */
  blockSize(address: number): number;
  /** Where a live block is, in words ("chunk 0 + 0x1a0", "huge #0", "segment 0 + 0x20"). */
  describe(address: number): string;
  /** Call after a block at `address` was freed or moved away, so its bookkeeping can go. */
  forget(address: number): void;
  counters(): CountersView;
  viewParts(owners: OwnerIndex): HeapViewParts;
  /** Details of page `page` of chunk `chunk`; undefined when there is no such chunk. */
  pageDetails(chunk: number, page: number, owners: OwnerIndex): PageDetails | undefined;
}
