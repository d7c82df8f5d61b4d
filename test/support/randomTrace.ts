// Seeded random raw traces shaped like PHP programs: a size mix dominated by small blocks,
// bursts, frees in LIFO/FIFO/random order, reallocs, gc calls, and phases that create and
// release many chunks. Every trace starts with one block that is never freed (real PHP
// always has live data in its main chunk; see the gc note in the oracle tests).

import { Random } from './random';

/** ZEND_MM_MAX_LARGE_SIZE: above it a request is huge. */
const MAX_LARGE = 2093056;

/** Which mix of operations a trace stresses. */
export type Workload = 'php-mix' | 'small-churn' | 'large-fragmentation' | 'chunk-churn' | 'realloc-heavy' | 'limits';

export const WORKLOADS: readonly Workload[] = ['php-mix', 'small-churn', 'large-fragmentation', 'chunk-churn', 'realloc-heavy', 'limits'];

/** Options of a generated trace. */
export interface RandomTraceOptions {
  seed: number;
  ops: number;
  workload: Workload;
  /** Largest huge request, bytes (default 8 MiB). */
  maxHuge?: number;
}

/** A request size for the workload. */
function size(r: Random, w: Workload, maxHuge: number): number {
  const x = r.next();
  switch (w) {
    case 'small-churn':
      return x < 0.9 ? r.int(0, 256) : r.int(257, 3072);
    case 'large-fragmentation':
      return x < 0.3 ? r.int(1, 3072) : x < 0.95 ? r.int(3073, 64 * 4096) : r.int(64 * 4096, 2093056);
    case 'chunk-churn':
      return x < 0.2 ? r.int(1, 512) : x < 0.9 ? r.int(100 * 4096, 2093056) : r.int(2093057, maxHuge);
    case 'limits':
      return x < 0.5 ? r.int(1, 3072) : x < 0.9 ? r.int(3073, 2093056) : r.int(2093057, maxHuge);
    default:
      // php-mix / realloc-heavy: mostly small, some large, rarely huge
      return x < 0.80 ? r.pick([r.int(0, 64), r.int(1, 128), r.int(1, 512), r.int(1, 3072)])
        : x < 0.97 ? r.int(3073, 128 * 1024)
        : x < 0.995 ? r.int(128 * 1024, 2093056)
        : r.int(2093057, maxHuge);
  }
}

/** Generates a raw trace as text (one operation a line). */
export function randomTrace(options: RandomTraceOptions): string {
  const r = new Random(options.seed);
  const w = options.workload;
  const maxHuge = options.maxHuge ?? 8 * 1024 * 1024;
  const lines: string[] = [`# random ${w} trace, seed ${options.seed}`];
  const live: number[] = [];
  // last requested size of each live ID: a huge block is never grown as a huge block, since
  // whether the mapping can grow in place depends on the real process's address space
  const lastSize = new Map<number, number>();
  let nextId = 1;
  lines.push(`a 0 ${r.int(1, 64)}`); // the anchor: never freed
  if (w === 'limits') {
    lines.push(`l ${r.pick([4, 6, 8, 12, 16]) * 1024 * 1024}`);
  }
  const pFree = w === 'chunk-churn' ? 0.45 : 0.4;
  const pRealloc = w === 'realloc-heavy' ? 0.35 : 0.08;
  const freeOrder = r.pick(['lifo', 'fifo', 'random'] as const);
  let produced = 0;
  while (produced < options.ops) {
    const x = r.next();
    if (x < 0.004) {
      lines.push('gc');
      produced++;
    } else if (w === 'limits' && x < 0.01) {
      lines.push(`l ${r.int(2, 24) * 1024 * 1024 + r.pick([0, 0, r.int(0, 2097151)])}`);
      produced++;
    } else if (x < 0.02 && live.length > 0) {
      // a burst of frees (e.g. the end of a request phase)
      const n = r.int(1, Math.min(live.length, 64));
      for (let i = 0; i < n && produced < options.ops; i++, produced++) {
        const k = freeOrder === 'lifo' ? live.length - 1 : freeOrder === 'fifo' ? 0 : r.int(0, live.length - 1);
        lines.push(`f ${live[k]}`);
        live.splice(k, 1);
      }
    } else if (x < 0.035) {
      // a burst of same-size allocations (arrays of objects)
      const s = size(r, w, maxHuge);
      const n = r.int(2, 40);
      for (let i = 0; i < n && produced < options.ops; i++, produced++) {
        lines.push(`a ${nextId} ${s}`);
        lastSize.set(nextId, s);
        live.push(nextId++);
      }
    } else if (x < 0.035 + pRealloc) {
      if (live.length > 0 && r.chance(0.9)) {
        const id = live[r.int(0, live.length - 1)];
        const old = lastSize.get(id) ?? 0;
        let s = size(r, w, maxHuge);
        if (s > MAX_LARGE && (old > MAX_LARGE || w === 'limits')) {
          s = w === 'limits' ? r.int(1, MAX_LARGE) : r.int(Math.min(old, MAX_LARGE + 1), old);
        }
        lines.push(`r ${id} ${s}`);
        lastSize.set(id, s);
      } else {
        const s = size(r, w, maxHuge);
        lines.push(`r ${nextId} ${s}`);
        lastSize.set(nextId, s);
        live.push(nextId++);
      }
      produced++;
    } else if (x < 0.035 + pRealloc + pFree && live.length > 0) {
      const k = freeOrder === 'lifo' && r.chance(0.7) ? live.length - 1 : freeOrder === 'fifo' && r.chance(0.7) ? 0 : r.int(0, live.length - 1);
      lines.push(`f ${live[k]}`);
      live.splice(k, 1);
      produced++;
    } else {
      const s = size(r, w, maxHuge);
      lines.push(`a ${nextId} ${s}`);
      lastSize.set(nextId, s);
      live.push(nextId++);
      produced++;
    }
  }
  return lines.join('\n') + '\n';
}
