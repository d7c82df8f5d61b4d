// The variables view of a stop: Heap (counters, limit), Bins (free-list head, length, slots),
// Chunks (num, free_pages, free_tail, page map summary), Huge blocks, the C frame's locals
// and the program's blocks. Children are made when the client expands them.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { BINS } from '../engine/zend7/bins';
import { ZendHeap } from '../engine/zend7/heap';
import type { AnyHeap } from './heapFamily';
import { zend5BlockRecord } from './zend5Views';
import { cachedChunks, chunkRuns, freeList, ringChunks, RunState } from '../engine/zend7/inspect';
import type { LocalValue } from '../engine/step';
import { blockRecord } from './evalScope';
import type { Value } from './expression';
import { isHeapAddress, memoryReference } from './heapMemory';
import type { Bindings } from './timeline';
import type { IdBlock } from './traceMachine';

/** A node the client can expand: its children are computed on demand. */
type Children = () => DebugProtocol.Variable[];

/** Most list entries (free-list slots, runs) shown under one node. */
const LIST_LIMIT = 256;

/** Hands out variablesReference numbers for one stop; cleared at every stop. */
export class VariableStore {
  private readonly nodes: Children[] = [];

  clear(): void {
    this.nodes.length = 0;
  }

  /** A reference for `children` (1-based; 0 means "no children" in DAP). */
  add(children: Children): number {
    this.nodes.push(children);
    return this.nodes.length;
  }

  children(ref: number): DebugProtocol.Variable[] {
    return this.nodes[ref - 1]?.() ?? [];
  }

  /** A DAP variable for an expression result (records and lists expandable). */
  variable(name: string, value: Value, hexAddresses = false): DebugProtocol.Variable {
    if (Array.isArray(value)) {
      const list = value as readonly Value[];
      return { name, value: `[${list.length}]`, variablesReference: this.add(() => list.slice(0, LIST_LIMIT).map((v, i) => this.variable(`[${i}]`, v, hexAddresses))), indexedVariables: list.length };
    }
    if (value !== null && typeof value === 'object') {
      const rec = value as { readonly [f: string]: Value };
      return { name, value: summary(rec), variablesReference: this.add(() => Object.entries(rec).map(([k, v]) => this.variable(k, v, hexAddresses || k === 'address'))) };
    }
    return { name, value: formatValue(value, hexAddresses), variablesReference: 0 };
  }
}

