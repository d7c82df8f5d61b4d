// The simulated process memory the 5.x allocator works in: malloc'ed regions (the heap struct,
// segments, plain malloc blocks) holding 64-bit words at 8-byte-aligned addresses.
// differs from a real process: placement comes from the deterministic AddressSpace model
// (top-down, no glibc headers or arenas); a word never written reads as 0; only whole
// words are stored, which is all the allocator ever reads or writes.

import { AddressSpace } from '../addressSpace';
import { Zend5SegmentationFault } from './errors';

/** One mapped region [base, base + size) and its words, keyed by offset from base. */
interface Region {
  base: number;
  size: number;
  words: Map<number, number>;
}

/** Alignment (bytes) of every region, as glibc's malloc guarantees on x86-64. */
export const REGION_ALIGNMENT = 16;

/** Word-addressed memory over an AddressSpace. Addresses and sizes are in bytes. */
export class WordMemory {
  readonly space: AddressSpace;
  private readonly regions: Region[] = [];
  private last: Region | null = null;

  constructor(space: AddressSpace = new AddressSpace()) {
    this.space = space;
  }

  /** Maps `size` bytes (at least one word); returns the base address or 0 when nothing fits. */
  map(size: number): number {
    const base = this.space.map(Math.max(size, 8), REGION_ALIGNMENT);
    if (base === 0) {
      return 0;
    }
    this.regions.push({ base, size, words: new Map() });
    return base;
  }

  /** Unmaps the region starting at `base`; false when no region starts there. */
  unmap(base: number): boolean {
    const i = this.regions.findIndex((r) => r.base === base);
    if (i < 0) {
      return false;
    }
    const r = this.regions[i];
    this.space.unmap(r.base, Math.max(r.size, 8));
    this.regions.splice(i, 1);
    if (this.last === r) {
      this.last = null;
    }
    return true;
  }

  /**
   * Resizes the region at `base` as realloc()/mremap(MAYMOVE) would: in place when the
   * address range allows, else moved (words copied) to a new place. Returns the (possibly
   * new) base, or 0 when no place fits (the old region is left as it was).
   */
  resize(base: number, newSize: number): number {
    const r = this.regions.find((x) => x.base === base);
    if (r === undefined) {
      return 0;
    }
    const oldMapped = Math.max(r.size, 8);
    const newMapped = Math.max(newSize, 8);
    if (newMapped <= oldMapped) {
      if (newMapped < oldMapped) {
        this.space.unmap(r.base + newMapped, oldMapped - newMapped);
      }
      this.truncate(r, newSize);
      r.size = newSize;
      return base;
    }
    if (this.space.extend(r.base, oldMapped, newMapped)) {
      r.size = newSize;
      return base;
    }
    const moved = this.space.map(newMapped, REGION_ALIGNMENT);
    if (moved === 0) {
      return 0;
    }
    this.space.unmap(r.base, oldMapped);
    r.base = moved;
    r.size = newSize;
    return moved;
  }

  /** Reads the word at `addr` (0 if never written). Unmapped memory crashes. */
  read(addr: number): number {
    const r = this.regionFor(addr, 'reading');
    return r.words.get(addr - r.base) ?? 0;
  }

  /** Writes the word at `addr`. Unmapped memory crashes. */
  write(addr: number, value: number): void {
    const r = this.regionFor(addr, 'writing');
    r.words.set(addr - r.base, value);
  }

  /** memcpy(dst, src, bytes) of whole words (both ranges must be mapped). */
  copy(dst: number, src: number, bytes: number): void {
    if (bytes <= 0) {
      return;
    }
    const from = this.regionFor(src, 'reading');
    const to = this.regionFor(dst, 'writing');
    if (src + bytes > from.base + from.size) {
      throw new Zend5SegmentationFault(`memcpy reads past the region at 0x${from.base.toString(16)}`);
    }
    if (dst + bytes > to.base + to.size) {
      throw new Zend5SegmentationFault(`memcpy writes past the region at 0x${to.base.toString(16)}`);
    }
    const start = src - from.base;
    const end = start + bytes;
    const moved: [number, number][] = [];
    for (const [off, v] of from.words) {
      if (off >= start && off < end) {
        moved.push([off - start, v]);
      }
    }
    // clear the destination words first: the copy overwrites the whole range
    const dstStart = dst - to.base;
    for (const off of [...to.words.keys()]) {
      if (off >= dstStart && off < dstStart + bytes) {
        to.words.delete(off);
      }
    }
    for (const [rel, v] of moved) {
      to.words.set(dstStart + rel, v);
    }
  }

  /** The region holding `addr`, if mapped. */
  regionAt(addr: number): { base: number; size: number } | undefined {
    const r = this.find(addr);
    return r === undefined ? undefined : { base: r.base, size: r.size };
  }

  /** Number of mapped regions. */
  get regionCount(): number {
    return this.regions.length;
  }

  private regionFor(addr: number, what: string): Region {
    const r = this.find(addr);
    if (r === undefined) {
      throw new Zend5SegmentationFault(`${what} 0x${addr.toString(16)}: not mapped`);
    }
    return r;
  }

  private find(addr: number): Region | undefined {
    const l = this.last;
    if (l !== null && addr >= l.base && addr < l.base + l.size) {
      return l;
    }
    for (const r of this.regions) {
      if (addr >= r.base && addr < r.base + r.size) {
        this.last = r;
        return r;
      }
    }
    return undefined;
  }

  private truncate(r: Region, size: number): void {
    for (const off of [...r.words.keys()]) {
      if (off >= size) {
        r.words.delete(off);
      }
    }
  }
}
