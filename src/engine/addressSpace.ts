// A simulated process address space: where chunks and huge blocks are mapped.
// differs from a real process: deterministic, top-down first fit, nothing else maps memory.

/** One mapped region [start, start + size), in bytes. */
export interface Mapping {
  readonly start: number;
  size: number;
}

/** Options of the simulated address space. */
export interface AddressSpaceOptions {
  /** Highest address (exclusive) handed out; mappings grow downwards from here, like Linux mmap. */
  top?: number;
  /** Lowest address (inclusive) handed out. */
  bottom?: number;
  /**
   * Largest single mapping (bytes) that succeeds. Real kernels refuse mappings larger than
   * they can commit (RAM + swap under the default overcommit heuristic); set this to model
   * a machine. Requests above it fail like a failed mmap().
   */
  maxMappingSize?: number;
}

/** Default top: 2 MiB-aligned, below the usual x86-64 mmap base; exact in a double. */
export const DEFAULT_TOP = 0x7f0000000000;
const DEFAULT_BOTTOM = 0x100000000;

/**
 * mmap/munmap/mremap over a sorted list of mappings. Addresses are plain numbers (bytes);
 * every value stays below 2^47, so doubles hold them exactly.
 */
export class AddressSpace {
  private readonly top: number;
  private readonly bottom: number;
  private readonly maxMappingSize: number;
  /** Mappings sorted by start, descending (the newest usually come first). */
  private readonly mappings: Mapping[] = [];

  constructor(options: AddressSpaceOptions = {}) {
    this.top = options.top ?? DEFAULT_TOP;
    this.bottom = options.bottom ?? DEFAULT_BOTTOM;
    this.maxMappingSize = options.maxMappingSize ?? 2 ** 46;
  }

  /**
   * Maps `size` bytes aligned to `alignment` (a power of two) at the highest free address,
   * as zend_mm_chunk_alloc_int() ends up doing. Returns 0 (NULL) when nothing fits.
   */
  map(size: number, alignment: number): number {
    if (size <= 0 || size > this.maxMappingSize) {
      return 0;
    }
    let ceiling = this.top;
    for (let i = 0; i <= this.mappings.length; i++) {
      const floor = i < this.mappings.length ? this.mappings[i].start + this.mappings[i].size : this.bottom;
      const start = Math.floor((ceiling - size) / alignment) * alignment;
      if (start >= floor && start >= this.bottom) {
        this.mappings.splice(i, 0, { start, size });
        return start;
      }
      if (i < this.mappings.length) {
        ceiling = Math.min(ceiling, this.mappings[i].start);
      }
    }
    return 0;
  }

  /** munmap of a whole mapping or of its tail. */
  unmap(start: number, size: number): void {
    const i = this.indexContaining(start);
    if (i < 0) {
      return;
    }
    const m = this.mappings[i];
    if (start === m.start && size >= m.size) {
      this.mappings.splice(i, 1);
    } else if (start + size >= m.start + m.size) {
      m.size = start - m.start;
    } else {
      throw new Error('AddressSpace.unmap: unmapping the middle of a mapping is not modelled');
    }
  }

  /** mremap without MREMAP_MAYMOVE: grows the mapping at `start` in place if the range above it is free. */
  extend(start: number, oldSize: number, newSize: number): boolean {
    const i = this.mappings.findIndex((m) => m.start === start && m.size === oldSize);
    if (i < 0) {
      return false;
    }
    const limit = i === 0 ? this.top : this.mappings[i - 1].start;
    if (start + newSize > limit || newSize > this.maxMappingSize) {
      return false;
    }
    this.mappings[i].size = newSize;
    return true;
  }

  /** The mapping containing `address`, if any. */
  find(address: number): Mapping | undefined {
    const i = this.indexContaining(address);
    return i >= 0 ? this.mappings[i] : undefined;
  }

  /**
   * The index of the mapping containing `address`, or -1: a binary search for the highest
   * mapping starting at or below it (mappings are sorted by start, descending, and never overlap).
   */
  private indexContaining(address: number): number {
    const mappings = this.mappings;
    let lo = 0;
    let hi = mappings.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (mappings[mid].start <= address) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo < mappings.length && address < mappings[lo].start + mappings[lo].size ? lo : -1;
  }

  /** Number of live mappings. */
  get count(): number {
    return this.mappings.length;
  }
}
