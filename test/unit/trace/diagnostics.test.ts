import * as assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/trace/diagnostics';

describe('trace/diagnostics', () => {
  describe('formatDiagnostic', () => {
    it('prints file:line:column: message when the column is known', () => {
      assert.equal(formatDiagnostic({ file: 'x.trace', line: 12, column: 5, message: 'missing SIZE' }), 'x.trace:12:5: missing SIZE');
    });

    it('prints file:line: message when there is no column', () => {
      assert.equal(formatDiagnostic({ file: 'x.trace', line: 0, message: 'cannot open: ENOENT' }), 'x.trace:0: cannot open: ENOENT');
    });

    it('keeps a column of 1 (only an absent column is left out)', () => {
      assert.equal(formatDiagnostic({ file: 'f', line: 3, column: 1, message: 'm' }), 'f:3:1: m');
    });

    it('keeps paths with colons and spaces as they are', () => {
      assert.equal(formatDiagnostic({ file: 'C:/my traces/t.trace', line: 2, column: 3, message: 'm' }), 'C:/my traces/t.trace:2:3: m');
    });
  });
});
