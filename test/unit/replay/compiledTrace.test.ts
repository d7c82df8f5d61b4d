// A compiled trace replays exactly as its operations applied one by one: same heap, same counts,
// same fatal stop — long IDs kept by text, sizes and limits beyond 2^53 and dumps included.
import * as assert from 'assert';
import { CompiledTrace, CompiledTraceBuilder, OP_ALLOC, OP_DUMP, OP_FREE, OP_GC, OP_LIMIT, OP_REALLOC } from '../../../src/replay/compiledTrace';
import { FastReplay } from '../../../src/replay/fastReplay';
import { parseRawTrace } from '../../../src/trace/rawTrace';
import { randomTrace, WORKLOADS } from '../../support/randomTrace';
import { dumpHeap } from '../debug/heapDump';

function parse(text: string): ReturnType<typeof parseRawTrace>['ops'] {
  const { ops, diagnostics } = parseRawTrace(text, 't');
  assert.deepStrictEqual(diagnostics, []);
  return ops;
}

/** Replays `ops` one by one and compiled; both must agree on everything. */
function agree(text: string): FastReplay {
  const ops = parse(text);
  const one = new FastReplay();
  for (const op of ops) one.apply(op);
  const compiled = CompiledTrace.from(ops);
  const all = new FastReplay(undefined, compiled.keyCapacity);
  assert.strictEqual(all.replay(compiled), one.result.fatal === null);
  assert.deepStrictEqual(all.result, one.result);
  assert.deepStrictEqual(dumpHeap(all.heap), dumpHeap(one.heap));
  return all;
}

describe('CompiledTrace', () => {
  it('keeps each operation as a code, a key and a value', () => {
    const t = CompiledTrace.from(parse('a 7 100\nr 7 200\nf 7\ngc\nl 4194304\nd\na 1234567890 5\nl 18446744073709551615\n'));
    assert.deepStrictEqual(Array.from(t.codes), [OP_ALLOC, OP_REALLOC, OP_FREE, OP_GC, OP_LIMIT, OP_DUMP, OP_ALLOC, OP_LIMIT]);
    assert.deepStrictEqual(Array.from(t.keys), [7, 7, 7, 0, 0, 0, -1, 0]);
    assert.deepStrictEqual(Array.from(t.values).slice(0, 7), [100, 200, 0, 0, 4194304, 0, 5]);
    assert.ok(Number.isNaN(t.values[7]));
    assert.strictEqual(t.bigValue(7), 18446744073709551615n);
    assert.strictEqual(t.idText(6), '1234567890');
    assert.strictEqual(t.keyCapacity, 8);
  });

  it('gives each operation back as parsing its line does, built in one go or line by line', () => {
    const text = '# c\na 7 100\n\nr 7 200\nf 7\ngc\nl 4194304\nd\na 1234567890 5\nl 18446744073709551615\n' + randomTrace({ seed: 9, ops: 3000, workload: 'php-mix' });
    const ops = parse(text);
    const builder = new CompiledTraceBuilder();
    for (const op of ops) builder.push(op);
    for (const t of [CompiledTrace.from(ops), builder.finish()]) {
      assert.strictEqual(t.length, ops.length);
      assert.deepStrictEqual(Array.from({ length: t.length }, (_, i) => t.rawOp(i)), ops);
      assert.deepStrictEqual(Array.from(t.lines).slice(0, 3), [2, 4, 5]);
    }
  });

  for (const workload of WORKLOADS) {
    it(`replays like apply, operation by operation: ${workload}`, () => {
      agree(randomTrace({ seed: 3, ops: 3000, workload }));
    });
  }

  it('replays long IDs, huge sizes, failed limits and dumps like apply', () => {
    const r = agree('a 12345678901 100\na 1 18446744073709551615\nl 1\nd\nf 12345678901\nf 12345678901\nr 99999999999 5000\n');
    assert.ok(r.result.errors >= 2);
  });

  it('stops at a fatal error like apply', () => {
    const r = agree('a 1 3000000\nf 1\nf 1\na 2 10\n');
    assert.strictEqual(r.result.fatal?.message, 'zend_mm_heap corrupted');
  });
});
