// ChunkWords keeps any 64-bit-safe value a word can hold: in-chunk links as 32-bit offsets,
// anything else (other chunks, unaligned or huge values, the chunk base itself) beside them;
// reads never see the LISTED bit; frozen copies share unchanged pages and never change.
import * as assert from 'assert';
import { ChunkWords, LISTED } from '../../../../src/engine/zend7/chunkWords';

const BASE = 0x7f0000000000;

describe('engine/zend7/chunkWords', () => {
  it('reads back every kind of value it was given', () => {
    const w = new ChunkWords(BASE);
    const values: [number, number][] = [
      [4096, BASE + 4112], // a link in the same chunk
      [4104, BASE + 0x200000 + 16], // a link into the next chunk
      [4112, BASE], // the chunk base itself
      [4120, BASE + 4099], // unaligned
      [4128, 2 ** 53 - 1],
      [4136, 0],
      [4140, 123], // an unaligned offset
    ];
    for (const [off, v] of values) w.write(off, v);
    for (const [off, v] of values) assert.strictEqual(w.read(off), v, `offset ${off}`);
    assert.strictEqual(w.read(8192), 0, 'never written: zero');
    assert.strictEqual(w.read(4144), 0);
  });

  it('keeps the LISTED bit out of reads and through writes', () => {
    const w = new ChunkWords(BASE);
    w.write(4096, BASE + 4200);
    w.mark(4096, LISTED);
    assert.strictEqual(w.read(4096), BASE + 4200);
    w.write(4096, BASE + 0x400000);
    assert.strictEqual(w.read(4096), BASE + 0x400000);
    assert.strictEqual(w.code(4096) & LISTED, LISTED);
    w.unmark(4096, LISTED);
    assert.strictEqual(w.code(4096) & LISTED, 0);
  });

  it('writes a chain as single writes would', () => {
    const a = new ChunkWords(BASE);
    const b = new ChunkWords(BASE);
    a.writeChain(4096 + 48, 4096 + 48 * 80, 48);
    for (let off = 4096 + 48; off < 4096 + 48 * 80; off += 48) b.write(off, BASE + off + 48);
    for (let off = 4096; off < 4096 * 2; off += 8) assert.strictEqual(a.read(off), b.read(off));
  });

  it('freezes pages that later writes do not change, and shares unchanged ones', () => {
    const w = new ChunkWords(BASE);
    w.write(4096, BASE + 4104);
    w.write(8192, BASE + 0x200000);
    const first = w.freeze();
    w.write(4096, 0);
    const second = w.freeze(first);
    assert.strictEqual(first.read(4096), BASE + 4104, 'the first copy did not move');
    assert.strictEqual(second.read(4096), 0);
    assert.strictEqual(second.read(8192), BASE + 0x200000);
    assert.strictEqual(second.bytesNotIn(first), 512 * 4, 'only the changed page is its own');
    const thawed = second.freeze();
    thawed.write(8192, 5);
    assert.strictEqual(second.read(8192), BASE + 0x200000, 'writing a copy of a frozen copy leaves it');
    assert.strictEqual(thawed.read(8192), 5);
    assert.strictEqual(thawed.read(4096), 0);
  });
});
