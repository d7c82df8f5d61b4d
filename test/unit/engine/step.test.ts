import * as assert from 'assert';
import { StepRecorder } from '../../../src/engine/step';
import { ZendHeap } from '../../../src/engine/zend7/heap';

describe('engine/step', () => {
  it('records the statements of a first small allocation in call order', () => {
    const rec = new StepRecorder();
    new ZendHeap({ sink: rec }).alloc(10);
    assert.deepStrictEqual(rec.anchors(), [
      'zend_mm_alloc_heap:small',
      'zend_mm_alloc_small:stat',
      'zend_mm_alloc_small:free_list_empty',
      'zend_mm_alloc_pages:tail_fit',
      'zend_mm_alloc_pages:mark_run',
      'zend_mm_alloc_small_slow:mark_srun',
      'zend_mm_alloc_small_slow:thread_free_list',
    ]);
  });

  it('pairs every enter with a leave of the same function', () => {
    const rec = new StepRecorder();
    const h = new ZendHeap({ sink: rec });
    const a = h.alloc(100);
    const b = h.alloc(5000);
    const c = h.alloc(3 * 1024 * 1024);
    h.realloc(a, 400);
    h.free(b);
    h.free(c);
    h.gc();
    const stack: string[] = [];
    for (const e of rec.events) {
      if (e.kind === 'enter') stack.push(e.func);
      if (e.kind === 'leave') assert.strictEqual(stack.pop(), e.func);
      if (e.kind === 'stmt') assert.ok(stack.length > 0, `${e.anchor} outside any function`);
    }
    assert.deepStrictEqual(stack, []);
  });

  it('shows the huge path and its list node allocation', () => {
    const rec = new StepRecorder();
    new ZendHeap({ sink: rec }).alloc(3 * 1024 * 1024);
    const anchors = rec.anchors();
    assert.deepStrictEqual(anchors.slice(0, 2), ['zend_mm_alloc_huge:round', 'zend_mm_alloc_huge:map']);
    assert.ok(anchors.indexOf('zend_mm_alloc_heap:small') > anchors.indexOf('zend_mm_alloc_huge:map'), 'node is allocated after the mapping');
    assert.strictEqual(anchors[anchors.length - 1], 'zend_mm_alloc_huge:stat');
  });

  it('records nothing on the fast path', () => {
    const h = new ZendHeap();
    assert.strictEqual(h.sink, null);
    h.alloc(10);
  });
});
