// IdHistory: each operation links to the previous one on its trace ID, what an ID names reads
// back exactly for every address (compact ones and the rest alike), and the history takes
// 8 bytes an operation.

import * as assert from 'assert';
import fc from 'fast-check';
import { DEFAULT_TOP } from '../../../src/engine/addressSpace';
import { IdHistory } from '../../../src/debug/idHistory';
import type { IdBlock } from '../../../src/debug/traceMachine';
import { compiledOps, listOps } from './programOfText';

const GiB = 1024 ** 3;

describe('IdHistory', () => {
  for (const [kind, programOf] of [['compiled', compiledOps], ['objects', listOps]] as const) {
    it(`reads what an ID names before an operation from the last operation on that ID (${kind})`, () => {
      const h = new IdHistory(programOf('a 1 8\na 2 8\ngc\nf 1\nr 2 100\nf 7\na 1 16\na 12345678901 8\nf 12345678901\n'));
      const a1 = { address: DEFAULT_TOP - 2 * 1024 * 1024 + 4096, live: true };
      const a2 = { address: a1.address + 8, live: true };
      h.record(0, a1);
      h.record(1, a2);
      h.record(3, { address: a1.address, live: false });
      assert.deepStrictEqual([h.before(0), h.before(1), h.before(2), h.before(3)], [undefined, undefined, undefined, a1]);
      assert.deepStrictEqual(h.before(4), a2);
      h.record(4, { address: a1.address + 4096, live: true });
      h.record(5, undefined); // a free of an ID never allocated
      assert.deepStrictEqual([h.before(5), h.after(5)], [undefined, undefined]);
      assert.deepStrictEqual(h.before(6), { address: a1.address, live: false });
      assert.strictEqual(h.after(2), undefined, 'gc names no block');
      h.record(7, { address: a1.address + 16, live: true });
      assert.deepStrictEqual(h.before(8), { address: a1.address + 16, live: true }, 'an ID too long for a key');
    });
  }

  it('links operations on large and small IDs alike', () => {
    const h = new IdHistory(compiledOps('a 999999999 8\na 3 8\nf 999999999\nf 3\na 4194304 8\nf 4194304\n'));
    const block = { address: DEFAULT_TOP - 8 * 1000, live: true };
    h.record(0, block);
    h.record(1, { address: block.address + 8, live: true });
    h.record(4, { address: block.address + 16, live: true });
    assert.deepStrictEqual([h.before(2), h.before(3), h.before(5)], [block, { address: block.address + 8, live: true }, { address: block.address + 16, live: true }]);
  });

  it('reads back every block exactly, near the top of the address space or not', () => {
    const samples: IdBlock[] = [
      { address: DEFAULT_TOP, live: true },
      { address: DEFAULT_TOP - 8, live: false },
      { address: DEFAULT_TOP - 16 * GiB + 16, live: true },
      // outside the compact range: further down, unaligned, above the top, zero, not a number
      { address: DEFAULT_TOP - 16 * GiB - 8, live: true },
      { address: DEFAULT_TOP - 12, live: true },
      { address: DEFAULT_TOP + 8, live: false },
      { address: 0, live: false },
      { address: NaN, live: false },
      { address: 2 ** 53 - 1, live: true },
    ];
    const h = new IdHistory(compiledOps(samples.map((_, i) => `a ${i} 8\n`).join('')));
    samples.forEach((b, i) => h.record(i, b));
    assert.deepStrictEqual(samples.map((_, i) => h.after(i)), samples);
    assert.strictEqual(h.unusualCount, 6);
  });

  it('round-trips any address and liveness (property)', () => {
    const address = fc.oneof(
      fc.integer({ min: 0, max: 2 ** 31 }).map((k) => DEFAULT_TOP - 8 * k),
      fc.integer({ min: 0, max: 2 ** 47 }),
      fc.double({ noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(fc.array(fc.option(fc.tuple(address, fc.boolean()).map(([address, live]): IdBlock => ({ address, live })), { nil: undefined }), { minLength: 1, maxLength: 40 }), (blocks) => {
        const h = new IdHistory(compiledOps(blocks.map(() => 'a 1 8\n').join('')));
        blocks.forEach((b, i) => h.record(i, b));
        blocks.forEach((b, i) => {
          assert.deepStrictEqual(h.after(i), b);
          if (i > 0) assert.deepStrictEqual(h.before(i), blocks[i - 1]);
        });
      }),
    );
  });

  it('takes 8 bytes an operation', () => {
    assert.strictEqual(new IdHistory(compiledOps('a 1 8\nf 1\ngc\n')).byteLength, 24);
  });
});
