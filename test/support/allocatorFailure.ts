// Test helper: the AllocatorError an allocator call raises (fails the test if it raises none).

import * as assert from 'assert';
import { AllocatorError } from '../../src/engine/zend7/errors';

/** Runs `call` and returns the AllocatorError it throws; any other outcome fails the test. */
export function allocatorFailure(call: () => unknown): AllocatorError {
  try {
    call();
  } catch (e) {
    if (e instanceof AllocatorError) return e;
    throw e;
  }
  assert.fail('expected the call to fail');
}
