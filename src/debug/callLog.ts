// One line per completed call for the debug console, e.g.
//   b = emalloc(100) → chunk 0 +12288, bin 10 (112 B)

import { binDataSize } from '../engine/zend7/bins';
import { chunkOffset, isSrun, pageOf, ZEND_MM_LRUN_PAGES, ZEND_MM_PAGE_SIZE, ZEND_MM_SRUN_BIN_NUM } from '../engine/zend7/constants';
import { ZendHeap } from '../engine/zend7/heap';
import type { AnyHeap } from './heapFamily';
import { describeZend5Block } from './zend5Views';
import type { CallOutcome } from './traceMachine';
import type { ProgramOp } from './programOps';

/** Where a block is, in words: "chunk 0 +12288, bin 10 (112 B)", "chunk 1 +8192, 3 pages (12288 B)", "huge 0x7f… (2097152 B)". */
export function describeBlock(heap: AnyHeap, address: number): string {
  if (!(heap instanceof ZendHeap)) return describeZend5Block(heap, address);
  const offset = chunkOffset(address);
  if (offset === 0) {
    for (let n = heap.hugeList; n !== null; n = n.next) {
      if (n.ptr === address) return `huge block 0x${address.toString(16)} (${n.size} B)`;
    }
    return `0x${address.toString(16)}`;
  }
  const chunk = heap.chunksByBase.get(address - offset);
  if (chunk === undefined) return `0x${address.toString(16)} (not mapped)`;
  const info = chunk.map[pageOf(address)];
  if (isSrun(info)) {
    const bin = ZEND_MM_SRUN_BIN_NUM(info);
    return `chunk ${chunk.num} +${offset}, bin ${bin} (${binDataSize[bin]} B)`;
  }
  const pages = ZEND_MM_LRUN_PAGES(info);
  return `chunk ${chunk.num} +${offset}, ${pages} page${pages === 1 ? '' : 's'} (${pages * ZEND_MM_PAGE_SIZE} B)`;
}

/** Where a freed block was: "chunk 0 +8192" while its chunk is mapped, else its address. */
export function describePlace(heap: AnyHeap, address: number): string {
  if (!(heap instanceof ZendHeap)) return `0x${address.toString(16)}`;
  const offset = chunkOffset(address);
  const chunk = offset === 0 ? undefined : heap.chunksByBase.get(address - offset);
  return chunk === undefined ? `0x${address.toString(16)}` : `chunk ${chunk.num} +${offset}`;
}

/** The console line of a call that just completed on `heap`. */
export function formatCall(p: ProgramOp, outcome: CallOutcome, heap: AnyHeap): string {
  if (outcome.error !== undefined) {
    return `${p.label} → ${outcome.fatal === true ? 'fatal: ' : 'error: '}${outcome.error}`;
  }
  switch (p.op.op) {
    case 'a':
    case 'r':
      return `${p.label} → ${outcome.address === undefined ? '?' : describeBlock(heap, outcome.address)}`;
    case 'f':
      return `${p.label} → freed ${describePlace(heap, outcome.released ?? 0)}`;
    case 'gc':
      if (!(heap instanceof ZendHeap)) return p.label;
      return `${p.label} → ${heap.chunksCount} chunk${heap.chunksCount === 1 ? '' : 's'}, ${heap.cachedChunksCount} cached, real_size ${heap.realSize}`;
    case 'l':
      return `${p.label} → limit ${heap instanceof ZendHeap ? heap.limitText() : heap.limit.toString()}`;
    case 'd':
      return `${p.label} → size ${heap.size}, real_size ${heap.realSize}`;
  }
}
