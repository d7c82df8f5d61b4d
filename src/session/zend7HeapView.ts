// Builds the inspector's view of a 7.x/8.x heap: each ring chunk's 512 page cells (small runs
// with slot occupancy from the bins' free lists), huge blocks, the bin table, page details.

import { BINS, binElements, binPages } from '../engine/zend7/bins';
import { Chunk } from '../engine/zend7/chunk';
import { ZEND_MM_BINS, ZEND_MM_CHUNK_SIZE, ZEND_MM_PAGE_SIZE, ZEND_MM_PAGES } from '../engine/zend7/constants';
import type { ZendHeap } from '../engine/zend7/heap';
import { chunkRuns, freeLists, ringChunks } from '../engine/zend7/inspect';
import { BinRow, ChunkView, FREE_LIST_SHOWN, HugeView, PageCell, PageDetails } from '../protocol/heapSnapshot';
import type { HeapViewParts, OwnerIndex } from './heapBackend';

const HEADER: PageCell = { kind: 'header' };
const FREE: PageCell = { kind: 'free' };

/** slotsInPage[bin][i]: how many of a run's slots start in its page i. */
const slotsInPage: number[][] = BINS.map((b) => {
  const counts = new Array<number>(b.pages).fill(0);
  for (let s = 0; s < b.elements; s++) counts[Math.floor((s * b.size) / ZEND_MM_PAGE_SIZE)]++;
  return counts;
});

/** The free slots of every bin: their addresses, and per chunk how many free slots start in each page. */
interface FreeSlots {
  readonly lists: Map<number, { addresses: number[]; loops: boolean }>;
  /** Chunk base address → free slots starting in each of its 512 pages. */
  readonly perChunk: Map<number, Uint32Array>;
  readonly all: Set<number>;
}

/** No free slot in any page. */
const NO_FREE_SLOTS = new Uint32Array(ZEND_MM_PAGES);

function freeSlots(heap: ZendHeap): FreeSlots {
  const lists = freeLists(heap);
  const perChunk = new Map<number, Uint32Array>();
  const all = new Set<number>();
  for (const list of lists.values()) {
    for (const a of list.addresses) {
      if (all.has(a)) continue; // a looping list repeats its last entry
      all.add(a);
      const offset = a % ZEND_MM_CHUNK_SIZE;
      const base = a - offset;
      let counts = perChunk.get(base);
      if (counts === undefined) perChunk.set(base, (counts = new Uint32Array(ZEND_MM_PAGES)));
      counts[Math.floor(offset / ZEND_MM_PAGE_SIZE)]++;
    }
  }
  return { lists, perChunk, all };
}

/** The chunk's 512 cells. */
function chunkCells(chunk: Chunk, free: FreeSlots): PageCell[] {
  const cells = new Array<PageCell>(ZEND_MM_PAGES);
  cells[0] = HEADER;
  const freeCounts = free.perChunk.get(chunk.base) ?? NO_FREE_SLOTS;
  for (const r of chunkRuns(chunk)) {
    switch (r.kind) {
      case 'free':
        for (let p = r.page; p < r.page + r.pages; p++) cells[p] = FREE;
        break;
      case 'large': {
        const cell: PageCell = { kind: 'large', first: r.page, pages: r.pages };
        for (let p = r.page; p < r.page + r.pages && p < ZEND_MM_PAGES; p++) cells[p] = cell;
        break;
      }
      case 'small': {
        const counts = slotsInPage[r.bin];
        for (let i = 0; i < counts.length && r.page + i < ZEND_MM_PAGES; i++) {
          const freeHere = freeCounts[r.page + i];
          cells[r.page + i] = { kind: 'small', first: r.page, bin: r.bin, used: Math.max(0, counts[i] - freeHere), slots: counts[i] };
        }
        break;
      }
      case 'other':
        cells[r.page] = { kind: 'other', map: r.map };
        break;
    }
  }
  return cells;
}

/** What a chunk's view was built from, to tell whether it can be reused. */
interface ChunkSource {
  readonly num: number;
  readonly freePages: number;
  readonly map: Uint32Array;
  readonly freeMap: Uint32Array;
  /** Free slots starting in each page. */
  readonly freeCounts: Uint32Array;
  readonly view: ChunkView;
  /** Small runs per bin in this chunk. */
  readonly runs: Uint32Array;
}

/**
 * Chunk views of the last snapshot, by chunk: a chunk whose header, page map, free map and
 * per-page free-slot counts are all unchanged keeps its view (the same object), so building a
 * snapshot of a large heap after one operation rebuilds only the chunks that operation changed.
 */
export class Zend7ViewCache {
  private readonly sources = new WeakMap<Chunk, ChunkSource>();

