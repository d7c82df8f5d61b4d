// zend_mm_startup(): environment handling and the heap it leaves.

import * as assert from 'node:assert/strict';
import { Zend5StartupExit } from '../../../../src/engine/zend5/errors';
import { placeOf } from '../../../../src/engine/zend5/inspect';
import { zendAtoi, zendMmStartup } from '../../../../src/engine/zend5/startup';

function exitText(env: Record<string, string>): string {
  try {
    zendMmStartup({ env });
  } catch (e) {
    if (e instanceof Zend5StartupExit) return e.stderr;
    throw e;
  }
  return 'started';
}

describe('engine/zend5 startup', () => {
  it('zend_atoi: strtol base 0, then k/m/g multiply by 1024 per step, in int arithmetic', () => {
    assert.equal(zendAtoi('32768'), 32768);
    assert.equal(zendAtoi('32k'), 32768);
    assert.equal(zendAtoi('1M'), 1048576);
    assert.equal(zendAtoi('1g'), 1073741824);
    assert.equal(zendAtoi('0x8000'), 32768);
    assert.equal(zendAtoi('010'), 8);
    assert.equal(zendAtoi('  -4'), -4);
    assert.equal(zendAtoi('abc'), 0);
    assert.equal(zendAtoi('4g'), 0, '4 * 2^30 wraps to 0 in a 32-bit int');
  });

  it('starts with the reserve block as the first block of segment 0', () => {
    const heap = zendMmStartup();
    assert.equal(heap.blockSize, 262144);
    assert.deepEqual(placeOf(heap, heap.reserve - 16), { segment: 0, offset: 32 });
    assert.equal(heap.blockSizeOf(heap.reserve), 8208);
    assert.deepEqual([heap.size, heap.peak, heap.realSize, heap.realPeak, heap.cached], [8208, 8208, 262144, 262144, 0]);
    assert.equal(heap.limit, 2n ** 62n);
    assert.equal(heap.compactSize, 2 * 1024 * 1024);
    assert.equal(heap.storage.name, 'malloc');
  });

  it('honours ZEND_MM_SEG_SIZE and rejects bad values with the C messages', () => {
    assert.equal(zendMmStartup({ env: { ZEND_MM_SEG_SIZE: '32k' } }).blockSize, 32768);
    assert.equal(exitText({ ZEND_MM_SEG_SIZE: '1000' }), 'ZEND_MM_SEG_SIZE must be a power of two\n');
    assert.equal(exitText({ ZEND_MM_SEG_SIZE: '0' }), 'ZEND_MM_SEG_SIZE must be a power of two\n');
    assert.equal(exitText({ ZEND_MM_SEG_SIZE: '16' }), 'ZEND_MM_SEG_SIZE is too small\n');
    // 32 bytes is allowed: even the reserve then needs a dedicated segment
    const tiny = zendMmStartup({ env: { ZEND_MM_SEG_SIZE: '32' } });
    assert.equal(tiny.realSize, 8256);
  });

  it('honours ZEND_MM_MEM_TYPE and lists the storages for an unknown one', () => {
    assert.equal(zendMmStartup({ env: { ZEND_MM_MEM_TYPE: 'mmap_anon' } }).storage.name, 'mmap_anon');
    assert.equal(
      exitText({ ZEND_MM_MEM_TYPE: 'shm' }),
      "Wrong or unsupported zend_mm storage type 'shm'\n  supported types:\n    'malloc'\n    'mmap_anon'\n    'mmap_zero'\n",
    );
  });

  it('reads ZEND_MM_COMPACT with zend_atoi', () => {
    assert.equal(zendMmStartup({ env: { ZEND_MM_COMPACT: '4M' } }).compactSize, 4 * 1024 * 1024);
  });
});
