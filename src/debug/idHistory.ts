// What each trace ID names along a program's run, in 8 bytes an operation: the index of the
// previous operation on the same ID (worked out once from the program), and what the ID names
// right after the operation (written the first time the run passes it). What an ID names
// before any operation is then one lookup, with no table of IDs to keep or to copy.

import { DEFAULT_TOP } from '../engine/addressSpace';
import type { IdBlock } from './traceMachine';
import type { ProgramOps } from './programOps';

/**
 * A state is stored as one uint32: NOTHING (the ID names no block), UNUSUAL (the exact state
 * is in a side table), or FIRST_BLOCK + 2 * offset + live, where offset = (DEFAULT_TOP -
 * address) / 8. Heaps map top-down from DEFAULT_TOP and blocks are 8-byte aligned, so this
 * covers the 16 GiB below the top; any other address (further down, unaligned, above the top)
 * goes to the side table, so every state reads back exactly.
 */
const NOTHING = 0;
const UNUSUAL = 1;
const FIRST_BLOCK = 2;
const MAX_OFFSET = Math.floor((0xffffffff - FIRST_BLOCK - 1) / 2);

/** The uint32 code of `block`, or UNUSUAL when it has none. */
function encode(block: IdBlock | undefined): number {
  if (block === undefined) return NOTHING;
  const offset = (DEFAULT_TOP - block.address) / 8;
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) return UNUSUAL;
  return FIRST_BLOCK + offset * 2 + (block.live ? 1 : 0);
}

function decode(code: number): IdBlock {
  const n = code - FIRST_BLOCK;
  return { address: DEFAULT_TOP - Math.floor(n / 2) * 8, live: n % 2 === 1 };
}

/** Numeric ID keys below this are looked up in an array while the links are worked out. */
const ARRAY_KEYS = 1 << 22;

/** Per operation of a program: what its trace ID names before and after it. */
export class IdHistory {
  /** Per operation: the previous operation on the same ID, or -1 (none, or no ID). */
  private readonly previous: Int32Array;
  /** Per operation: its ID's state right after it (see encode). */
  private readonly states: Uint32Array;
  /** States no code holds, by operation index. */
  private readonly unusual = new Map<number, IdBlock>();

  constructor(ops: ProgramOps) {
    this.previous = new Int32Array(ops.length);
    this.states = new Uint32Array(ops.length);
    // the last operation on each ID so far: numeric keys below 2^22 in an array, the rest
    // (larger keys, IDs kept by text) in a map
    const lastByNumber = new Int32Array(Math.min(ops.idKeyCapacity, ARRAY_KEYS)).fill(-1);
    const lastByText = new Map<number | string, number>();
    for (let i = 0; i < ops.length; i++) {
      const key = ops.idKey(i);
      if (key === undefined) {
        this.previous[i] = -1;
      } else if (typeof key === 'number' && key < lastByNumber.length) {
        this.previous[i] = lastByNumber[key];
        lastByNumber[key] = i;
      } else {
        this.previous[i] = lastByText.get(key) ?? -1;
        lastByText.set(key, i);
      }
    }
  }

  /** What the ID of operation `index` names before it runs (every earlier operation recorded). */
  before(index: number): IdBlock | undefined {
    const p = this.previous[index];
    return p < 0 ? undefined : this.after(p);
  }

  /** What the ID of operation `index` names after it (recorded; undefined for an operation without ID). */
  after(index: number): IdBlock | undefined {
    const code = this.states[index];
    if (code === NOTHING) return undefined;
    if (code === UNUSUAL) return this.unusual.get(index);
    return decode(code);
  }

  /** Records what the ID of operation `index` names after it. */
  record(index: number, block: IdBlock | undefined): void {
    const code = encode(block);
    this.states[index] = code;
    if (code === UNUSUAL) this.unusual.set(index, block as IdBlock);
    else if (this.unusual.size > 0) this.unusual.delete(index);
  }

  /** States kept in the side table (addresses outside the 16 GiB below the top). */
  get unusualCount(): number {
    return this.unusual.size;
  }

  /** Bytes of the per-operation arrays. */
  get byteLength(): number {
    return this.previous.byteLength + this.states.byteLength;
  }
}
