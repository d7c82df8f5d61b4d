// The pointer-sized words the allocator stores inside a chunk's pages: free-slot links (and,
// from any offset the C code could be made to write, whatever value it stores there).
//
// Most words are links to another slot of the same chunk, so a word is kept as a 32-bit code:
// its value part (the code without its low 3 bits) is 0 for the value 0 (NULL, or memory never
// written: fresh mmap pages read as zero) or the offset of the target for an 8-byte-aligned
// address inside this chunk; the FAR bit says the value is some other number, kept in a
// parallel array of doubles. A free-list walk inside one chunk thus follows 32-bit offsets,
// with no conversion of 64-bit addresses on its critical path.
//
// One other low bit is a fact the simulator keeps about the word's place, not memory contents
// (reads never see it): LISTED marks a slot on its bin's free list (see freeListTracking.ts).
// Writes of the word keep it.

import { ZEND_MM_CHUNK_SIZE, ZEND_MM_PAGES, ZEND_MM_PAGE_SIZE } from './constants';

/** Pointer-sized words in one page. */
export const PAGE_WORDS = ZEND_MM_PAGE_SIZE / 8;
/** Pointer-sized words in one chunk. */
const CHUNK_WORDS = ZEND_MM_PAGES * PAGE_WORDS;
/** Code bit: the word's value is in the `far` array. */
export const FAR = 1;
/** Code bit: the slot starting at this word is on its bin's free list. */
export const LISTED = 4;
/** The bits of a code that are not its value. */
const TAG_BITS = 7;
/** The bits of a code that writes of the word keep. */
const PLACE_BITS = LISTED;

/** One page of a frozen copy: its codes and, when some are FAR, their values. */
export interface FrozenPage {
  readonly codes: Int32Array;
  readonly far: Float64Array | null;
}

/** Whether codes[start, start + PAGE_WORDS) (and their far values) equal `page`. */
function samePage(codes: Int32Array, far: Float64Array | null, start: number, page: FrozenPage): boolean {
  for (let i = 0; i < PAGE_WORDS; i++) {
    const code = codes[start + i];
    if (code !== page.codes[i]) return false;
    if ((code & FAR) !== 0 && (far as Float64Array)[start + i] !== (page.far as Float64Array)[i]) return false;
  }
  return true;
}

/** Whether some code of a page has its value in the far array. */
function hasFar(codes: Int32Array): boolean {
  for (let i = 0; i < codes.length; i++) {
    if ((codes[i] & FAR) !== 0) return true;
  }
  return false;
}

/**
 * The words of one chunk. Writable ones keep flat arrays over the whole chunk (made on the first
 * write); frozen ones (see `freeze`) keep per-page arrays that many frozen copies share and that
 * are never written: the first write to a frozen copy gives it flat arrays of its own.
 */
export class ChunkWords {
  /** Per word: 0, an in-chunk offset, or FAR. */
  private codes: Int32Array | null = null;
  /** Values of FAR words, made on the first one. */
  private far: Float64Array | null = null;
  /** Which pages were ever written (what `freeze` keeps). */
  private written: Uint8Array | null = null;
  /** A frozen copy's pages (missing: never written); set only while `codes` is null. */
  private frozen: readonly (FrozenPage | undefined)[] | null = null;
  /** Words written at offsets that are not 8-byte aligned, by offset (never expected). */
  private odd: Map<number, number> | null = null;

  constructor(readonly base: number) {}

  /**
   * The code of the aligned word at `offset`, for walks: FAR set when the value must be read
   * with `read`; else its value part (code & ~7) is 0 for the value 0 or the offset (>= 8) of
   * an address inside this chunk.
   */
  code(offset: number): number {
    const codes = this.codes;
    if (codes !== null) return codes[offset >>> 3];
    const page = this.frozen?.[offset >>> 12];
    return page === undefined ? 0 : page.codes[(offset >>> 3) & (PAGE_WORDS - 1)];
  }

  /** The 8-byte word at `offset` (0 if never written). */
  read(offset: number): number {
    if ((offset & 7) !== 0) {
      return this.odd?.get(offset) ?? 0;
    }
    const code = this.code(offset);
    if ((code & FAR) === 0) {
      const rel = code & ~TAG_BITS;
      return rel === 0 ? 0 : this.base + rel;
    }
    if (this.codes !== null) {
      return (this.far as Float64Array)[offset >>> 3];
    }
    const page = this.frozen?.[offset >>> 12] as FrozenPage;
    return (page.far as Float64Array)[(offset >>> 3) & (PAGE_WORDS - 1)];
  }

