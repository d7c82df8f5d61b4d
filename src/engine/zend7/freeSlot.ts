// Free-slot links: the next pointer in a free slot's first word and, with heap protection
// (8.4+), its shadow in the slot's last word — zend_mm_set_next_free_slot and
// zend_mm_get_next_free_slot.

import { binDataSize } from './bins';
import { HeapCorrupted, SegmentationFault } from './errors';
import type { ZendHeap } from './heap';
import { ZEND_MM_CHUNK_SIZE } from './constants';

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

/** Where the shadow of `slot` lives: its last pointer-sized word. */
function shadowOffset(slot: number, bin: number): number {
  return (slot % ZEND_MM_CHUNK_SIZE) + binDataSize[bin] - 8;
}

/** zend_mm_set_next_free_slot(heap, bin, slot, next): the link, and its shadow when protected. */
export function setNextFreeSlot(heap: ZendHeap, bin: number, slot: number, next: number): void {
  heap.writeWord(slot, next);
  if (heap.profile.switches.shadowPointers) {
    const chunk = heap.chunksByBase.get(slot - (slot % ZEND_MM_CHUNK_SIZE));
    if (chunk === undefined) throw new SegmentationFault(`writing 0x${slot.toString(16)}: not mapped`);
    chunk.writeShadow(shadowOffset(slot, bin), encodeFreeSlot(heap.shadowKey, next));
  }
}

/**
 * zend_mm_get_next_free_slot(heap, bin, slot): the link; with heap protection a non-NULL link
 * must match its decoded shadow, else zend_mm_panic("zend_mm_heap corrupted").
 */
export function getNextFreeSlot(heap: ZendHeap, bin: number, slot: number): number {
  const next = heap.readWord(slot);
  if (next !== 0 && heap.profile.switches.shadowPointers) {
    const chunk = heap.chunksByBase.get(slot - (slot % ZEND_MM_CHUNK_SIZE));
    const shadow = chunk?.readShadow(shadowOffset(slot, bin)) ?? 0n;
    if (next !== decodeFreeSlot(heap.shadowKey, shadow)) {
      throw new HeapCorrupted();
    }
  }
  return next;
}
