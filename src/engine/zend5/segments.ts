// Segment release: zend_mm_del_segment().

import { OFF_SEG_NEXT, OFF_SEG_SIZE } from './constants';
import { Zend5SegmentationFault } from './errors';
import type { Zend5Heap } from './heap';

/**
 * zend_mm_del_segment(heap, segment): unlinks the segment from segments_list (walking the
 * list through the slots that point at each segment), takes its size off real_size and
 * gives it back to the storage.
 */
export function zendMmDelSegment(heap: Zend5Heap, segment: number): void {
  let p = heap.segmentsListSlot;
  while (heap.read(p) !== segment) {
    const s = heap.read(p);
    if (s === 0) {
      throw new Zend5SegmentationFault('zend_mm_del_segment: segment not in segments_list (NULL dereferenced)');
    }
    p = s + OFF_SEG_NEXT;
  }
  heap.write(p, heap.read(segment + OFF_SEG_NEXT));
  const size = heap.read(segment + OFF_SEG_SIZE);
  heap.realSize -= size;
  heap.sink?.event({
    kind: 'stmt',
    anchor: 'zend_mm_del_segment:release',
    note: `segment ${heap.segmentOrdinals.get(segment)} (${size} bytes) is given back to the storage`,
    locals: { segment_size: size, real_size: heap.realSize },
  });
  heap.forgetSegment(segment);
  heap.storage.free(segment);
}
