// Copies of a whole simulated heap (chunks, their words, huge list, address space), for the
// stepper's time travel: a copy taken every N operations is a checkpoint to replay from.
// A copy shares nothing mutable with its source: its chunks hold their words as frozen page
// arrays (shared between copies, never written; a copy's first write gives it its own).

import { AddressSpace, Mapping } from '../addressSpace';
import { Chunk } from './chunk';
import { HugeListNode, ZendHeap } from './heap';

/** The private parts of a ZendHeap a copy must reset. */
interface HeapInternals {
  lastBase: number;
  lastChunk: Chunk | undefined;
}

/** The private list of an AddressSpace. */
interface SpaceInternals {
  mappings: Mapping[];
}

/**
 * A copy of `heap`, detached from any step sink, that goes on independently of it. Word pages
 * are frozen and shared: with `shareWith` (an earlier copy), a page equal to that copy's page
 * at the same chunk base is that copy's array, so consecutive checkpoints hold each unchanged
 * page once. Counters, limits and every other plain field are copied as they are.
 */
export function copyHeap(heap: ZendHeap, shareWith?: ZendHeap): ZendHeap {
  const copy = Object.create(ZendHeap.prototype) as ZendHeap;
  Object.assign(copy, heap);
  const w = copy as unknown as { -readonly [K in keyof ZendHeap]: ZendHeap[K] };
  w.sink = null;
  (copy as unknown as HeapInternals).lastBase = -1;
  (copy as unknown as HeapInternals).lastChunk = undefined;
  w.space = copyAddressSpace(heap.space);
  w.freeSlot = new Float64Array(heap.freeSlot);
  w.fullRuns = new Int32Array(heap.fullRuns);

  const chunks = new Map<Chunk, Chunk>();
  const byBase = new Map<number, Chunk>();
  for (const [base, chunk] of heap.chunksByBase) {
    const c = copyChunk(chunk, copy, shareWith?.chunksByBase.get(base));
    chunks.set(chunk, c);
    byBase.set(base, c);
  }
  // chunks reachable only through links (none in a sound heap) are copied too
  const mapped = (c: Chunk | null): Chunk | null => {
    if (c === null) return null;
    let m = chunks.get(c);
    if (m === undefined) {
      m = copyChunk(c, c.heap === heap ? copy : c.heap, undefined);
      chunks.set(c, m);
    }
    return m;
  };
  for (const [orig, c] of [...chunks]) {
    c.next = mapped(orig.next);
    c.prev = mapped(orig.prev);
  }
  w.chunksByBase = byBase;
  w.mainChunk = mapped(heap.mainChunk) as Chunk;
  w.cachedChunks = mapped(heap.cachedChunks);

  let head: HugeListNode | null = null;
  let tail: HugeListNode | null = null;
  for (let n = heap.hugeList; n !== null; n = n.next) {
    const node: HugeListNode = { node: n.node, ptr: n.ptr, size: n.size, next: null };
    if (tail === null) head = node;
    else tail.next = node;
    tail = node;
  }
  w.hugeList = head;
  return copy;
}

/** A copy of an address space (its list of mappings). */
export function copyAddressSpace(space: AddressSpace): AddressSpace {
  const copy = Object.create(AddressSpace.prototype) as AddressSpace;
  Object.assign(copy, space);
  (copy as unknown as SpaceInternals).mappings = (space as unknown as SpaceInternals).mappings.map((m) => ({ start: m.start, size: m.size }));
  return copy;
}

function copyChunk(chunk: Chunk, heap: object | null, shareWith: Chunk | undefined): Chunk {
  const copy = Object.create(Chunk.prototype) as Chunk;
  Object.assign(copy, chunk);
  const w = copy as unknown as { -readonly [K in keyof Chunk]: Chunk[K] };
  w.heap = heap;
  w.freeMap = new Uint32Array(chunk.freeMap);
  w.map = new Uint32Array(chunk.map);
  w.listedCount = new Uint16Array(chunk.listedCount);
  w.words = chunk.words.freeze(shareWith?.words);
  copy.adoptShadows(chunk.copyShadows());
  return copy;
}

/** Bytes a copy holds of its own (typed arrays and word pages not shared with `shareWith`). */
export function copyFootprint(copy: ZendHeap, shareWith?: ZendHeap): number {
  let bytes = copy.freeSlot.byteLength;
  for (const [base, chunk] of copy.chunksByBase) {
    bytes += chunk.freeMap.byteLength + chunk.map.byteLength + chunk.listedCount.byteLength;
    bytes += chunk.words.bytesNotIn(shareWith?.chunksByBase.get(base)?.words);
    bytes += chunk.shadowCount * 16;
  }
  return bytes;
}