function summary(rec: { readonly [f: string]: Value }): string {
  return `{ ${Object.entries(rec)
    .slice(0, 4)
    .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? '…' : formatValue(v, k === 'address')}`)
    .join(', ')}${Object.keys(rec).length > 4 ? ', …' : ''} }`;
}

/** A scalar as the views show it: addresses in hex, the rest as written. */
export function formatValue(v: Value | LocalValue, hex = false): string {
  if (typeof v === 'number' && hex) return `0x${v.toString(16)}`;
  if (typeof v === 'string') return v;
  return String(v);
}

function scalar(name: string, value: number | string, address = false): DebugProtocol.Variable {
  const v: DebugProtocol.Variable = { name, value: typeof value === 'number' && address ? `0x${value.toString(16)}` : String(value), variablesReference: 0 };
  if (address && typeof value === 'number' && value !== 0) v.memoryReference = memoryReference(value);
  return v;
}

/** Heap: zend_mm_heap's counters and limit. */
export function heapVariables(heap: ZendHeap): DebugProtocol.Variable[] {
  return [
    scalar('size', heap.size),
    scalar('peak', heap.peak),
    scalar('real_size', heap.realSize),
    scalar('real_peak', heap.realPeak),
    scalar('limit', heap.limitText()),
    scalar('chunks_count', heap.chunksCount),
    scalar('peak_chunks_count', heap.peakChunksCount),
    scalar('cached_chunks_count', heap.cachedChunksCount),
    scalar('avg_chunks_count', heap.avgChunksCount),
    scalar('last_chunks_delete_boundary', heap.lastChunksDeleteBoundary),
    scalar('last_chunks_delete_count', heap.lastChunksDeleteCount),
    scalar('main_chunk', heap.mainChunk.base, true),
  ];
}

/** Bins: one node per bin with its free-list head, length and slots. */
export function binVariables(heap: ZendHeap, store: VariableStore): DebugProtocol.Variable[] {
  return BINS.map((b) => {
    const list = freeList(heap, b.bin);
    const head = heap.freeSlot[b.bin];
    const value = head === 0 ? `${b.size} B: free list empty` : `${b.size} B: head 0x${head.toString(16)}, ${list.addresses.length}${list.loops ? ' (loops)' : ''} free`;
    const ref = store.add(() => [
      scalar('free_slot (head)', head, true),
      scalar('length', list.addresses.length),
      scalar('slot size', b.size),
      scalar('slots per run', b.elements),
      scalar('pages per run', b.pages),
      {
        name: 'slots',
        value: `[${list.addresses.length}]`,
        variablesReference: store.add(() => list.addresses.slice(0, LIST_LIMIT).map((a, i) => scalar(`[${i}]`, a, true))),
        indexedVariables: list.addresses.length,
      },
    ]);
    return { name: `bin ${b.bin}`, value, variablesReference: ref };
  });
}

function runText(r: RunState): string {
  switch (r.kind) {
    case 'small':
      return `page ${r.page}: small run, bin ${r.bin}`;
    case 'large':
      return `pages ${r.page}-${r.page + r.pages - 1}: large run (${r.pages} pages)`;
    case 'free':
      return `pages ${r.page}-${r.page + r.pages - 1}: free`;
    case 'other':
      return `page ${r.page}: map 0x${r.map.toString(16)}`;
  }
}

/** Chunks: the ring from the main chunk, then the cache. */
export function chunkVariables(heap: ZendHeap, store: VariableStore): DebugProtocol.Variable[] {
  const out: DebugProtocol.Variable[] = [];
  const add = (label: string, c: ReturnType<typeof ringChunks>[number]): void => {
    const runs = chunkRuns(c);
    const small = runs.filter((r) => r.kind === 'small').length;
    const large = runs.filter((r) => r.kind === 'large').length;
    out.push({
      name: label,
      value: `0x${c.base.toString(16)}: ${c.freePages} free pages, ${small} small runs, ${large} large runs`,
      memoryReference: memoryReference(c.base),
      variablesReference: store.add(() => [
        scalar('num', c.num),
        scalar('free_pages', c.freePages),
        scalar('free_tail', c.freeTail),
        scalar('address', c.base, true),
        { name: 'page map', value: `${runs.length} runs`, variablesReference: store.add(() => runs.slice(0, LIST_LIMIT).map((r, i) => scalar(`[${i}]`, runText(r)))), indexedVariables: runs.length },
      ]),
    });
  };
  for (const c of ringChunks(heap)) add(`chunk ${c.num}`, c);
  for (const c of cachedChunks(heap)) add(`cached chunk (was ${c.num})`, c);
  return out;
}

/** Huge blocks: heap->huge_list, newest first. */
export function hugeVariables(heap: ZendHeap): DebugProtocol.Variable[] {
  const out: DebugProtocol.Variable[] = [];
  let i = 0;
  for (let n = heap.hugeList; n !== null && i < LIST_LIMIT; n = n.next, i++) {
    out.push({ name: `[${i}]`, value: `0x${n.ptr.toString(16)}, ${n.size} B`, variablesReference: 0, memoryReference: memoryReference(n.ptr) });
  }
  return out;
}

/** A C frame's locals (addresses in hex with a memory reference). */
export function localVariables(locals: Readonly<Record<string, LocalValue>>, heap: AnyHeap): DebugProtocol.Variable[] {
  return Object.entries(locals).map(([name, v]) => {
    if (typeof v === 'number' && v > 0xffffffff && isHeapAddress(heap, v)) return scalar(name, v, true);
    return { name, value: formatValue(v), variablesReference: 0 };
  });
}

/** The program's blocks: each script variable (or trace ID) and where its block is. */
export function blockVariables(heap: AnyHeap, bindings: Bindings, store: VariableStore): DebugProtocol.Variable[] {
  const out: DebugProtocol.Variable[] = [];
  const named = new Set<string>();
  for (const [name, id] of bindings.names) {
    named.add(id);
    const block = bindings.ids.get(id);
    if (block !== undefined) out.push(withMemory(store.variable(name, recordOf(heap, block)), block.address));
  }
  let shown = 0;
  for (const [id, block] of bindings.ids) {
    if (named.has(id) || !block.live) continue;
    if (shown++ >= LIST_LIMIT) break;
    out.push(withMemory(store.variable(`$${id}`, recordOf(heap, block)), block.address));
  }
  return out;
}

function recordOf(heap: AnyHeap, block: IdBlock): { readonly [f: string]: Value } {
  return heap instanceof ZendHeap ? blockRecord(heap, block) : zend5BlockRecord(heap, block);
}

function withMemory(v: DebugProtocol.Variable, address: number): DebugProtocol.Variable {
  return { ...v, memoryReference: memoryReference(address) };
}
