// The two allocator families the stepper runs: PHP 7.0 – 8.x (chunk heap) and PHP 5.2 – 5.6
// (segment heap). One place that starts, copies, measures copies of and tells apart their heaps.

import { Zend7Profile } from '../engine/profiles';
import { ZendHeap } from '../engine/zend7/heap';
import { copyFootprint, copyHeap } from '../engine/zend7/snapshot';
import { Zend5Heap } from '../engine/zend5/heap';
import { Zend5Profile } from '../engine/zend5/profiles';
import { copyZend5Heap, zend5CopyFootprint } from '../engine/zend5/snapshot';
import { zendMmStartup } from '../engine/zend5/startup';

/** A heap of either family. */
export type AnyHeap = ZendHeap | Zend5Heap;

/** A version profile of either family. */
export type AnyProfile = Zend7Profile | Zend5Profile;

/** True for a PHP 7.0 – 8.x profile. */
export function isZend7Profile(p: AnyProfile): p is Zend7Profile {
  return (p as Zend7Profile).family === 'zend7';
}

/** A fresh heap as the request starts it (5.x: zend_mm_startup with its reserve block). */
export function freshHeap(profile: AnyProfile): AnyHeap {
  return isZend7Profile(profile) ? new ZendHeap({ profile }) : zendMmStartup({ profile });
}

/** An independent copy; `shareWith` (a frozen copy of the same family) lets unchanged 7/8 pages be shared. */
export function copyAnyHeap(heap: AnyHeap, shareWith?: AnyHeap): AnyHeap {
  if (heap instanceof ZendHeap) return copyHeap(heap, shareWith instanceof ZendHeap ? shareWith : undefined);
  return copyZend5Heap(heap);
}

/** Bytes a copy holds of its own: not shared with `shareWith` (the copy taken before it, if any). */
export function anyCopyFootprint(copy: AnyHeap, shareWith?: AnyHeap): number {
  if (copy instanceof ZendHeap) return copyFootprint(copy, shareWith instanceof ZendHeap ? shareWith : undefined);
  return zend5CopyFootprint(copy);
}
