// Bytes of the simulated heap for DAP readMemory: each 8-byte word a chunk holds (free-slot
// links, and on 8.4+ their shadows in the slot's last word), little-endian as on x86-64.
// differs from real memory: page 0 (the chunk header) and block contents read as zero; only
// words the allocator itself writes are modelled. The PHP 5 heap's memory is word-exact
// (block headers, free-list links, segment headers, the heap struct).

import { chunkOffset, ZEND_MM_CHUNK_SIZE } from '../engine/zend7/constants';
import { ZendHeap } from '../engine/zend7/heap';
import type { AnyHeap } from './heapFamily';
import { zend5WordAt } from './zend5Views';

/** What a read found: the bytes of the readable prefix, and how many bytes after it are not mapped. */
export interface MemoryRead {
  readonly address: number;
  readonly bytes: Uint8Array;
  readonly unreadable: number;
}

/** Largest read served at once (bytes). */
export const MAX_READ = 1 << 20;

/** The 8 bytes of the word at 8-aligned `address` in a chunk, or undefined if not in a chunk. */
function wordAt(heap: AnyHeap, address: number): bigint | undefined {
  if (!(heap instanceof ZendHeap)) return zend5WordAt(heap, address);
  const offset = chunkOffset(address);
  const chunk = heap.chunksByBase.get(address - offset);
  if (chunk === undefined) return heap.space.find(address) !== undefined ? 0n : undefined;
  const word = chunk.readWord(offset);
  // a shadow is stored apart from the links; where no link is, the shadow word shows
  return word !== 0 ? BigInt(word) : chunk.readShadow(offset);
}

/** Reads `count` bytes from `address`; stops at the first unmapped byte. */
export function readHeapMemory(heap: AnyHeap, address: number, count: number): MemoryRead {
  const n = Math.max(0, Math.min(count, MAX_READ));
  const out = new Uint8Array(n);
  const view = new DataView(out.buffer);
  let i = 0;
  while (i < n) {
    const at = address + i;
    const aligned = at - (at % 8);
    const word = wordAt(heap, aligned);
    if (word === undefined) break;
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, word & 0xffffffffffffffffn, true);
    for (let b = at - aligned; b < 8 && i < n; b++) view.setUint8(i++, bytes[b]);
  }
  return { address, bytes: out.subarray(0, i), unreadable: n - i };
}

/** Parses a DAP memory reference ("0x7f0000600000" or decimal) plus an offset. */
export function parseMemoryReference(ref: string, offset = 0): number | undefined {
  const t = ref.trim();
  const v = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isSafeInteger(v + offset) && v + offset >= 0 ? v + offset : undefined;
}

/** The memory reference of an address. */
export function memoryReference(address: number): string {
  return `0x${address.toString(16)}`;
}

/** True when `address` lies in a chunk or huge block of `heap`. */
export function isHeapAddress(heap: AnyHeap, address: number): boolean {
  if (!(heap instanceof ZendHeap)) return address !== 0 && heap.memory.space.find(address) !== undefined;
  return address !== 0 && (heap.chunksByBase.has(address - (address % ZEND_MM_CHUNK_SIZE)) || heap.space.find(address) !== undefined);
}
