import * as assert from 'assert';
import { allocationHint, parseRequestSize } from '../../../src/session/allocationHint';

describe('allocationHint', () => {
  it('names the bin and run of a small size', () => {
    assert.strictEqual(allocationHint('zend7', 100), 'small: bin 10, 112-byte slot; a run of 1 page holds 36 slots');
    assert.strictEqual(allocationHint('zend7', 300), 'small: bin 16, 320-byte slot; a run of 5 pages holds 64 slots');
  });
  it('counts the pages of a large size and the mapping of a huge one', () => {
    assert.strictEqual(allocationHint('zend7', 5000), 'large: a run of 2 pages (8 KiB) in a chunk');
    assert.strictEqual(allocationHint('zend7', 3 * 1024 * 1024), 'huge: a mapping of its own, 3 MiB (rounded to the OS page), 2 MiB-aligned');
  });
  it('gives the 5.x block size', () => {
    assert.strictEqual(allocationHint('zend5', 100), 'a 120-byte block (header included), from small bucket 11, the rest list or a segment');
  });
  it('parses sizes with suffixes and explains bad ones', () => {
    assert.deepStrictEqual(parseRequestSize(' 3M '), { value: 3 * 1024 * 1024 });
    assert.deepStrictEqual(parseRequestSize('0x64'), { value: 100 });
    assert.match((parseRequestSize('') as { error: string }).error, /type a size/);
    assert.match((parseRequestSize('12abc') as { error: string }).error, /invalid number/);
    assert.match((parseRequestSize('16G') as { value: number }).value.toString(), /^17179869184$/);
    assert.match((parseRequestSize('0xffffffffffffffff') as { error: string }).error, /more than this session simulates/);
  });
});
