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

/** Global page number (address / 4096) of an address. */
const pageKey = (address: number): number => Math.floor(address / ZEND_MM_PAGE_SIZE);

/** The free slots of every bin: their addresses, and per page how many free slots start there. */
interface FreeSlots {
  readonly lists: Map<number, { addresses: number[]; loops: boolean }>;
  readonly perPage: Map<number, number>;
  readonly all: Set<number>;
}

function freeSlots(heap: ZendHeap): FreeSlots {
  const lists = freeLists(heap);
  const perPage = new Map<number, number>();
  const all = new Set<number>();
  for (const list of lists.values()) {
    for (const a of list.addresses) {
      if (all.has(a)) continue; // a looping list repeats its last entry
      all.add(a);
      const k = pageKey(a);
      perPage.set(k, (perPage.get(k) ?? 0) + 1);
    }
  }
  return { lists, perPage, all };
}

/** The chunk's 512 cells; counts small runs per bin into `runs`. */
function chunkCells(chunk: Chunk, free: FreeSlots, runs: Uint32Array): PageCell[] {
  const cells = new Array<PageCell>(ZEND_MM_PAGES);
  cells[0] = HEADER;
  const basePage = pageKey(chunk.base);
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
        runs[r.bin]++;
        const counts = slotsInPage[r.bin];
        for (let i = 0; i < counts.length && r.page + i < ZEND_MM_PAGES; i++) {
          const freeHere = free.perPage.get(basePage + r.page + i) ?? 0;
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

/** "chunk:0xoffset" of an address. */
function placeText(heap: ZendHeap, address: number): string {
  const offset = address % ZEND_MM_CHUNK_SIZE;
  const num = heap.chunksByBase.get(address - offset)?.num;
  return `${num ?? '?'}:0x${offset.toString(16)}`;
}

/** The chunks, huge blocks and bins of a 7.x/8.x heap. */
export function zend7ViewParts(heap: ZendHeap, owners: OwnerIndex, hugeOrdinal: (address: number) => number): HeapViewParts {
  const free = freeSlots(heap);
  const runs = new Uint32Array(ZEND_MM_BINS);
  const chunks: ChunkView[] = ringChunks(heap)
    .map((c) => ({ num: c.num, freePages: c.freePages, pages: chunkCells(c, free, runs) }))
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
  const cells = chunkCells(chunk, free, new Uint32Array(ZEND_MM_BINS));
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