  /** Writes the 8-byte word at `offset`. */
  write(offset: number, value: number): void {
    if ((offset & 7) !== 0) {
      (this.odd ??= new Map()).set(offset, value);
      return;
    }
    const codes = this.codes ?? this.thaw();
    const i = offset >>> 3;
    const place = codes[i] & PLACE_BITS;
    const rel = value - this.base;
    if (value === 0) {
      codes[i] = place;
    } else if (rel >= 8 && rel < ZEND_MM_CHUNK_SIZE && (rel & TAG_BITS) === 0) {
      codes[i] = rel | place;
    } else {
      codes[i] = FAR | place;
      (this.far ??= new Float64Array(CHUNK_WORDS))[i] = value;
    }
    (this.written as Uint8Array)[offset >>> 12] = 1;
  }

  /**
   * Writes a chain of links in one pass: at each aligned offset from `first` up to (not
   * including) `last`, in steps of `step`, the address `step` bytes further on — what
   * write(off, base + off + step) would store, for offsets inside this chunk.
   */
  writeChain(first: number, last: number, step: number): void {
    const codes = this.codes ?? this.thaw();
    const written = this.written as Uint8Array;
    for (let off = first; off < last; off += step) {
      const i = off >>> 3;
      codes[i] = (off + step) | (codes[i] & PLACE_BITS);
      written[off >>> 12] = 1;
    }
  }

  /** Sets place bits on every `step`-th aligned word from `first` up to and including `last`. */
  markEvery(first: number, last: number, step: number, bits: number): void {
    const codes = this.codes ?? this.thaw();
    const written = this.written as Uint8Array;
    for (let off = first; off <= last; off += step) {
      codes[off >>> 3] |= bits;
      written[off >>> 12] = 1;
    }
  }

  /** Sets place bits (LISTED) of the aligned word at `offset`. */
  mark(offset: number, bits: number): void {
    const codes = this.codes ?? this.thaw();
    codes[offset >>> 3] |= bits;
    (this.written as Uint8Array)[offset >>> 12] = 1;
  }

  /** Clears place bits of the aligned word at `offset`. */
  unmark(offset: number, bits: number): void {
    const codes = this.codes ?? this.thaw();
    codes[offset >>> 3] &= ~bits;
  }


  /** Makes the flat arrays: zero-filled, or holding the frozen pages' contents. */
  private thaw(): Int32Array {
    const codes = new Int32Array(CHUNK_WORDS);
    const written = new Uint8Array(ZEND_MM_PAGES);
    const frozen = this.frozen;
    if (frozen !== null) {
      for (let p = 0; p < frozen.length; p++) {
        const page = frozen[p];
        if (page === undefined) continue;
        codes.set(page.codes, p * PAGE_WORDS);
        if (page.far !== null) (this.far ??= new Float64Array(CHUNK_WORDS)).set(page.far, p * PAGE_WORDS);
        written[p] = 1;
      }
      this.frozen = null;
    }
    this.codes = codes;
    this.written = written;
    return codes;
  }

  /**
   * A frozen copy of these words. A page equal to `shareWith`'s page (an earlier frozen copy of
   * the same chunk) is that very page object, so consecutive copies hold each unchanged page once.
   */
  freeze(shareWith?: ChunkWords): ChunkWords {
    const copy = new ChunkWords(this.base);
    copy.odd = this.odd === null ? null : new Map(this.odd);
    if (this.frozen !== null) {
      copy.frozen = this.frozen;
      return copy;
    }
    const codes = this.codes;
    const written = this.written;
    if (codes === null || written === null) {
      return copy;
    }
    const theirs = shareWith?.frozen ?? null;
    const pages = new Array<FrozenPage | undefined>(ZEND_MM_PAGES).fill(undefined);
    for (let p = 0; p < ZEND_MM_PAGES; p++) {
      if (written[p] === 0) continue;
      const start = p * PAGE_WORDS;
      const old = theirs?.[p];
      if (old !== undefined && samePage(codes, this.far, start, old)) {
        pages[p] = old;
        continue;
      }
      const pageCodes = codes.slice(start, start + PAGE_WORDS);
      pages[p] = { codes: pageCodes, far: hasFar(pageCodes) ? (this.far as Float64Array).slice(start, start + PAGE_WORDS) : null };
    }
    copy.frozen = pages;
    return copy;
  }

  /**
   * Bytes these words hold that `other` (a frozen copy of the same chunk) does not share: for
   * writable words, each written page; for frozen ones, each page object that is not `other`'s.
   */
  bytesNotIn(other: ChunkWords | undefined): number {
    const codeBytes = PAGE_WORDS * 4;
    const farBytes = PAGE_WORDS * 8;
    let bytes = (this.odd?.size ?? 0) * 16;
    if (this.written !== null) {
      for (let p = 0; p < ZEND_MM_PAGES; p++) bytes += this.written[p] * codeBytes;
      return bytes + (this.far === null ? 0 : CHUNK_WORDS * 8);
    }
    const theirs = other?.frozen ?? null;
    this.frozen?.forEach((page, p) => {
      if (page !== undefined && theirs?.[p] !== page) bytes += codeBytes + (page.far === null ? 0 : farBytes);
    });
    return bytes;
  }
}
