// Free-slot links: the next pointer in a free slot's first word and, with heap protection
// (8.4+), its shadow in the slot's last word — zend_mm_set_next_free_slot and
// zend_mm_get_next_free_slot.

import { binDataSize } from './bins';
import { HeapCorrupted, SegmentationFault } from './errors';
import type { ZendHeap } from './heap';
import type { Chunk } from './chunk';
import { chunkOffset } from './constants';

const U64 = 2n ** 64n - 1n;

/** BSWAPPTR: the 8 bytes of a 64-bit value in reverse order. */
export function bswap64(v: bigint): bigint {
  let out = 0n;
  for (let i = 0; i < 8; i++) {
    out = (out << 8n) | ((v >> BigInt(8 * i)) & 0xffn);
  }
  return out;
}

/** zend_mm_encode_free_slot (little-endian hosts): bswap(ptr) XOR key. */
export function encodeFreeSlot(key: bigint, ptr: number): bigint {
  return (bswap64(BigInt(ptr)) ^ key) & U64;
}

/** zend_mm_decode_free_slot (little-endian hosts): bswap(shadow XOR key). */
export function decodeFreeSlot(key: bigint, shadow: bigint): number {
  return Number(bswap64((shadow ^ key) & U64));
}

/** The mapped chunk holding `slot`, whose link is being read or written: none crashes. */
export function chunkOfSlot(heap: ZendHeap, slot: number, access: 'reading' | 'writing'): Chunk {
  const chunk = heap.chunkAt(slot - chunkOffset(slot));
  if (chunk === undefined) {
    throw new SegmentationFault(`${access} 0x${slot.toString(16)}: not mapped`);
  }
  return chunk;
}

/**
 * zend_mm_set_next_free_slot(heap, bin, slot, next): the link, and its shadow when protected.
 * Returns the chunk written to.
 */
export function setNextFreeSlot(heap: ZendHeap, bin: number, slot: number, next: number): Chunk {
  const chunk = chunkOfSlot(heap, slot, 'writing');
  setNextFreeSlotIn(heap, chunk, bin, chunkOffset(slot), next);
  return chunk;
}

/**
 * zend_mm_set_next_free_slot for a slot at `offset` in `chunk`, already found: the link in
 * the slot's first word and, when protected, its shadow in the slot's last word.
 */
export function setNextFreeSlotIn(heap: ZendHeap, chunk: Chunk, bin: number, offset: number, next: number): void {
  chunk.writeWord(offset, next);
  if (heap.profile.switches.shadowPointers) {
    chunk.writeShadow(offset + binDataSize[bin] - 8, encodeFreeSlot(heap.shadowKey, next));
  }
}

/**
 * zend_mm_get_next_free_slot(heap, bin, slot): the link; with heap protection a non-NULL link
 * must match its decoded shadow, else zend_mm_panic("zend_mm_heap corrupted").
 */
export function getNextFreeSlot(heap: ZendHeap, bin: number, slot: number): number {
  return getNextFreeSlotIn(heap, chunkOfSlot(heap, slot, 'reading'), bin, chunkOffset(slot));
}

/** zend_mm_get_next_free_slot for a slot at `offset` in `chunk`, already found. */
export function getNextFreeSlotIn(heap: ZendHeap, chunk: Chunk, bin: number, offset: number): number {
  const next = chunk.readWord(offset);
  if (next !== 0 && heap.profile.switches.shadowPointers) {
    const shadow = chunk.readShadow(offset + binDataSize[bin] - 8);
    if (next !== decodeFreeSlot(heap.shadowKey, shadow)) {
      throw new HeapCorrupted();
    }
  }
  return next;
}
