import * as assert from 'assert';
import { applyHeapUpdate, UpdateOutOfOrder } from '../../../src/protocol/applyHeapUpdate';
import { diffHeapSnapshots } from '../../../src/protocol/diffHeapSnapshots';
import { HeapSession } from '../../../src/session/heapSession';
import { parseRawTrace } from '../../../src/trace/rawTrace';
import { randomTrace, WORKLOADS } from '../../support/randomTrace';

describe('diffHeapSnapshots / applyHeapUpdate', () => {
  for (const workload of WORKLOADS) {
    it(`rebuilds every snapshot from the previous one and the update: ${workload}`, () => {
      const { ops } = parseRawTrace(randomTrace({ seed: 11, ops: 400, workload }), workload);
      const s = new HeapSession('8.2');
      let prev = s.snapshot();
      let webview = prev;
      let step = 0;
      for (const op of ops) {
        if (op.op === 'd') continue;
        if (op.op === 'a') s.allocate(op.size, `v${op.id}`);
        else if (op.op === 'f') s.free(`v${op.id}`);
        else if (op.op === 'r') s.reallocate(`v${op.id}`, op.size);
        else if (op.op === 'gc') s.gc();
        else s.setMemoryLimit(op.limit);
        const next = s.snapshot();
        const update = diffHeapSnapshots(prev, next);
        webview = applyHeapUpdate(webview, JSON.parse(JSON.stringify(update))).heap;
        assert.deepStrictEqual(webview, next, `after step ${++step}: ${next.timeline[next.timeline.length - 1].op}`);
        prev = next;
      }
    });
  }

  it('sends only the pages that changed', () => {
    const s = new HeapSession('8.2');
    s.allocate(5000);
    const before = s.snapshot();
    s.allocate(100);
    const u = diffHeapSnapshots(before, s.snapshot());
    // the first small allocation claims one page for its bin's run: one cell changes
    assert.deepStrictEqual(
      u.pages.map((p) => [p.chunk, p.page, p.cell.kind]),
      [[0, 3, 'small']],
    );
    assert.deepStrictEqual(u.bins.map((b) => b.bin), [10]);
    assert.strictEqual(u.timelineAppended.length, 1);
    assert.strictEqual(u.huge, null);
  });

  it('adds and removes whole chunks', () => {
    const s = new HeapSession('8.2');
    const base = s.snapshot();
    for (let i = 0; i < 3; i++) s.allocate(2_000_000, `x${i}`);
    const grown = s.snapshot();
    const u = diffHeapSnapshots(base, grown);
    assert.deepStrictEqual(u.chunksAdded.map((c) => c.num), [1, 2]);
    const applied = applyHeapUpdate(base, u);
    assert.strictEqual(applied.chunksChanged, true);
    for (let i = 0; i < 3; i++) s.free(`x${i}`);
    s.gc();
    const shrunk = s.snapshot();
    const v = diffHeapSnapshots(grown, shrunk);
    assert.ok(v.chunksRemoved.length > 0, 'gc or free returned chunks');
    assert.deepStrictEqual(applyHeapUpdate(grown, v).heap, shrunk);
  });

  it('refuses an update that does not follow the snapshot', () => {
    const s = new HeapSession('8.2');
    const a = s.snapshot();
    s.allocate(8);
    const b = s.snapshot();
    s.allocate(8);
    const u = diffHeapSnapshots(b, s.snapshot());
    assert.throws(() => applyHeapUpdate(a, u), UpdateOutOfOrder);
  });
});
