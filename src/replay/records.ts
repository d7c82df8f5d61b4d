// The records a replay produces, one per trace operation plus state dumps: plain JSON
// (docs/replay-jsonl.md), printed as JSON Lines by the CLI and compared with real PHP's.

import type { RunState } from '../engine/zend7/inspect';

/** Where a block is: inside a chunk (chunk `num`, byte offset) or a huge block by ordinal. */
export type Place = { readonly chunk: number; readonly offset: number } | { readonly huge: number };

/** Heap counters after an operation (bytes / chunk counts). */
export interface HeapCounters {
  size: number;
  peak: number;
  realSize: number;
  realPeak: number;
  chunks: number;
  cachedChunks: number;
}

/** The extra counters of a state dump. */
export interface StateCounters extends HeapCounters {
  peakChunks: number;
  avgChunks: number;
  deleteBoundary: number;
  deleteCount: number;
}

/** How an operation failed for good: the real process aborts, crashes or hangs there. */
export type FatalKind = 'panic' | 'segfault' | 'hang';

/** The record of one trace operation. Keys appear in this order in the JSON. */
export interface OpRecord {
  op: 'a' | 'f' | 'r' | 'gc' | 'l';
  id?: string;
  /** Request size: a bigint from 2^53 up (printed as exact digits). */
  size?: number | bigint;
  limit?: number | bigint;
  from?: Place | null;
  at?: Place;
  blockSize?: number;
  freed?: number;
  warning?: string;
  error?: string;
  fatal?: FatalKind;
  heap?: HeapCounters;
}

/** A free-list entry: the slot's place; `loop` marks an address seen before (a cycle). */
export type FreeListEntry = Place & { loop?: true };

/** A chunk of the ring in a state dump. */
export interface ChunkRecord {
  num: number;
  freePages: number;
  freeTail: number;
  runs: RunState[];
}

/** A state dump (`d` or the final `end`). */
export interface StateRecord {
  op: 'd' | 'end';
  heap: StateCounters;
  freeLists: Record<string, FreeListEntry[]>;
  chunks: ChunkRecord[];
  cache: number[];
  huge: { huge: number; size: number }[];
}

/** Any line of a replay's JSON Lines output. */
export type ReplayRecord = OpRecord | StateRecord;
