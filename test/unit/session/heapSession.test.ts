import * as assert from 'assert';
import { BINS, smallSizeToBin } from '../../../src/engine/zend7/bins';
import { SUPPORTED_PHP_VERSIONS } from '../../../src/engine/versions';
import { TraceReplayer } from '../../../src/replay/replayer';
import { parseRawTrace } from '../../../src/trace/rawTrace';
import { HeapSession, SessionChange } from '../../../src/session/heapSession';
import type { PageCell } from '../../../src/protocol/heapSnapshot';
import { loadTrace } from '../../../src/session/loadTrace';
import { randomTrace } from '../../support/randomTrace';

const MIB = 1024 * 1024;

describe('HeapSession', () => {
  it('names blocks b1, b2, … and places them as the engine does', () => {
    const s = new HeapSession('8.2');
    const a = s.allocate(100);
    assert.strictEqual(a.op, 'b1 = emalloc(100)');
    assert.ok(a.ok, a.text);
    assert.match(a.text, /chunk 0 \+ 0x1000 \(page 1, bin 10\), 112 bytes/);
    const b = s.allocate(5000);
    assert.strictEqual(b.op, 'b2 = emalloc(5000)');
    assert.match(b.text, /chunk 0 \+ 0x2000 \(page 2, 2-page run\), 8192 bytes/);
    assert.deepStrictEqual(
      s.liveBlocks().map((l) => l.name),
      ['b1', 'b2'],
    );
  });

  it('runs the done-when scenario to the expected page map', () => {
    const s = new HeapSession('8.2');
    assert.ok(s.allocate(100).ok);
    assert.ok(s.allocate(5000).ok);
    assert.ok(s.allocate(3 * MIB).ok);
    assert.ok(s.free('b1').ok);
    const r = s.reallocate('b2', 9000);
    assert.ok(r.ok, r.text);
    const snap = s.snapshot();
    assert.strictEqual(snap.seq, 5);
    assert.strictEqual(snap.chunks.length, 1);
    const pages = snap.chunks[0].pages;
    const bin100 = smallSizeToBin(100);
    const bin24 = smallSizeToBin(24); // the huge block's list node
    assert.deepStrictEqual(pages[0], { kind: 'header' });
    // page 1: bin of 100 bytes, now empty after efree(b1); the run stays until gc
    assert.deepStrictEqual(pages[1], { kind: 'small', first: 1, bin: bin100, used: 0, slots: BINS[bin100].elements });
    // pages 2-3: b2's old run, freed when erealloc could not grow it in place (page 4 is taken)
    assert.deepStrictEqual([pages[2], pages[3]], [{ kind: 'free' }, { kind: 'free' }]);
    assert.deepStrictEqual(pages[4], { kind: 'small', first: 4, bin: bin24, used: 1, slots: BINS[bin24].elements });
    // erealloc(b2, 9000): no room to grow in place, so a new 3-page run (the only free run that fits), then the old one is freed
    const nine: PageCell = { kind: 'large', first: 5, pages: 3 };
    assert.deepStrictEqual(pages.slice(5, 8), [nine, nine, nine]);
    assert.ok(pages.slice(8).every((p) => p.kind === 'free'));
    assert.deepStrictEqual(snap.huge, [{ huge: 0, size: 3 * MIB, owners: ['b3'] }]);
    assert.strictEqual(snap.bins[bin100].free, BINS[bin100].elements);
    assert.strictEqual(snap.bins[bin100].live, 0);
    assert.deepStrictEqual(snap.timeline.map((t) => t.op), [
      'b1 = emalloc(100)',
      'b2 = emalloc(5000)',
      'b3 = emalloc(3145728)',
      'efree(b1)',
      'b2 = erealloc(b2, 9000)',
    ]);
    assert.deepStrictEqual(snap.counters, {
      size: 3 * 4096 + 3 * MIB + 24,
      // zend_mm_realloc_heap keeps the peak of before the move unless the size after it is higher
      peak: 3 * 4096 + 3 * MIB + 24,
      realSize: 2 * MIB + 3 * MIB,
      realPeak: 2 * MIB + 3 * MIB,
      chunks: 1,
      cached: 0,
      limit: '9223372036854775807',
    });
  });

  it('gives page details with the owning variable of each slot', () => {
    const s = new HeapSession('8.2');
    s.allocate(100, 'x');
    s.allocate(100, 'y');
    s.free('x');
    const d = s.pageDetails(0, 1);
    assert.ok(d !== undefined);
    assert.strictEqual(d.allocator, 'zend_mm_alloc_small');
    assert.strictEqual(d.slots.length, BINS[smallSizeToBin(100)].elements);
    assert.deepStrictEqual(d.slots[0], { index: 0, offset: 4096, used: false, owners: [] });
    assert.deepStrictEqual(d.slots[1], { index: 1, offset: 4096 + 112, used: true, owners: ['y'] });
    assert.deepStrictEqual(d.owners, ['y']);
    assert.strictEqual(s.pageDetails(7, 1), undefined);
  });

  it('refuses bad names, live names and unknown blocks without changing the heap', () => {
    const s = new HeapSession('8.2');
    s.allocate(16, 'a');
    const before = s.seq;
    assert.match(s.allocate(16, '1x').text, /not a variable name/);
    assert.match(s.allocate(16, 'a').text, /already holds a live block/);
    assert.match(s.free('nope').text, /holds no live block/);
    assert.strictEqual(s.seq, before);
  });

  it('reports PHP\'s memory-limit error and keeps going', () => {
    const s = new HeapSession('8.2');
    assert.ok(s.setMemoryLimit(4 * MIB).ok);
    const r = s.allocate(8 * MIB);
    assert.strictEqual(r.ok, false);
    assert.match(r.text, /^Allowed memory size of 4194304 bytes exhausted/);
    assert.ok(s.allocate(100).ok);
    assert.strictEqual(s.halted, null);
  });

  it('says 5.x has no gc, and starts over on reset', () => {
    const t = new HeapSession('5.3');
    t.allocate(100);
    const g = t.gc();
    assert.strictEqual(g.ok, false);
    assert.match(g.text, /PHP 5\.x has no zend_mm_gc/);
    t.reset('8.4');
    assert.strictEqual(t.version, '8.4');
    assert.strictEqual(t.seq, 0);
    assert.deepStrictEqual(t.liveBlocks(), []);
    assert.strictEqual(t.suggestName(), 'b1');
  });

  it('replays a raw trace to the same counters as the trace replayer, in batches with progress', async () => {
    const text = randomTrace({ seed: 3, ops: 3000, workload: 'php-mix' });
    const { ops } = parseRawTrace(text, 't');
    const s = new HeapSession('8.2');
    const progress: number[] = [];
    const changes: SessionChange[] = [];
    s.onDidChange((c) => changes.push(c));
    const summary = await s.replay(ops, { batch: 1000, onProgress: (done) => progress.push(done) });
    const ref = new TraceReplayer();
    for (const op of ops) if (op.op !== 'd') ref.apply(op);
    const c = ref.counters();
    assert.deepStrictEqual(s.counters(), { size: c.size, realSize: c.realSize, peak: c.peak, realPeak: c.realPeak });
    assert.strictEqual(summary.cancelled, false);
    assert.strictEqual(progress[progress.length - 1], ops.length);
    assert.strictEqual(changes.length, progress.length); // one notice per batch, not per op
  });

  it('stops a replay when cancelled, keeping what ran', async () => {
    const { ops } = parseRawTrace(randomTrace({ seed: 4, ops: 5000, workload: 'php-mix' }), 't');
    const s = new HeapSession('8.2');
    let batches = 0;
    const summary = await s.replay(ops, { batch: 500, onProgress: () => batches++, isCancelled: () => batches >= 2 });
    assert.strictEqual(summary.cancelled, true);
    assert.ok(s.seq > 0 && s.seq <= 1000, `seq ${s.seq}`);
  });

  it('starts a heap of every supported version, 5.x as segments', () => {
    for (const v of SUPPORTED_PHP_VERSIONS) {
      const s = new HeapSession(v);
      assert.ok(s.allocate(100).ok, v);
      const snap = s.snapshot();
      assert.strictEqual(snap.version, v);
      if (v.startsWith('5.')) {
        assert.strictEqual(snap.family, 'zend5');
        assert.ok(snap.segments.length >= 1);
        assert.ok(snap.segments.some((g) => g.blocks.some((b) => b.kind === 'used' && b.owners.includes('b1'))), v);
      } else {
        assert.strictEqual(snap.family, 'zend7');
        assert.strictEqual(snap.chunks.length, 1);
      }
    }
    assert.throws(() => new HeapSession('6.0'), /unsupported PHP version '6\.0'/);
  });
});

