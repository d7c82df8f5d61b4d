// Every function named by a step anchor must exist in the real zend_alloc.c of PHP 8.2.32
// (fetched into .cache/php-src/8.2 by scripts/setup-php.sh, never committed).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { StepRecorder } from '../../src/engine/step';
import { parseRawTrace } from '../../src/trace/rawTrace';
import { TraceReplayer } from '../../src/replay/replayer';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SOURCE = path.join(ROOT, '.cache', 'php-src', '8.2', 'Zend', 'zend_alloc.c');
const TRACES = path.join(ROOT, 'test', 'oracle', 'traces');

describe('step anchors vs the real zend_alloc.c (8.2.32)', () => {
  it('name only functions that the real source defines', () => {
    assert.ok(fs.existsSync(SOURCE), `${SOURCE} is missing: run scripts/setup-php.sh`);
    const source = fs.readFileSync(SOURCE, 'utf8');
    const functions = new Set<string>();
    for (const name of fs.readdirSync(TRACES)) {
      const rec = new StepRecorder();
      const r = new TraceReplayer({ sink: rec });
      for (const op of parseRawTrace(fs.readFileSync(path.join(TRACES, name), 'utf8'), name).ops) {
        if (r.halted !== null) break;
        if (op.op !== 'd') r.apply(op);
      }
      for (const e of rec.events) {
        functions.add(e.kind === 'stmt' ? e.anchor.split(':')[0] : e.func);
      }
    }
    assert.ok(functions.size >= 15, `only ${functions.size} functions reached`);
    for (const f of functions) {
      const defined = new RegExp(`^(?:static|ZEND_API)[^\\n;]*\\b${f}\\s*\\(`, 'm').test(source);
      assert.ok(defined, `anchor function ${f} is not defined in zend_alloc.c 8.2.32`);
    }
  });
});
