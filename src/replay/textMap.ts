// A readable heap map for terminals: counters, every chunk as a strip of 512 page cells,
// the bins' free lists and the huge blocks.

import { BINS } from '../engine/zend7/bins';
import type { RunState } from '../engine/zend7/inspect';
import type { OpRecord, Place, StateRecord } from './records';

/** Cell characters of small runs, by bin. */
const BIN_CHARS = '0123456789ABCDEFGHIJKLMNOPQRST';

/** The legend printed under the page strips. */
export const MAP_LEGEND =
  "legend: H header page  . free  [== large run  0-9 A-T small run of bin 0..29  ? other";

function placeText(p: Place | null | undefined): string {
  if (p === null || p === undefined) return 'NULL';
  return 'huge' in p ? `huge #${p.huge}` : `chunk ${p.chunk} +0x${p.offset.toString(16)}`;
}

/** One line describing an operation's outcome. */
export function formatOpLine(r: OpRecord): string {
  let head: string;
  switch (r.op) {
    case 'a':
      head = `a ${r.id} ${r.size}`;
      break;
    case 'f':
      head = `f ${r.id}`;
      break;
    case 'r':
      head = `r ${r.id} ${r.size}  from ${placeText(r.from)}`;
      break;
    case 'gc':
      head = 'gc';
      break;
    case 'l':
      head = `l ${r.limit}`;
      break;
  }
  const parts = [head.padEnd(24)];
  if (r.at !== undefined && r.op !== 'f') parts.push(`-> ${placeText(r.at)}  (block ${r.blockSize} B)`);
  if (r.op === 'f' && r.at !== undefined) parts.push(`frees ${placeText(r.at)}`);
  if (r.freed !== undefined) parts.push(`freed ${r.freed} B`);
  if (r.warning) parts.push(`WARNING: ${r.warning}`);
  if (r.error) parts.push(`ERROR: ${r.error}${r.fatal ? ` [${r.fatal}: the real process ends here]` : ''}`);
  if (r.heap) parts.push(`size=${r.heap.size} real=${r.heap.realSize}`);
  return parts.join('  ');
}

/** The 512 cells of a chunk strip. */
function pageCells(runs: RunState[]): string {
  const cells: string[] = ['H'];
  for (const run of runs) {
    switch (run.kind) {
      case 'free':
        cells.push('.'.repeat(run.pages));
        break;
      case 'large':
        cells.push('[' + '='.repeat(run.pages - 1));
        break;
      case 'small':
        cells.push(BIN_CHARS[run.bin].repeat(BINS[run.bin].pages));
        break;
      case 'other':
        cells.push('?');
        break;
    }
  }
  return cells.join('');
}

/** The whole heap map of a state dump. */
export function formatHeapMap(s: StateRecord): string {
  const h = s.heap;
  const out: string[] = [];
  out.push(
    `heap: size=${h.size} peak=${h.peak} real_size=${h.realSize} real_peak=${h.realPeak} ` +
      `chunks=${h.chunks} (peak ${h.peakChunks}, avg ${h.avgChunks}) cached=${h.cachedChunks}`,
  );
  for (const c of s.chunks) {
    out.push(`chunk ${c.num}: ${c.freePages} free pages, free_tail ${c.freeTail}`);
    const cells = pageCells(c.runs);
    for (let row = 0; row < cells.length; row += 64) {
      out.push(`  ${String(row).padStart(3)} ${cells.slice(row, row + 64)}`);
    }
  }
  out.push(MAP_LEGEND);
  if (s.cache.length > 0) out.push(`cached chunks: ${s.cache.join(', ')}`);
  const bins = Object.keys(s.freeLists);
  if (bins.length > 0) {
    out.push('free lists (head first):');
    for (const b of bins) {
      const list = s.freeLists[b];
      const shown = list.slice(0, 6).map(placeText).join(', ');
      out.push(`  bin ${b.padStart(2)} (${BINS[Number(b)].size} B): ${list.length} free: ${shown}${list.length > 6 ? ', …' : ''}`);
    }
  }
  for (const hb of s.huge) {
    out.push(`huge #${hb.huge}: ${hb.size} B`);
  }
  return out.join('\n');
}
