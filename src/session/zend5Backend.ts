// The heap session's PHP 5.x heap: a segment heap started as zend_mm_startup() starts it, the
// calls a person makes on it, and its segments and blocks for the inspector.

import { ZEND_MM_ALIGNED_HEADER_SIZE } from '../engine/zend5/constants';
import { Zend5Heap } from '../engine/zend5/heap';
import { cacheLists, placeOf, segmentBlocks, segments } from '../engine/zend5/inspect';
import { zend5ProfileFor } from '../engine/zend5/profiles';
import { zendMmStartup } from '../engine/zend5/startup';
import { GC_UNSUPPORTED } from '../replay/zend5/zend5Replayer';
import type { ByteCount } from '../trace/rawTrace';
import type { CountersView, PageDetails, SegmentBlockView, SegmentView } from '../protocol/heapSnapshot';
import type { HeapBackend, HeapViewParts, OwnerIndex } from './heapBackend';

/** A 5.x heap for the session. */
export class Zend5Backend implements HeapBackend {
  readonly family = 'zend5' as const;
  readonly version: string;
  readonly heap: Zend5Heap;

  constructor(version: string) {
    const profile = zend5ProfileFor(version);
    if (profile === undefined) throw new Error(`unsupported PHP version '${version}'`);
    this.version = profile.version;
    this.heap = zendMmStartup({ profile });
  }

  alloc(size: ByteCount): number {
    return this.heap.alloc(size);
  }

  free(address: number): void {
    this.heap.free(address);
  }

  realloc(address: number, size: ByteCount): number {
    return this.heap.realloc(address, size);
  }

  gc(): { unsupported: string } {
    return { unsupported: GC_UNSUPPORTED };
  }

  setMemoryLimit(bytes: ByteCount): { ok: boolean; text: string } {
    const set = this.heap.setMemoryLimit(bytes);
    // 5.x never refuses: a limit below one segment is raised to the segment size
    return { ok: true, text: set === BigInt(bytes) ? `memory_limit is ${set} bytes` : `memory_limit is ${set} bytes (raised to the segment size, the least a 5.x heap takes)` };
  }

  blockSize(address: number): number {
    return this.heap.blockSizeOf(address);
  }

  describe(address: number): string {
    const p = placeOf(this.heap, address - ZEND_MM_ALIGNED_HEADER_SIZE);
    return p === undefined ? `0x${address.toString(16)} (in no segment)` : `segment ${p.segment} + 0x${p.offset.toString(16)}`;
  }

  forget(): void {
    // blocks are named by segment and offset; nothing to keep
  }

  counters(): CountersView {
    const h = this.heap;
    return {
      size: h.size,
      peak: h.peak,
      realSize: h.realSize,
      realPeak: h.realPeak,
      chunks: segments(h).length,
      cached: h.cached,
      limit: h.limit.toString(),
    };
  }

  viewParts(owners: OwnerIndex): HeapViewParts {
    const h = this.heap;
    const inCache = new Set<number>();
    for (const list of cacheLists(h).values()) for (const b of list) inCache.add(b);
    const segs: SegmentView[] = segments(h).map((s) => ({
      segment: s.ordinal,
      size: s.size,
      blocks: segmentBlocks(h, s).map((b): SegmentBlockView => {
        const payload = b.address + ZEND_MM_ALIGNED_HEADER_SIZE;
        const offset = b.address - s.address;
        const kind: SegmentBlockView['kind'] =
          b.kind !== 'used' ? b.kind : h.reserve === payload ? 'reserve' : inCache.has(b.address) ? 'cached' : 'used';
        return { offset, size: b.size, kind, owners: [...(owners.get(payload) ?? [])] };
      }),
    }));
    return { chunks: [], huge: [], bins: [], segments: segs };
  }

  pageDetails(): PageDetails | undefined {
    return undefined; // a 5.x heap has no chunks or pages
  }
}
