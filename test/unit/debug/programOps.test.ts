// ProgramOps: a raw trace's compiled operations read back as the same operations, lines and ID
// identities as the list of operation objects a script keeps.
import * as assert from 'assert';
import type { ProgramOps } from '../../../src/debug/programOps';
import { randomTrace, WORKLOADS } from '../../support/randomTrace';
import { compiledOps, listOps } from './programOfText';

/** Operation i of `ops`: its raw operation, line, and which earlier operation shares its ID key. */
function view(ops: ProgramOps): unknown[] {
  const firstWithKey = new Map<number | string, number>();
  const out: unknown[] = [];
  for (let i = 0; i < ops.length; i++) {
    const key = ops.idKey(i);
    if (key !== undefined && !firstWithKey.has(key)) firstWithKey.set(key, i);
    out.push([ops.op(i), ops.line(i), key === undefined ? -1 : firstWithKey.get(key), ops.at(i).op, ops.at(i).line]);
  }
  return out;
}

describe('ProgramOps', () => {
  const edge = 'a 1 8\na 12345678901 16\n# c\nf 1\nr 12345678901 18446744073709551615\ngc\ng\nl 4194304\nd\na 1234567890 8\nf 1234567890\nf 12345678901\n';
  for (const [name, text] of [['edge cases', edge], ...WORKLOADS.map((w) => [w, randomTrace({ seed: 4, ops: 2000, workload: w })])]) {
    it(`compiled and as objects agree: ${name}`, () => {
      const compiled = compiledOps(text);
      const list = listOps(text);
      assert.strictEqual(compiled.length, list.length);
      assert.deepStrictEqual(view(compiled), view(list));
    });
  }

  it('labels a compiled operation as the trace writes it', () => {
    const ops = compiledOps(edge);
    assert.deepStrictEqual(
      Array.from({ length: ops.length }, (_, i) => ops.at(i).label),
      ['a 1 8', 'a 12345678901 16', 'f 1', 'r 12345678901 18446744073709551615', 'gc', 'gc', 'l 4194304', 'd', 'a 1234567890 8', 'f 1234567890', 'f 12345678901'],
    );
  });

  it('keeps a compiled program in 17 bytes an operation', () => {
    const ops = compiledOps(randomTrace({ seed: 5, ops: 5000, workload: 'php-mix' }));
    const t = ops.trace;
    assert.strictEqual(t.codes.byteLength + t.keys.byteLength + t.values.byteLength + t.lines.byteLength, 17 * ops.length);
  });
});
