// Builds the update that turns one snapshot into the next: changed pages of the chunks both
// hold, chunks added or removed, changed bin rows, new timeline points. Pure.

import type { BinRow, ChunkView, HeapSnapshot, HeapUpdate, HugeView, PageCell, PageChange, SegmentView } from './heapSnapshot';

/** True when two page cells show the same thing. */
export function sameCell(a: PageCell, b: PageCell): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'header':
    case 'free':
      return true;
    case 'large': {
      const o = b as typeof a;
      return a.first === o.first && a.pages === o.pages;
    }
    case 'small': {
      const o = b as typeof a;
      return a.first === o.first && a.bin === o.bin && a.used === o.used && a.slots === o.slots;
    }
    case 'other':
      return a.map === (b as typeof a).map;
  }
}

function sameBin(a: BinRow, b: BinRow): boolean {
  if (a.runs !== b.runs || a.live !== b.live || a.free !== b.free || a.freeList.length !== b.freeList.length) return false;
  for (let i = 0; i < a.freeList.length; i++) if (a.freeList[i] !== b.freeList[i]) return false;
  return true;
}

function sameJson(a: readonly HugeView[] | readonly SegmentView[], b: readonly HugeView[] | readonly SegmentView[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The update from `prev` to `next`, which must be later snapshots of the same heap (same
 * version and family, next.timeline extending prev.timeline). A reset is sent as a snapshot.
 */
export function diffHeapSnapshots(prev: HeapSnapshot, next: HeapSnapshot): HeapUpdate {
  const before = new Map<number, ChunkView>();
  for (const c of prev.chunks) before.set(c.num, c);
  const pages: PageChange[] = [];
  const chunksAdded: ChunkView[] = [];
  const kept = new Set<number>();
  for (const c of next.chunks) {
    const old = before.get(c.num);
    if (old === undefined) {
      chunksAdded.push(c);
      continue;
    }
    kept.add(c.num);
    if (old === c) continue; // the host reuses the view of an unchanged chunk
    for (let p = 0; p < c.pages.length; p++) {
      if (!sameCell(old.pages[p], c.pages[p])) pages.push({ chunk: c.num, page: p, cell: c.pages[p] });
    }
  }
  const chunksRemoved = prev.chunks.filter((c) => !kept.has(c.num)).map((c) => c.num);
  const bins = next.bins.filter((b) => {
    const old = prev.bins[b.bin];
    return old === undefined || !sameBin(old, b);
  });
  return {
    fromSeq: prev.seq,
    seq: next.seq,
    version: next.version,
    counters: next.counters,
    pages,
    chunksAdded,
    chunksRemoved,
    bins,
    huge: sameJson(prev.huge, next.huge) ? null : next.huge,
    segments: sameJson(prev.segments, next.segments) ? null : next.segments,
    timelineAppended: next.timeline.slice(prev.timeline.length),
    halted: next.halted,
  };
}
