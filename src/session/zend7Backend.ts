// The heap session's PHP 7.x/8.x heap: a ZendHeap of the chosen profile, the calls a person
// makes on it, and huge-block ordinals (huge blocks are numbered in order of allocation).

import { profileFor } from '../engine/profiles';
import { ZEND_MM_CHUNK_SIZE, ZEND_MM_MAX_SMALL_SIZE } from '../engine/zend7/constants';
import { ZendHeap } from '../engine/zend7/heap';
import { chunkNumOf } from '../engine/zend7/inspect';
import { smallSizeToBin } from '../engine/zend7/bins';
import { memoryLimitWarning } from '../replay/replayer';
import type { ByteCount } from '../trace/rawTrace';
import type { CountersView, PageDetails } from '../protocol/heapSnapshot';
import type { HeapBackend, HeapViewParts, OwnerIndex } from './heapBackend';
import { Zend7ViewCache, zend7PageDetails, zend7ViewParts } from './zend7HeapView';

/** A 7.x/8.x heap for the session. */
export class Zend7Backend implements HeapBackend {
  readonly family = 'zend7' as const;
  readonly version: string;
  readonly heap: ZendHeap;
  /** Huge block address → ordinal. */
  private readonly hugeOrdinal = new Map<number, number>();
  private nextHuge = 0;
  private readonly viewCache = new Zend7ViewCache();

  constructor(version: string) {
    const profile = profileFor(version);
    this.version = profile.version;
    this.heap = new ZendHeap({ profile });
  }

  alloc(size: ByteCount): number {
    return this.numbered(this.heap.alloc(size));
  }

  free(address: number): void {
    this.heap.free(address);
  }

  realloc(address: number, size: ByteCount): number {
    return this.numbered(this.heap.realloc(address, size));
  }

  gc(): number {
    return this.heap.gc();
  }

  setMemoryLimit(bytes: ByteCount): { ok: boolean; text: string } {
    return this.heap.setMemoryLimit(bytes)
      ? { ok: true, text: `memory_limit is ${bytes} bytes` }
      : { ok: false, text: `Warning: ${memoryLimitWarning(bytes, this.heap.memoryUsage(true))}` };
  }

  blockSize(address: number): number {
    return this.heap.blockSize(address);
  }

  describe(address: number): string {
    const offset = address % ZEND_MM_CHUNK_SIZE;
    if (offset === 0) return `huge #${this.hugeOrdinal.get(address) ?? '?'}`;
    const num = chunkNumOf(this.heap, address);
    const page = Math.floor(offset / 4096);
    const size = this.heap.blockSize(address);
    const what = size <= ZEND_MM_MAX_SMALL_SIZE ? `, bin ${smallSizeToBin(size)}` : `, ${size / 4096}-page run`;
    return `chunk ${num ?? '?'} + 0x${offset.toString(16)} (page ${page}${what})`;
  }

  forget(address: number): void {
    this.hugeOrdinal.delete(address);
  }

  /** The ordinal of a huge block, or undefined. */
  hugeOrdinalOf(address: number): number | undefined {
    return this.hugeOrdinal.get(address);
  }

  counters(): CountersView {
    const h = this.heap;
    return {
      size: h.size,
      peak: h.peak,
      realSize: h.realSize,
      realPeak: h.realPeak,
      chunks: h.chunksCount,
      cached: h.cachedChunksCount,
      limit: h.limitText(),
    };
  }

  viewParts(owners: OwnerIndex): HeapViewParts {
    return zend7ViewParts(this.heap, owners, (a) => this.hugeOrdinal.get(a) ?? -1, this.viewCache);
  }

  pageDetails(chunk: number, page: number, owners: OwnerIndex): PageDetails | undefined {
    return zend7PageDetails(this.heap, chunk, page, owners);
  }

  private numbered(ptr: number): number {
    if (ptr % ZEND_MM_CHUNK_SIZE === 0 && !this.hugeOrdinal.has(ptr)) this.hugeOrdinal.set(ptr, this.nextHuge++);
    return ptr;
  }
}
