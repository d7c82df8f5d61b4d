// What the stepper shows of a PHP 5 segment heap: the heap struct's counters, segments and
// their blocks, the cache, the small free buckets, the large tries and the rest list; where
// a block is; and the words of its memory.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { ZEND_MM_ALIGNED_HEADER_SIZE } from '../engine/zend5/constants';
import type { Zend5Heap } from '../engine/zend5/heap';
import { cacheLists, freeBuckets, largeTries, placeOf, restList, segmentBlocks, segments } from '../engine/zend5/inspect';
import type { Value } from './expression';
import type { IdBlock } from './traceMachine';

/** Most list entries shown under one node. */
const LIST_LIMIT = 256;

/** A node store (see VariableStore). */
interface Store {
  add(children: () => DebugProtocol.Variable[]): number;
}

function hex(a: number): string {
  return `0x${a.toString(16)}`;
}

function limitValue(limit: bigint): number | string {
  return limit <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(limit) : limit.toString();
}

/** zend_mm_heap's fields (5.x) as a record. */
export function zend5HeapRecord(heap: Zend5Heap): { readonly [f: string]: Value } {
  return {
    size: heap.size,
    peak: heap.peak,
    real_size: heap.realSize,
    real_peak: heap.realPeak,
    limit: limitValue(heap.limit),
    cached: heap.cached,
    block_size: heap.blockSize,
    reserve: heap.reserve,
    reserve_size: heap.reserveSize,
    overflow: heap.overflow,
    rest_count: heap.restCount,
  };
}

/** Where a payload is: segment ordinal, payload offset, true size while live. */
export function zend5BlockRecord(heap: Zend5Heap, block: IdBlock): { readonly [f: string]: Value } {
  const out: Record<string, Value> = { address: block.address, live: block.live };
  const place = placeOf(heap, block.address - ZEND_MM_ALIGNED_HEADER_SIZE);
  if (place !== undefined) {
    out.segment = place.segment;
    out.offset = place.offset;
  }
  if (block.live) {
    try {
      out.size = heap.blockSizeOf(block.address);
    } catch {
      // a block in unmapped memory has no size to show
    }
  }
  return out;
}

/** The console text of where a payload is: "segment 0 +40, 48 B". */
export function describeZend5Block(heap: Zend5Heap, payload: number): string {
  const place = placeOf(heap, payload - ZEND_MM_ALIGNED_HEADER_SIZE);
  if (place === undefined) return hex(payload);
  let size = '';
  try {
    size = `, ${heap.blockSizeOf(payload)} B`;
  } catch {
    // not readable: leave the size out
  }
  return `segment ${place.segment} +${place.offset}${size}`;
}

function scalar(name: string, value: number | string, address = false): DebugProtocol.Variable {
  const v: DebugProtocol.Variable = { name, value: typeof value === 'number' && address ? hex(value) : String(value), variablesReference: 0 };
  if (address && typeof value === 'number' && value !== 0) v.memoryReference = hex(value);
  return v;
}

/** Heap (5.x): the struct's counters and sizes. */
export function zend5HeapVariables(heap: Zend5Heap): DebugProtocol.Variable[] {
  return Object.entries(zend5HeapRecord(heap)).map(([k, v]) => scalar(k, v as number | string, k === 'reserve'));
}

/** Segments: segments_list (newest first), each with its blocks. */
export function zend5SegmentVariables(heap: Zend5Heap, store: Store): DebugProtocol.Variable[] {
  return segments(heap).map((seg) => {
    const blocks = segmentBlocks(heap, seg);
    const used = blocks.filter((b) => b.kind === 'used').length;
    return {
      name: `segment ${seg.ordinal}`,
      value: `${hex(seg.address)}: ${seg.size} B, ${used} used / ${blocks.length - used - 1} free blocks`,
      memoryReference: hex(seg.address),
      variablesReference: store.add(() => blocks.slice(0, LIST_LIMIT).map((b, i) => scalar(`[${i}] ${b.kind}`, `${hex(b.address)}, ${b.size} B`))),
      indexedVariables: blocks.length,
    };
  });
}

/** Free lists (5.x): cache buckets, small free buckets, large tries, rest list. */
export function zend5FreeListVariables(heap: Zend5Heap, store: Store): DebugProtocol.Variable[] {
  const list = (name: string, blocks: readonly number[]): DebugProtocol.Variable => ({
    name,
    value: `${blocks.length} block${blocks.length === 1 ? '' : 's'}, head ${hex(blocks[0] ?? 0)}`,
    variablesReference: store.add(() => blocks.slice(0, LIST_LIMIT).map((b, i) => scalar(`[${i}]`, b, true))),
  });
  const out: DebugProtocol.Variable[] = [];
  for (const [i, blocks] of cacheLists(heap)) out.push(list(`cache[${i}]`, blocks));
  for (const [i, blocks] of freeBuckets(heap)) out.push(list(`free_buckets[${i}]`, blocks));
  for (const [i, nodes] of largeTries(heap)) out.push(list(`large_free_buckets[${i}]`, nodes.flatMap((n) => n.blocks)));
  const rest = restList(heap);
  if (rest.length > 0) out.push(list('rest_buckets', rest));
  return out;
}

/** The word at 8-aligned `address` of the 5.x process memory, or undefined when unmapped. */
export function zend5WordAt(heap: Zend5Heap, address: number): bigint | undefined {
  if (heap.memory.space.find(address) === undefined) return undefined;
  try {
    return BigInt(heap.memory.read(address));
  } catch {
    // mapped padding past a region's end: reads as zero
    return 0n;
  }
}
