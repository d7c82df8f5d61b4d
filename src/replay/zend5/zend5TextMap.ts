// The `text` format of a 5.x replay: one readable line per operation and a segment map per
// state dump.

import { Zend5BlockRef, Zend5OpRecord, Zend5Place, Zend5StateRecord } from './zend5Records';

function place(p: Zend5Place): string {
  return `seg ${p.segment} +${p.offset}`;
}

function ref(b: Zend5BlockRef): string {
  return `${b.segment}:${b.offset}:${b.size}`;
}

function counters(r: Zend5OpRecord): string {
  const h = r.heap;
  return `[size ${h.size} peak ${h.peak} real ${h.realSize} real_peak ${h.realPeak} cached ${h.cached}]`;
}

/** One operation as a line of text. */
export function formatZend5Op(r: Zend5OpRecord): string {
  const what =
    r.op === 'a'
      ? `emalloc(${r.size}) #${r.id}`
      : r.op === 'f'
        ? `efree #${r.id}`
        : r.op === 'r'
          ? `erealloc #${r.id} to ${r.size}`
          : r.op === 'l'
            ? `memory_limit ${r.bytes} -> ${r.limit}`
            : 'gc';
  let result = '';
  if (r.error !== undefined) {
    result = `${r.error.toUpperCase()}${r.message ? `: ${r.message}` : ''}`;
  } else if (r.op === 'r') {
    result = `${place(r.from as Zend5Place)} (${r.fromBlockSize}) -> ${place(r.at as Zend5Place)} (${r.blockSize})`;
  } else if (r.at !== undefined) {
    result = `${place(r.at)} (${r.blockSize} bytes)`;
  }
  return `${what.padEnd(32)} ${result} ${counters(r)}`.replace(/ +\[/, ' [');
}

/** A state dump as a segment map. */
export function formatZend5Map(s: Zend5StateRecord): string {
  const h = s.heap;
  const out: string[] = [];
  out.push(`== ${s.op === 'end' ? 'final state' : 'dump'}`);
  out.push(
    `heap: size ${h.size}, peak ${h.peak}, real ${h.realSize}, real peak ${h.realPeak}, cached ${h.cached}, ` +
      `limit ${h.limit}, block_size ${h.blockSize}, overflow ${h.overflow}, reserve ${h.reserve === null ? 'none' : place(h.reserve)}`,
  );
  out.push(`bitmaps: free ${s.bitmaps.free} large ${s.bitmaps.large}`);
  for (const seg of s.segments) {
    out.push(`segment ${seg.segment} (${seg.size} bytes)`);
    for (const b of seg.blocks) {
      const kind = b.type === 'U' ? (b.tag === 'R' ? 'reserve' : b.tag === 'C' ? 'cached' : b.tag === undefined ? 'used' : `#${b.tag}`) : b.type === 'F' ? 'free' : 'guard';
      out.push(`  +${String(b.offset).padEnd(9)} ${String(b.size).padStart(9)}  ${kind}`);
    }
  }
  for (const c of s.cache) out.push(`cache[${c.index}]: ${c.blocks.map(ref).join(' ')}`);
  for (const f of s.free) out.push(`free[${f.index}]: ${f.blocks.map(ref).join(' ')}`);
  for (const l of s.large) out.push(`large[${l.index}] ${l.path}: ${l.blocks.map(ref).join(' +')}`);
  out.push(`rest: ${s.rest.length === 0 ? '(empty)' : s.rest.map(ref).join(' ')}`);
  return out.join('\n');
}
