// What names mean in a watch expression or a breakpoint condition at a stop: the current C
// frame's locals, the trace operation's fields, `heap` (zend_mm_heap's fields), script
// variables and $IDs (their blocks), and the allocator's macros and tables.

import { binDataSize, binElements, binPages, smallSizeToBin } from '../engine/zend7/bins';
import {
  ZEND_MM_BINS,
  ZEND_MM_CHUNK_SIZE,
  ZEND_MM_FIRST_PAGE,
  ZEND_MM_MAX_LARGE_SIZE,
  ZEND_MM_MAX_SMALL_SIZE,
  ZEND_MM_MIN_SMALL_SIZE,
  ZEND_MM_PAGES,
  ZEND_MM_PAGE_SIZE,
  chunkOffset,
  isSrun,
  pageOf,
  ZEND_MM_SRUN_BIN_NUM,
} from '../engine/zend7/constants';
import { ZendHeap } from '../engine/zend7/heap';
import type { LocalValue } from '../engine/step';
import type { RawOp } from '../trace/rawTrace';
import { EvalScope, ExpressionError, Value } from './expression';
import type { Bindings } from './timeline';
import type { IdBlock, TraceMachine } from './traceMachine';
import { zend5BlockRecord, zend5HeapRecord } from './zend5Views';

const CONSTANTS: Readonly<Record<string, number>> = {
  ZEND_MM_CHUNK_SIZE,
  ZEND_MM_PAGE_SIZE,
  ZEND_MM_PAGES,
  ZEND_MM_FIRST_PAGE,
  ZEND_MM_MIN_SMALL_SIZE,
  ZEND_MM_MAX_SMALL_SIZE,
  ZEND_MM_MAX_LARGE_SIZE,
  ZEND_MM_BINS,
};

/** Where a stop is: the state, the trace operation, and the current C frame's locals. */
export interface StopContext {
  readonly machine: TraceMachine;
  /** What the trace IDs and script variables name here (computed when a name needs it). */
  readonly bindings: () => Bindings;
  readonly op: RawOp | undefined;
  readonly locals: Readonly<Record<string, LocalValue>>;
}

function size(n: Value, what: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ExpressionError(`${what} must be a non-negative integer`);
  return n;
}

/** zend_mm_heap's fields as a record (heap->free_slot is a list of head addresses). */
export function heapRecord(heap: ZendHeap): { readonly [f: string]: Value } {
  return {
    size: heap.size,
    peak: heap.peak,
    real_size: heap.realSize,
    real_peak: heap.realPeak,
    limit: heap.limit,
    overflow: heap.overflow,
    free_slot: Array.from(heap.freeSlot),
    main_chunk: heap.mainChunk.base,
    cached_chunks: heap.cachedChunks?.base ?? 0,
    chunks_count: heap.chunksCount,
    peak_chunks_count: heap.peakChunksCount,
    cached_chunks_count: heap.cachedChunksCount,
    avg_chunks_count: heap.avgChunksCount,
    last_chunks_delete_boundary: heap.lastChunksDeleteBoundary,
    last_chunks_delete_count: heap.lastChunksDeleteCount,
    huge_list: heap.hugeList?.node ?? 0,
  };
}

/** Where a block lives: chunk/offset/page/bin, or a huge block, and its size. */
export function blockRecord(heap: ZendHeap, block: IdBlock): { readonly [f: string]: Value } {
  const out: Record<string, Value> = { address: block.address, live: block.live };
  const offset = chunkOffset(block.address);
  if (offset === 0) {
    out.huge = true;
    for (let n = heap.hugeList; n !== null; n = n.next) if (n.ptr === block.address) out.size = n.size;
    return out;
  }
  const chunk = heap.chunksByBase.get(block.address - offset);
  if (chunk !== undefined) {
    out.chunk = chunk.num;
    out.offset = offset;
    out.page = pageOf(block.address);
    const info = chunk.map[pageOf(block.address)];
    if (isSrun(info)) {
      out.bin = ZEND_MM_SRUN_BIN_NUM(info);
      out.size = binDataSize[ZEND_MM_SRUN_BIN_NUM(info)];
    } else if (block.live) {
      try {
        out.size = heap.blockSize(block.address);
      } catch {
        // a freed or corrupted block has no size to show
      }
    }
  }
  return out;
}