describe('HeapSession memory limit and touched regions', () => {
  it('gives PHP\'s warning when the limit is below the usage, and keeps the old limit', () => {
    const s = new HeapSession('8.2');
    s.allocate(3 * 1024 * 1024);
    const r = s.setMemoryLimit(1024 * 1024);
    assert.strictEqual(r.ok, false);
    assert.strictEqual(r.text, 'Warning: Failed to set memory limit to 1048576 bytes (Current memory usage is 5242880 bytes)');
    assert.strictEqual(s.snapshot().counters.limit, '9223372036854775807');
  });

  it('raises a 5.x limit below one segment to the segment size', () => {
    const s = new HeapSession('5.3');
    const r = s.setMemoryLimit(1000);
    assert.strictEqual(r.ok, true);
    assert.strictEqual(r.text, 'memory_limit is 262144 bytes (raised to the segment size, the least a 5.x heap takes)');
    assert.strictEqual(s.snapshot().counters.limit, '262144');
  });

  it('names a touched huge block by its ordinal', () => {
    const s = new HeapSession('8.2');
    s.allocate(3 * 1024 * 1024, 'h0');
    s.allocate(3 * 1024 * 1024, 'h1');
    const address = s.addressOf('h1') as number;
    assert.deepStrictEqual(s.touchedRegions([{ kind: 'huge', address }, { kind: 'page', chunk: 0, page: 1, pages: 1 }, { kind: 'counters' }]), [
      { kind: 'huge', huge: 1 },
      { kind: 'page', chunk: 0, page: 1, pages: 1 },
      { kind: 'counters' },
    ]);
  });
});

describe('HeapSession replay of a .zmm script', () => {
  it('names blocks by the script\'s variables, following erealloc to its target (#ID when none)', async () => {
    const script = ['a = emalloc(24)', 'b = emalloc(100)', 'c = erealloc(a, 5000)', 'emalloc(8)', 'efree(b)', 'a = emalloc(16)'].join('\n');
    const t = loadTrace(script, 's.zmm');
    assert.deepStrictEqual(t.names, ['a', 'b', 'c', undefined, undefined, 'a']);
    const s = new HeapSession('8.2');
    const summary = await s.replay(t.ops, { names: t.names });
    assert.strictEqual(summary.failed, 0, summary.failures.join('\n'));
    assert.deepStrictEqual(s.liveBlocks().map((b) => b.name).sort(), ['#3', 'a', 'c']);
    assert.deepStrictEqual(s.timeline.map((p) => p.op), ['a = emalloc(24)', 'b = emalloc(100)', 'c = erealloc(a, 5000)', '#3 = emalloc(8)', 'efree(b)', 'a = emalloc(16)']);
    assert.match(s.liveBlocks().find((b) => b.name === 'c')?.where ?? '', /2-page run/);
  });
});
