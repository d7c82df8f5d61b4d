// The records a PHP 5.x replay produces (docs/zend5-jsonl.md): one per trace operation, plus
// state dumps. Positions are segment ordinals and payload offsets, never addresses.

/** A block's place: segment ordinal (creation order) and payload offset from the segment start. */
export interface Zend5Place {
  segment: number;
  offset: number;
}

/** A block in a list or trie: its place and true size (bytes). */
export interface Zend5BlockRef extends Zend5Place {
  size: number;
}

/** heap->size, peak, real_size, real_peak and cached after an operation (bytes). */
export interface Zend5Counters {
  size: number;
  peak: number;
  realSize: number;
  realPeak: number;
  cached: number;
}

/** How an operation failed. */
export type Zend5RecordError =
  /** First memory-limit error (PHP prints `message`). */
  | 'limit'
  /** First out-of-memory error (PHP prints `message`). */
  | 'oom'
  /** A later memory error: bails out, PHP prints nothing (`message` is the suppressed text). */
  | 'silent'
  /** The ID does not name a live block (its allocation failed, or it was freed): no call made. */
  | 'notlive'
  /** The operation does not exist in PHP 5.x (gc). */
  | 'unsupported'
  /** zend_mm_panic("zend_mm_heap corrupted"): the process exits here. */
  | 'panic'
  /** The C code would crash (SIGSEGV) here. */
  | 'segfault'
  /** The C code would never return. */
  | 'hang';

/** The record of one trace operation. Keys appear in this order in the JSON. */
export interface Zend5OpRecord {
  op: 'a' | 'f' | 'r' | 'l' | 'gc';
  id?: string;
  /** Request size (bytes); a bigint from 2^53 up. */
  size?: number | bigint;
  /** `l`: the bytes asked for. */
  bytes?: number | bigint;
  /** `l`: heap->limit after the clamp. */
  limit?: bigint;
  /** `r`: the block before the call. */
  from?: Zend5Place;
  /** `r`: its true size. */
  fromBlockSize?: number;
  /** The block returned (a, r) or freed (f). */
  at?: Zend5Place;
  /** Its true size (bytes). */
  blockSize?: number;
  error?: Zend5RecordError;
  message?: string;
  heap: Zend5Counters;
}

/** One block of a segment in a dump. */
export interface Zend5DumpBlock {
  offset: number;
  size: number;
  /** U used, F free, G guard. */
  type: 'U' | 'F' | 'G';
  /** For U: the live trace ID, "R" (reserve) or "C" (in the small-block cache). */
  tag?: string;
}

/** A state dump (`d`) or the final state (`end`). */
export interface Zend5StateRecord {
  op: 'd' | 'end';
  heap: Zend5Counters & {
    limit: bigint;
    blockSize: number;
    overflow: number;
    reserve: Zend5Place | null;
  };
  /** heap->free_bitmap and heap->large_free_bitmap as 0x + 16 hex digits. */
  bitmaps: { free: string; large: string };
  /** segments_list order (newest first); blocks from the first to the guard. */
  segments: { segment: number; size: number; blocks: Zend5DumpBlock[] }[];
  /** Non-empty cache buckets; blocks in reuse order (LIFO). */
  cache: { index: number; blocks: Zend5BlockRef[] }[];
  /** Non-empty small free buckets; blocks in the order they will be taken (FIFO). */
  free: { index: number; blocks: Zend5BlockRef[] }[];
  /** Trie nodes in preorder; path "-" for a root; blocks: the node, then its ring. */
  large: { index: number; path: string; blocks: Zend5BlockRef[] }[];
  /** The rest list, newest first. */
  rest: Zend5BlockRef[];
}

/** Any line of a 5.x replay. */
export type Zend5Record = Zend5OpRecord | Zend5StateRecord;

/** One record as one line of JSON; bigints print as exact digits. */
export function zend5JsonLine(rec: Zend5Record): string {
  const MARK = '\u0001n:';
  const text = JSON.stringify(rec, (_key, value: unknown) => (typeof value === 'bigint' ? MARK + value.toString() : value));
  return text.includes('\\u0001n:') ? text.replace(/"\\u0001n:(-?\d+)"/g, '$1') : text;
}