/** The scope of `ctx`. Locals shadow operation fields; `bin` is bin_num, or the bin of a small request. */
export function stopScope(ctx: StopContext): EvalScope {
  const { machine, op, locals, bindings } = ctx;
  const heap = machine.heap;
  return {
    lookup(name: string): Value | undefined {
      if (Object.prototype.hasOwnProperty.call(locals, name)) return toValue(locals[name]);
      if (name === 'bin') {
        if (locals.bin_num !== undefined) return toValue(locals.bin_num);
        if (heap instanceof ZendHeap && op !== undefined && (op.op === 'a' || op.op === 'r') && typeof op.size === 'number' && op.size <= ZEND_MM_MAX_SMALL_SIZE) {
          return smallSizeToBin(Math.max(op.size, heap.profile.switches.minSmallSize));
        }
        return undefined;
      }
      if (op !== undefined) {
        if (name === 'op') return op.op;
        if (name === 'size' && (op.op === 'a' || op.op === 'r')) return typeof op.size === 'number' ? op.size : Number(op.size);
        if (name === 'id' && (op.op === 'a' || op.op === 'r' || op.op === 'f')) return Number(op.id);
      }
      if (name === 'heap') return heap instanceof ZendHeap ? heapRecord(heap) : zend5HeapRecord(heap);
      if (name in CONSTANTS) return CONSTANTS[name];
      if (name === 'bin_data_size') return Array.from(binDataSize);
      if (name === 'bin_elements') return Array.from(binElements);
      if (name === 'bin_pages') return Array.from(binPages);
      const b = bindings();
      const id = name.startsWith('$') ? name.slice(1) : b.names.get(name);
      const block = id === undefined ? undefined : b.ids.get(id);
      if (block !== undefined) return heap instanceof ZendHeap ? blockRecord(heap, block) : zend5BlockRecord(heap, block);
      return undefined;
    },
    call(name: string, args: readonly Value[]): Value | undefined {
      switch (name) {
        case 'ZEND_MM_SMALL_SIZE_TO_BIN': {
          const s = size(args[0] ?? null, 'the size');
          if (s > ZEND_MM_MAX_SMALL_SIZE) throw new ExpressionError(`${s} is above ZEND_MM_MAX_SMALL_SIZE (${ZEND_MM_MAX_SMALL_SIZE})`);
          return smallSizeToBin(s);
        }
        case 'ZEND_MM_SIZE_TO_NUM': {
          const s = size(args[0] ?? null, 'the size');
          const a = size(args[1] ?? null, 'the alignment');
          if (a === 0) throw new ExpressionError('the alignment must not be 0');
          return Math.floor((s + a - 1) / a);
        }
        case 'ZEND_MM_ALIGNED_SIZE_EX': {
          const s = size(args[0] ?? null, 'the size');
          const a = size(args[1] ?? null, 'the alignment');
          if (a === 0) throw new ExpressionError('the alignment must not be 0');
          return Math.ceil(s / a) * a;
        }
        case 'ZEND_MM_ALIGNED_BASE':
          return size(args[0] ?? null, 'the address') - chunkOffset(size(args[0] ?? null, 'the address'));
        case 'ZEND_MM_ALIGNED_OFFSET':
          return chunkOffset(size(args[0] ?? null, 'the address'));
        default:
          return undefined;
      }
    },
  };
}

function toValue(v: LocalValue | undefined): Value {
  if (v === undefined) return null;
  if (typeof v === 'string' && /^\d+$/.test(v) && v.length < 16) return Number(v);
  return v;
}
