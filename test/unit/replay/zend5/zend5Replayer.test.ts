// The 5.x replayer: records, IDs, failures and state dumps.

import * as assert from 'node:assert/strict';
import { StepRecorder } from '../../../../src/engine/step';
import { GC_UNSUPPORTED, Zend5Replayer } from '../../../../src/replay/zend5/zend5Replayer';
import { zend5JsonLine } from '../../../../src/replay/zend5/zend5Records';
import { parseRawTrace, RawOp } from '../../../../src/trace/rawTrace';

function run(text: string, replayer = new Zend5Replayer()): ReturnType<Zend5Replayer['apply']>[] {
  const { ops } = parseRawTrace(text, 't');
  return ops.filter((o): o is Exclude<RawOp, { op: 'd' }> => o.op !== 'd').map((o) => replayer.apply(o));
}

describe('replay/zend5 Zend5Replayer', () => {
  it('prints records with the documented key order', () => {
    const [a, r, f] = run('a 1 100\nr 1 200\nf 1\n');
    assert.equal(
      zend5JsonLine(a),
      '{"op":"a","id":"1","size":100,"at":{"segment":0,"offset":8240},"blockSize":120,"heap":{"size":8328,"peak":8328,"realSize":262144,"realPeak":262144,"cached":0}}',
    );
    assert.deepEqual(Object.keys(r), ['op', 'id', 'size', 'from', 'fromBlockSize', 'at', 'blockSize', 'heap']);
    assert.deepEqual(Object.keys(f), ['op', 'id', 'at', 'blockSize', 'heap']);
  });

  it('marks ops on IDs whose allocation failed as notlive and makes no call', () => {
    const recs = run('l 262144\na 1 300000\nf 1\nr 1 10\n');
    assert.equal(recs[1].error, 'limit');
    assert.deepEqual(
      recs.slice(2).map((r) => [r.op, r.error, r.at]),
      [
        ['f', 'notlive', undefined],
        ['r', 'notlive', undefined],
      ],
    );
    assert.deepEqual(recs[3].heap, recs[1].heap);
  });

  it('reports gc as unsupported and prints bigint sizes exactly', () => {
    const recs = run('gc\na 1 18446744073709551615\n');
    assert.equal(recs[0].error, 'unsupported');
    assert.equal(recs[0].message, GC_UNSUPPORTED);
    assert.match(zend5JsonLine(recs[1]), /"size":18446744073709551615,"error":"oom"/);
  });

  it('tags used blocks in dumps: trace IDs, the reserve and cached blocks', () => {
    const replayer = new Zend5Replayer();
    run('a 1 100\na 2 100\nf 1\n', replayer);
    const s = replayer.state('d');
    assert.deepEqual(
      s.segments[0].blocks.map((b) => `${b.offset}:${b.type}:${b.tag ?? ''}`),
      ['32:U:R', '8240:U:C', '8360:U:2', '8480:F:', '262144:G:'],
    );
    assert.deepEqual(s.cache, [{ index: 11, blocks: [{ segment: 0, offset: 8240, size: 120 }] }]);
    assert.equal(s.bitmaps.large, '0x0000000000020000');
  });

  it('keeps a segment ordinal when the segment is resized', () => {
    const replayer = new Zend5Replayer();
    const recs = run('a 1 300000\na 2 100\nr 1 900000\n', replayer);
    assert.deepEqual(recs[2].from, { segment: 1, offset: 32 });
    assert.deepEqual(recs[2].at, { segment: 1, offset: 32 });
    assert.deepEqual(replayer.state('end').segments.map((s) => [s.segment, s.size]), [
      [1, 1048576],
      [0, 262144],
    ]);
  });

  it('emits step events with named anchors', () => {
    const sink = new StepRecorder();
    const replayer = new Zend5Replayer({ sink });
    run('a 1 100\nf 1\na 2 100\na 3 5000\nf 3\n', replayer);
    const anchors = sink.anchors();
    for (const a of ['_zend_mm_free_int:cache_push', '_zend_mm_alloc_int:cache_hit', '_zend_mm_alloc_int:split', '_zend_mm_free_int:coalesce_next', 'zend_mm_search_large_block:smallest_above']) {
      assert.ok(anchors.includes(a), `missing ${a}`);
    }
  });
});
