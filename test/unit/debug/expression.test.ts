// Expression: the C-like language of breakpoint conditions and watch expressions, and the
// names a stop gives it (evalScope): locals, trace fields, heap fields, macros, blocks.

import * as assert from 'assert';
import { PHP_8_2 } from '../../../src/engine/profiles';
import { binDataSize } from '../../../src/engine/zend7/bins';
import type { ZendHeap } from '../../../src/engine/zend7/heap';
import { stopScope } from '../../../src/debug/evalScope';
import { EvalScope, Expression, ExpressionError, Value } from '../../../src/debug/expression';
import { Timeline } from '../../../src/debug/timeline';
import { parseZmmProgram } from '../../../src/debug/traceProgram';

const empty: EvalScope = { lookup: () => undefined, call: () => undefined };

function ev(text: string, scope: EvalScope = empty): Value {
  return Expression.parse(text).evaluate(scope);
}

describe('Expression', () => {
  it('follows C precedence for arithmetic, comparison and logic', () => {
    assert.strictEqual(ev('1 + 2 * 3'), 7);
    assert.strictEqual(ev('(1 + 2) * 3'), 9);
    assert.strictEqual(ev('0x10 - 1'), 15);
    assert.strictEqual(ev('7 / 2'), 3);
    assert.strictEqual(ev('7 % 4 == 3 && !0'), true);
    assert.strictEqual(ev('1 < 2 || 1 / 0'), true, '|| does not evaluate its right side once true');
    assert.strictEqual(ev('-3 + 1'), -2);
  });

  it('names the column of a syntax error', () => {
    assert.throws(() => Expression.parse('size >'), /column 7: missing operand in 'size >'/);
    assert.throws(() => Expression.parse('a @ b'), /column 3: unexpected '@'/);
    assert.throws(() => Expression.parse('f(1, 2'), /missing '\)'/);
    assert.throws(() => Expression.parse(''), ExpressionError);
  });

  it('reports unknown names and bad operands when evaluated', () => {
    assert.throws(() => ev('nosuch > 1'), /unknown name 'nosuch'/);
    assert.throws(() => ev('1 / 0'), /division by zero/);
    const scope: EvalScope = { lookup: (n) => (n === 'list' ? [1, 2] : n === 'rec' ? { a: 1 } : undefined), call: () => undefined };
    assert.throws(() => ev('list[2]', scope), /index 2 out of range 0..1/);
    assert.throws(() => ev('rec->b', scope), /no field 'b' \(fields: a\)/);
    assert.strictEqual(ev('rec->a + list[1]', scope), 3);
  });
});

describe('stopScope', () => {
  const program = parseZmmProgram('a = emalloc(24)\nb = emalloc(100)\nefree(a)\nc = emalloc(3000000)\n', 'x.zmm');
  const timeline = new Timeline(program.ops, PHP_8_2);

  function scopeAt(op: number, locals: Record<string, number> = {}): EvalScope {
    return stopScope({ machine: timeline.before(op), bindings: () => timeline.bindingsAt(op), op: op < program.ops.length ? program.ops.op(op) : undefined, locals });
  }

  it('computes allocator macros and tables as zend_alloc.c defines them', () => {
    const s = scopeAt(0);
    assert.strictEqual(ev('ZEND_MM_SMALL_SIZE_TO_BIN(100)', s), 10);
    assert.strictEqual(ev('bin_data_size[ZEND_MM_SMALL_SIZE_TO_BIN(100)]', s), binDataSize[10]);
    assert.strictEqual(ev('ZEND_MM_SMALL_SIZE_TO_BIN(3072)', s), 29);
    assert.strictEqual(ev('ZEND_MM_SIZE_TO_NUM(5000, ZEND_MM_PAGE_SIZE)', s), 2);
    assert.throws(() => ev('ZEND_MM_SMALL_SIZE_TO_BIN(3073)', s), /above ZEND_MM_MAX_SMALL_SIZE/);
    assert.throws(() => ev('NO_SUCH_MACRO(1)', s), /unknown macro or function 'NO_SUCH_MACRO'/);
  });

  it('reads heap fields, the trace operation, locals and script variables', () => {
    const s = scopeAt(3, { pages_count: 3 });
    const heap = timeline.before(3).heap as ZendHeap;
    assert.strictEqual(ev('heap->size', s), 112);
    assert.strictEqual(ev('heap->free_slot[2]', s), heap.freeSlot[2]);
    assert.strictEqual(ev('heap->free_slot[2] != 0', s), true);
    assert.strictEqual(ev('size', s), 3000000, 'the operation c = emalloc(3000000)');
    assert.strictEqual(ev('pages_count', s), 3);
    assert.strictEqual(ev('a.live', s), false);
    assert.strictEqual(ev('a.address == heap->free_slot[2]', s), true, 'a, freed, heads bin 2');
    assert.strictEqual(ev('b.bin', s), 10);
    assert.strictEqual(ev('$2.size', s), 112);
    assert.strictEqual(ev('bin', scopeAt(1)), 10, 'bin of the request when no bin_num local exists');
    assert.strictEqual(ev('bin', scopeAt(1, { bin_num: 4 })), 4);
  });
});
