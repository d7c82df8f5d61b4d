import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { toJsonLine } from '../../../src/replay/jsonLines';
import type { OpRecord, StateRecord } from '../../../src/replay/records';

const heap = (size: number, realSize = 2097152) => ({ size, peak: 64, realSize, realPeak: 2097152, chunks: 1, cachedChunks: 0 });

describe('replay/jsonLines', () => {
  describe('toJsonLine', () => {
    it('prints an operation record as one line that JSON.parse reads back unchanged', () => {
      const rec: OpRecord = { op: 'a', id: '1', size: 10, at: { chunk: 0, offset: 4096 }, blockSize: 16, heap: heap(16) };
      const line = toJsonLine(rec);
      assert.ok(!line.includes('\n'));
      assert.deepEqual(JSON.parse(line), rec);
    });

    it('keeps the key order of the record', () => {
      const rec: OpRecord = { op: 'r', id: '2', size: 100, from: null, at: { huge: 0 }, blockSize: 2101248, heap: heap(0) };
      assert.equal(
        toJsonLine(rec),
        '{"op":"r","id":"2","size":100,"from":null,"at":{"huge":0},"blockSize":2101248,' +
          '"heap":{"size":0,"peak":64,"realSize":2097152,"realPeak":2097152,"chunks":1,"cachedChunks":0}}',
      );
    });

    it('round-trips a state record, free lists and loop marks included', () => {
      const s: StateRecord = {
        op: 'end',
        heap: { ...heap(48), peakChunks: 2, avgChunks: 1.5, deleteBoundary: 0, deleteCount: 0 },
        freeLists: { '2': [{ chunk: 0, offset: 8216 }, { chunk: 0, offset: 8216, loop: true }] },
        chunks: [{ num: 0, freePages: 509, freeTail: 3, runs: [{ page: 1, kind: 'small', bin: 0 }, { page: 2, kind: 'free', pages: 510 }] }],
        cache: [1],
        huge: [{ huge: 0, size: 2101248 }],
      };
      assert.deepEqual(JSON.parse(toJsonLine(s)), s);
    });

    it('prints a negative size counter as the unsigned 64-bit value C holds', () => {
      const line = toJsonLine({ op: 'f', id: '1', at: { chunk: 0, offset: 4096 }, warning: 'double free', heap: heap(-8) });
      assert.ok(line.includes('"heap":{"size":18446744073709551608,"peak":64,'), line);
    });

    it('prints every negative counter key (size, peak, realSize, realPeak) as unsigned', () => {
      const line = toJsonLine({
        op: 'gc',
        freed: 0,
        heap: { size: -1, peak: -16, realSize: -2097152, realPeak: -4096, chunks: 1, cachedChunks: 0 },
      });
      assert.equal(
        line,
        '{"op":"gc","freed":0,"heap":{"size":18446744073709551615,"peak":18446744073709551600,' +
          '"realSize":18446744073707454464,"realPeak":18446744073709547520,"chunks":1,"cachedChunks":0}}',
      );
    });

    it('prints a bigint request size or limit as its exact digits', () => {
      const a = toJsonLine({ op: 'a', id: '1', size: 18446744073709551615n, error: 'e', heap: heap(0) });
      assert.ok(a.startsWith('{"op":"a","id":"1","size":18446744073709551615,"error":"e",'), a);
      const l = toJsonLine({ op: 'l', limit: 9007199254740993n, heap: heap(0) });
      assert.ok(l.startsWith('{"op":"l","limit":9007199254740993,"heap":'), l);
    });

    it('leaves negative numbers under other keys as they are', () => {
      const rec: OpRecord = {
        op: 'f',
        id: '3',
        at: { huge: -1 },
        freed: -5,
        heap: { size: 0, peak: 0, realSize: 0, realPeak: 0, chunks: -1, cachedChunks: -2 },
      };
      const line = toJsonLine(rec);
      assert.ok(line.includes('"at":{"huge":-1}'), line);
      assert.ok(line.includes('"freed":-5'), line);
      assert.ok(line.includes('"chunks":-1,"cachedChunks":-2'), line);
      assert.deepEqual(JSON.parse(line), rec);
    });

    it('prints the unsigned value for any negative size counter, exactly', () => {
      fc.assert(
        fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: -1 }), (n) => {
          const line = toJsonLine({ op: 'gc', freed: 0, heap: heap(n) });
          const m = /"size":(\d+),/.exec(line);
          assert.ok(m !== null, line);
          assert.equal(BigInt(m[1]), 2n ** 64n + BigInt(n));
        }),
      );
    });

    it('leaves non-negative counters as plain JSON numbers', () => {
      fc.assert(
        fc.property(fc.nat(), fc.nat(), (size, realSize) => {
          const rec: OpRecord = { op: 'gc', freed: 0, heap: heap(size, realSize) };
          assert.deepEqual(JSON.parse(toJsonLine(rec)), rec);
        }),
      );
    });
  });
});
