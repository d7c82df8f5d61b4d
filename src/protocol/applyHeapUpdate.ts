// Applies an update to a snapshot, giving the next snapshot and the pages that changed. The
// webview keeps its model this way; the host's tests check that diff then apply is identity.

import type { ChunkView, HeapSnapshot, HeapUpdate } from './heapSnapshot';

/** The result of an update: the new snapshot and which chunks must be redrawn how. */
export interface AppliedUpdate {
  readonly heap: HeapSnapshot;
  /** Chunk nums whose strip is new or gone (the chunk list must be rebuilt). */
  readonly chunksChanged: boolean;
}

/** Thrown when an update does not follow the snapshot it is applied to. */
export class UpdateOutOfOrder extends Error {}

/**
 * `update` applied to `heap`. The chunk objects of unchanged chunks are shared; changed ones
 * are copied, so `heap` itself is left as it was.
 */
export function applyHeapUpdate(heap: HeapSnapshot, update: HeapUpdate): AppliedUpdate {
  if (update.fromSeq !== heap.seq) {
    throw new UpdateOutOfOrder(`update from seq ${update.fromSeq} does not follow seq ${heap.seq}`);
  }
  const removed = new Set(update.chunksRemoved);
  const byNum = new Map<number, ChunkView>();
  for (const c of heap.chunks) if (!removed.has(c.num)) byNum.set(c.num, c);
  for (const c of update.chunksAdded) byNum.set(c.num, c);
  const copied = new Set<number>();
  for (const ch of update.pages) {
    const c = byNum.get(ch.chunk);
    if (c === undefined) throw new UpdateOutOfOrder(`update changes page ${ch.page} of chunk ${ch.chunk}, which the heap does not have`);
    let target = c;
    if (!copied.has(ch.chunk)) {
      target = { num: c.num, freePages: c.freePages, pages: c.pages.slice() };
      byNum.set(ch.chunk, target);
      copied.add(ch.chunk);
    }
    target.pages[ch.page] = ch.cell;
  }
  // free_pages is a count of the chunk's free cells: recompute it for the chunks that changed
  for (const num of copied) {
    const c = byNum.get(num) as ChunkView;
    byNum.set(num, { ...c, freePages: c.pages.reduce((n, p) => n + (p.kind === 'free' ? 1 : 0), 0) });
  }
  const bins = heap.bins.slice();
  for (const b of update.bins) bins[b.bin] = b;
  return {
    heap: {
      version: update.version,
      family: heap.family,
      seq: update.seq,
      counters: update.counters,
      chunks: [...byNum.values()].sort((a, b) => a.num - b.num),
      huge: update.huge ?? heap.huge,
      bins,
      segments: update.segments ?? heap.segments,
      timeline: heap.timeline.concat(update.timelineAppended),
      halted: update.halted,
    },
    chunksChanged: removed.size > 0 || update.chunksAdded.length > 0,
  };
}
