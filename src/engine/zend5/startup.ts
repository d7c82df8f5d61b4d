// zend_mm_startup(): the environment variables that shape a 5.x heap (ZEND_MM_MEM_TYPE,
// ZEND_MM_SEG_SIZE, ZEND_MM_COMPACT), then zend_mm_startup_ex().

import { StepSink } from '../step';
import { ZEND_MM_ALIGNED_HEADER_SIZE, ZEND_MM_ALIGNED_SEGMENT_SIZE, ZEND_MM_DEFAULT_COMPACT_SIZE, ZEND_MM_RESERVE_SIZE, ZEND_MM_SEG_SIZE } from './constants';
import { Zend5StartupExit } from './errors';
import { Zend5Heap } from './heap';
import { PHP53, Zend5Profile } from './profiles';
import { STORAGE_NAMES, initStorage } from './storage';
import { WordMemory } from './wordMemory';

/** The environment a heap starts under (only ZEND_MM_* and USE_ZEND_ALLOC are read). */
export type Zend5Env = Readonly<Record<string, string | undefined>>;

/**
 * zend_atoi(str, 0) on LP64: strtol(str, NULL, 0) truncated to int, then a trailing k/m/g
 * (either case) multiplies by 1024 per step (g falls through to m and k), in int arithmetic.
 * The int result is what C then stores (sign-extended) in a size_t.
 */
export function zendAtoi(str: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)?/.exec(str);
  let v = 0n;
  if (m !== null && m[2] !== undefined) {
    const t = m[2];
    v = /^0[xX]/.test(t) ? BigInt(t) : t.length > 1 && t[0] === '0' ? BigInt('0o' + t.slice(1)) : BigInt(t);
    if (m[1] === '-') v = -v;
  }
  // strtol saturates at LONG_MIN / LONG_MAX
  const LMAX = 2n ** 63n - 1n;
  if (v > LMAX) v = LMAX;
  if (v < -LMAX - 1n) v = -LMAX - 1n;
  let r = Number(BigInt.asIntN(32, v));
  const last = str.length > 0 ? str[str.length - 1].toLowerCase() : '';
  const steps = last === 'g' ? 3 : last === 'm' ? 2 : last === 'k' ? 1 : 0;
  for (let i = 0; i < steps; i++) {
    r = Math.imul(r, 1024);
  }
  return r;
}

/** A size_t holding a C int: negative values sign-extend (as a bigint, exact). */
function intToSizeT(v: number): bigint {
  return BigInt.asUintN(64, BigInt(v));
}

/** Whether a size_t is a power of two (zend_mm_low_bit(x) == zend_mm_high_bit(x); 0 is not). */
function isPowerOfTwo(v: bigint): boolean {
  return v > 0n && (v & (v - 1n)) === 0n;
}

/** What zend_mm_startup() is given besides the environment. */
export interface Zend5StartupOptions {
  profile?: Zend5Profile;
  env?: Zend5Env;
  memory?: WordMemory;
  sink?: StepSink | null;
}

/**
 * zend_mm_startup(): picks the storage named by ZEND_MM_MEM_TYPE (default "malloc"), the
 * segment size from ZEND_MM_SEG_SIZE (default 256 KiB; must be a power of two and at least
 * 32), starts the heap with the 8 KiB reserve, then sets compact_size from ZEND_MM_COMPACT
 * (default 2 MiB). Throws Zend5StartupExit with the text C prints before exit(255).
 */
export function zendMmStartup(options: Zend5StartupOptions = {}): Zend5Heap {
  const env = options.env ?? {};
  const profile = options.profile ?? PHP53;
  const memory = options.memory ?? new WordMemory();
  const memType = env.ZEND_MM_MEM_TYPE;
  let name = 'malloc';
  if (memType !== undefined) {
    if (!STORAGE_NAMES.includes(memType)) {
      const lines = [`Wrong or unsupported zend_mm storage type '${memType}'`, '  supported types:', ...STORAGE_NAMES.map((n) => `    '${n}'`)];
      throw new Zend5StartupExit(lines.join('\n') + '\n', 255);
    }
    name = memType;
  }
  let segSize = BigInt(ZEND_MM_SEG_SIZE);
  const segText = env.ZEND_MM_SEG_SIZE;
  if (segText !== undefined) {
    segSize = intToSizeT(zendAtoi(segText));
    if (!isPowerOfTwo(segSize)) {
      throw new Zend5StartupExit('ZEND_MM_SEG_SIZE must be a power of two\n', 255);
    } else if (segSize < BigInt(ZEND_MM_ALIGNED_SEGMENT_SIZE + ZEND_MM_ALIGNED_HEADER_SIZE)) {
      throw new Zend5StartupExit('ZEND_MM_SEG_SIZE is too small\n', 255);
    }
  }
  const storage = initStorage(name, profile, memory);
  const heap = new Zend5Heap({
    profile,
    memory,
    storage,
    blockSize: Number(segSize),
    reserveSize: ZEND_MM_RESERVE_SIZE,
    sink: options.sink ?? null,
  });
  const compact = env.ZEND_MM_COMPACT;
  heap.compactSize = compact !== undefined ? zendAtoi(compact) : ZEND_MM_DEFAULT_COMPACT_SIZE;
  return heap;
}
