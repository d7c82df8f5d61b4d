// The C library's malloc as PHP sees it: pemalloc(size, 1), and every emalloc under
// USE_ZEND_ALLOC=0. Only what PHP can observe is modelled: which block is live and its size.
// differs from glibc: addresses are handed out by a bump pointer in a region of their own;
// glibc's bins, headers and reuse order are not modelled.

/** Where simulated malloc() blocks live: far below the mmap area used for chunks. */
export const SYSTEM_HEAP_BASE = 0x555555554000;

/** A malloc()/free()/realloc() whose blocks are opaque. Sizes in bytes. */
export class SystemAllocator {
  private next = SYSTEM_HEAP_BASE;
  private readonly live = new Map<number, number>();

  /** malloc(size): a fresh 16-byte-aligned address (malloc(0) also returns a unique pointer). */
  malloc(size: number): number {
    const ptr = this.next;
    this.next += Math.max(16, Math.ceil(size / 16) * 16) + 16;
    this.live.set(ptr, size);
    return ptr;
  }

  /** free(ptr): forgets a live block; free(NULL) does nothing. Returns false for an unknown pointer. */
  free(ptr: number): boolean {
    if (ptr === 0) return true;
    return this.live.delete(ptr);
  }

  /** realloc(ptr, size): always moves in this model (realloc(NULL, n) = malloc(n)). */
  realloc(ptr: number, size: number): number {
    if (ptr !== 0) this.live.delete(ptr);
    return this.malloc(size);
  }

  /** The requested size of a live block, or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  /** Live blocks. */
  get count(): number {
    return this.live.size;
  }
}
