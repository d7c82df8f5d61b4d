// The storage layer of the 5.x allocator (zend_mm_mem_handlers): where segments come from.
// "malloc" (mem_handlers[0] on Linux, the default), "mmap_anon" and "mmap_zero".
// differs from C: all three are modelled over the same deterministic WordMemory (region
// placement, in-place growth when the range above is free, otherwise a move); the real
// malloc/mmap placement never shows in any output.

import { Zend5Profile } from './profiles';
import { Zend5StartupExit } from './errors';
import { WordMemory } from './wordMemory';

/** Names of the storage handlers, in mem_handlers[] order of a Linux build. */
export const STORAGE_NAMES: readonly string[] = ['malloc', 'mmap_anon', 'mmap_zero'];

/**
 * Largest storage request (bytes) that succeeds. Above it _alloc / _realloc return NULL,
 * as malloc/mmap do when the machine cannot provide the memory.
 */
export const MAX_STORAGE_REQUEST = 2 ** 46;

/** One storage (zend_mm_storage + its handlers). Sizes in bytes, addresses are simulated. */
export class Zend5Storage {
  constructor(
    /** handlers->name. */
    readonly name: string,
    private readonly memory: WordMemory,
  ) {}

  /** handlers->_alloc(storage, size): a new segment's address, or 0 (NULL). */
  alloc(size: number): number {
    if (size <= 0 || size > MAX_STORAGE_REQUEST) {
      return 0;
    }
    return this.memory.map(size);
  }

  /**
   * handlers->_realloc(storage, segment, size): the segment grown or shrunk, possibly moved
   * (realloc / mremap(MREMAP_MAYMOVE)); 0 (NULL) when it cannot, the old segment untouched.
   */
  realloc(segment: number, size: number): number {
    if (size <= 0 || size > MAX_STORAGE_REQUEST) {
      return 0;
    }
    return this.memory.resize(segment, size);
  }

  /** handlers->_free(storage, segment). */
  free(segment: number): void {
    this.memory.unmap(segment);
  }
}

/**
 * handlers->init(params) of the storage named `name`: the storage, or the exit of
 * zend_mm_startup_ex ("Cannot initialize zend_mm storage [NAME]") when init returns NULL.
 */
export function initStorage(name: string, profile: Zend5Profile, memory: WordMemory): Zend5Storage {
  if (name === 'mmap_zero' && !profile.mmapZeroInitWorks) {
    // zend_mm_mem_mmap_zero_init only opens /dev/zero when the descriptor is already open
    throw new Zend5StartupExit('Cannot initialize zend_mm storage [mmap_zero]\n', 255);
  }
  return new Zend5Storage(name, memory);
}