  /** The view of `chunk` and its small runs per bin. */
  chunk(chunk: Chunk, free: FreeSlots): { view: ChunkView; runs: Uint32Array } {
    const freeCounts = free.perChunk.get(chunk.base) ?? NO_FREE_SLOTS;
    const old = this.sources.get(chunk);
    if (
      old !== undefined &&
      old.num === chunk.num &&
      old.freePages === chunk.freePages &&
      sameWords(old.map, chunk.map) &&
      sameWords(old.freeMap, chunk.freeMap) &&
      sameWords(old.freeCounts, freeCounts)
    ) {
      return old;
    }
    const view: ChunkView = { num: chunk.num, freePages: chunk.freePages, pages: chunkCells(chunk, free) };
    const runs = new Uint32Array(ZEND_MM_BINS);
    for (let p = 1; p < ZEND_MM_PAGES; p++) {
      const c = view.pages[p];
      if (c.kind === 'small' && c.first === p) runs[c.bin]++;
    }
    const source: ChunkSource = { num: chunk.num, freePages: chunk.freePages, map: chunk.map.slice(), freeMap: chunk.freeMap.slice(), freeCounts, view, runs };
    this.sources.set(chunk, source);
    return source;
  }
}

function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** "chunk:0xoffset" of an address. */
function placeText(heap: ZendHeap, address: number): string {
  const offset = address % ZEND_MM_CHUNK_SIZE;
  const num = heap.chunksByBase.get(address - offset)?.num;
  return `${num ?? '?'}:0x${offset.toString(16)}`;
}

/** The chunks, huge blocks and bins of a 7.x/8.x heap. */
export function zend7ViewParts(heap: ZendHeap, owners: OwnerIndex, hugeOrdinal: (address: number) => number, cache: Zend7ViewCache = new Zend7ViewCache()): HeapViewParts {
  const free = freeSlots(heap);
  const runs = new Uint32Array(ZEND_MM_BINS);
  const chunks: ChunkView[] = ringChunks(heap)
    .map((c) => {
      const built = cache.chunk(c, free);
      for (let b = 0; b < ZEND_MM_BINS; b++) runs[b] += built.runs[b];
      return built.view;
    })
    .sort((a, b) => a.num - b.num);
  const huge: HugeView[] = [];
  for (let n = heap.hugeList; n !== null; n = n.next) {
    huge.push({ huge: hugeOrdinal(n.ptr), size: n.size, owners: [...(owners.get(n.ptr) ?? [])] });
  }
  huge.sort((a, b) => a.huge - b.huge);
  const bins: BinRow[] = BINS.map((b) => {
    const list = free.lists.get(b.bin);
    const freeCount = list === undefined ? 0 : new Set(list.addresses).size;
    return {
      bin: b.bin,
      slotSize: b.size,
      runPages: b.pages,
      runs: runs[b.bin],
      live: runs[b.bin] * b.elements - freeCount,
      free: freeCount,
      freeList: (list?.addresses ?? []).slice(0, FREE_LIST_SHOWN).map((a) => placeText(heap, a)),
    };
  });
  return { chunks, huge, bins, segments: [] };
}

/** The C function that hands out a run of this kind. */
function allocatorOf(cell: PageCell): string | null {
  switch (cell.kind) {
    case 'small':
      return 'zend_mm_alloc_small';
    case 'large':
      return 'zend_mm_alloc_large';
    default:
      return null;
  }
}

/** Details of one page of chunk `num`, with the slots of its run and who holds them. */
export function zend7PageDetails(heap: ZendHeap, num: number, page: number, owners: OwnerIndex): PageDetails | undefined {
  const chunk = ringChunks(heap).find((c) => c.num === num);
  if (chunk === undefined || page < 0 || page >= ZEND_MM_PAGES) return undefined;
  const free = freeSlots(heap);
  const cells = chunkCells(chunk, free);
  const cell = cells[page];
  const slots: PageDetails['slots'] = [];
  const runOwners: string[] = [];
  let title: string;
  let runOffset = page * ZEND_MM_PAGE_SIZE;
  switch (cell.kind) {
    case 'header':
      title = `chunk ${num}, page 0: the chunk header${chunk === heap.mainChunk ? ' (and the heap struct)' : ''}`;
      break;
    case 'free':
      title = `chunk ${num}, page ${page}: free`;
      break;
    case 'large': {
      runOffset = cell.first * ZEND_MM_PAGE_SIZE;
      runOwners.push(...(owners.get(chunk.base + runOffset) ?? []));
      title = `chunk ${num}, page ${page}: large run of ${cell.pages} page${cell.pages > 1 ? 's' : ''} from page ${cell.first} (${cell.pages * ZEND_MM_PAGE_SIZE} bytes)`;
      break;
    }
    case 'small': {
      runOffset = cell.first * ZEND_MM_PAGE_SIZE;
      const b = BINS[cell.bin];
      let used = 0;
      for (let s = 0; s < binElements[cell.bin]; s++) {
        const offset = runOffset + s * b.size;
        const address = chunk.base + offset;
        const isUsed = !free.all.has(address);
        const names = [...(owners.get(address) ?? [])];
        if (isUsed) used++;
        runOwners.push(...names);
        slots.push({ index: s, offset, used: isUsed, owners: names });
      }
      title = `chunk ${num}, page ${page}: small run of bin ${cell.bin} (${b.size}-byte slots, ${binPages[cell.bin]} page${binPages[cell.bin] > 1 ? 's' : ''} from page ${cell.first}), ${used} of ${b.elements} slots used`;
      break;
    }
    case 'other':
      title = `chunk ${num}, page ${page}: map entry 0x${cell.map.toString(16)} (not a run start)`;
      break;
  }
  return { chunk: num, page, title, cell, runOffset, slots, owners: runOwners, allocator: allocatorOf(cell) };
}
