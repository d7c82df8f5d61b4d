// The heap as the inspector shows it: plain JSON (numbers, strings, arrays), built on the host
// from the engine and sent to the webview. Addresses never appear: places are chunk numbers,
// page indices, byte offsets and huge-block ordinals, all below 2^53.

/** Pages in one chunk (ZEND_MM_PAGES of the 7.x/8.x allocator). */
export const PAGES_PER_CHUNK = 512;

/** What one 4 KiB page of a chunk holds. `first` is the first page of the run the page is in. */
export type PageCell =
  /** Page 0: the chunk header (zend_mm_chunk, and the heap itself in the main chunk). */
  | { readonly kind: 'header' }
  /** A free page. */
  | { readonly kind: 'free' }
  /** A page of a large run of `pages` pages. */
  | { readonly kind: 'large'; readonly first: number; readonly pages: number }
  /**
   * A page of a small run of `bin`. `slots` counts the run's slots that start in this page,
   * `used` how many of them are allocated (not on the bin's free list).
   */
  | { readonly kind: 'small'; readonly first: number; readonly bin: number; readonly used: number; readonly slots: number }
  /** A used page whose map entry is neither a small nor a large run start (a broken heap). */
  | { readonly kind: 'other'; readonly map: number };

/** One chunk of the ring: its number and its 512 page cells. */
export interface ChunkView {
  /** chunk->num. */
  readonly num: number;
  /** chunk->free_pages. */
  readonly freePages: number;
  /** Exactly PAGES_PER_CHUNK cells, index = page. */
  readonly pages: PageCell[];
}

/** A huge block (one mapping of its own). */
export interface HugeView {
  /** Ordinal of the block, in order of allocation (as replay records number them). */
  readonly huge: number;
  /** Mapped size in bytes. */
  readonly size: number;
  /** Names of the variables that hold it. */
  readonly owners: string[];
}

/** One small-size bin. */
export interface BinRow {
  readonly bin: number;
  /** Slot size in bytes. */
  readonly slotSize: number;
  /** Pages of one run of this bin. */
  readonly runPages: number;
  /** Runs of this bin in the ring. */
  readonly runs: number;
  /** Allocated slots. */
  readonly live: number;
  /** Slots on the free list. */
  readonly free: number;
  /** The free list from its head (the next slot handed out first), as "chunk:0xoffset"; at most FREE_LIST_SHOWN entries. */
  readonly freeList: string[];
}

/** Most free-list entries a BinRow carries. */
export const FREE_LIST_SHOWN = 16;

/** One block of a PHP 5.x segment (byte offsets from the segment start). */
export interface SegmentBlockView {
  readonly offset: number;
  /** True size in bytes (header included). */
  readonly size: number;
  readonly kind: 'used' | 'free' | 'guard' | 'reserve' | 'cached';
  readonly owners: string[];
}

/** A PHP 5.x segment and its blocks in address order. */
export interface SegmentView {
  readonly segment: number;
  /** Bytes. */
  readonly size: number;
  readonly blocks: SegmentBlockView[];
}

/** The heap's counters (bytes, chunk counts); the limit as exact decimal text. */
export interface CountersView {
  readonly size: number;
  readonly peak: number;
  readonly realSize: number;
  readonly realPeak: number;
  /** Chunks in the ring (7.x/8.x) or segments (5.x). */
  readonly chunks: number;
  /** Cached chunks (7.x/8.x) or bytes in the cache (5.x). */
  readonly cached: number;
  /** heap->limit in bytes, decimal. */
  readonly limit: string;
}

/** One point of the timeline: the counters after an operation. */
export interface TimelinePoint {
  /** The operation, in the trace language (e.g. "b1 = emalloc(100)"). */
  readonly op: string;
  readonly size: number;
  readonly realSize: number;
}

/** The whole heap at one moment. */
export interface HeapSnapshot {
  /** "MAJOR.MINOR". */
  readonly version: string;
  /** Which allocator family: chunks and bins (7.x/8.x) or segments (5.x). */
  readonly family: 'zend7' | 'zend5';
  /** Number of operations applied since the heap started (the timeline's length). */
  readonly seq: number;
  readonly counters: CountersView;
  /** Chunks of the ring, by num ascending (empty for 5.x). */
  readonly chunks: ChunkView[];
  readonly huge: HugeView[];
  /** The 30 bins (empty for 5.x). */
  readonly bins: BinRow[];
  /** Segments, newest first (empty for 7.x/8.x). */
  readonly segments: SegmentView[];
  readonly timeline: TimelinePoint[];
  /** Set when the last operation ended the simulated process: no further call can run. */
  readonly halted: string | null;
}

/** One page that changed. */
export interface PageChange {
  readonly chunk: number;
  readonly page: number;
  readonly cell: PageCell;
}

/**
 * What changed between two snapshots: only changed pages of chunks both have, whole chunks
 * that came or went, rows of bins that changed, and timeline points appended. Huge blocks
 * and segments are few and sent whole when they change.
 */
export interface HeapUpdate {
  /** seq of the snapshot this update applies to. */
  readonly fromSeq: number;
  /** seq after applying it. */
  readonly seq: number;
  readonly version: string;
  readonly counters: CountersView;
  readonly pages: PageChange[];
  readonly chunksAdded: ChunkView[];
  readonly chunksRemoved: number[];
  readonly bins: BinRow[];
  /** The full list when it changed, else null. */
  readonly huge: HugeView[] | null;
  /** The full list when it changed, else null. */
  readonly segments: SegmentView[] | null;
  /** Points to append to the timeline (its length before them is fromSeq's timeline length). */
  readonly timelineAppended: TimelinePoint[];
  readonly halted: string | null;
}

/** The details of a clicked page, computed by the host. */
export interface PageDetails {
  readonly chunk: number;
  readonly page: number;
  /** One line saying what the page is. */
  readonly title: string;
  readonly cell: PageCell;
  /** Bytes of the run from the chunk start. */
  readonly runOffset: number;
  /** Slots of a small run, in address order. */
  readonly slots: { readonly index: number; readonly offset: number; readonly used: boolean; readonly owners: string[] }[];
  /** Variables holding blocks in this run. */
  readonly owners: string[];
  /** The C function of zend_alloc.c that hands out this kind of run (null for the header or a free page). */
  readonly allocator: string | null;
}

/** Something a step changed (mirrors the engine's Touched), for highlighting. */
export type TouchedRegion =
  | { readonly kind: 'page'; readonly chunk: number; readonly page: number; readonly pages: number }
  | { readonly kind: 'bin'; readonly bin: number }
  | { readonly kind: 'chunk'; readonly chunk: number }
  | { readonly kind: 'huge'; readonly huge: number }
  | { readonly kind: 'counters' };
