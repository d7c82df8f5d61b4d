import * as assert from 'assert';
import { formatBytes } from '../../../src/session/formatBytes';

describe('formatBytes', () => {
  it('formats bytes', () => {
    assert.strictEqual(formatBytes(112), '112 B');
    assert.strictEqual(formatBytes(8192), '8 KiB');
    assert.strictEqual(formatBytes(3 * 1024 * 1024), '3 MiB');
  });
});
