// The 13 reference traces of the real PHP 5.3.25 allocator, under both segment sizes: every
// op line and every dump must equal what the 5.x replayer produces.

import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Zend5Replayer } from '../../src/replay/zend5/zend5Replayer';
import { PHP53 } from '../../src/engine/zend5/profiles';
import { parseRawTrace } from '../../src/trace/rawTrace';
import { parseExpected } from './php53Format';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const dataDir = path.resolve(repoRoot, '..', 'shared', 'oracle-data', 'php53');

/** The two settings the data was measured under. */
const SETTINGS = [
  { dir: 'expected', env: {} as Record<string, string> },
  { dir: 'expected_seg32k', env: { ZEND_MM_SEG_SIZE: '32768' } as Record<string, string> },
];

/** Totals over the whole run, printed at the end. */
const totals = { ops: 0, dumps: 0, inits: 0 };

describe('reference data of the real PHP 5.3.25 allocator', () => {
  if (!fs.existsSync(path.join(dataDir, 'traces'))) {
    it('finds the reference data', () => {
      assert.fail(`reference data missing: expected ${dataDir}/traces (clone shared/ beside the repository)`);
    });
    return;
  }
  const traces = fs.readdirSync(path.join(dataDir, 'traces')).filter((f) => f.endsWith('.trace')).sort();

  it('has the 13 traces FORMAT.md lists', () => {
    assert.equal(traces.length, 13);
  });

  for (const setting of SETTINGS) {
    for (const file of traces) {
      const name = file.replace(/\.trace$/, '');
      it(`${setting.dir}/${name}: every op and dump matches`, () => {
        const traceText = fs.readFileSync(path.join(dataDir, 'traces', file), 'utf8');
        const expectedText = fs.readFileSync(path.join(dataDir, setting.dir, `${name}.out`), 'utf8');
        const { ops, diagnostics } = parseRawTrace(traceText, file);
        assert.deepEqual(diagnostics, []);
        const expected = parseExpected(expectedText);
        const replayer = new Zend5Replayer({ profile: PHP53, env: setting.env });

        const init = expected[0];
        assert.equal(init.kind, 'init');
        if (init.kind === 'init') {
          const h = replayer.heap;
          const reserve = replayer.placeOfPayload(h.reserve);
          assert.deepEqual(
            { blockSize: h.blockSize, storage: h.storage.name, reserve: { ...reserve, size: h.blockSizeOf(h.reserve) }, heap: replayer.counters() },
            init.init,
            `${name}.out:${init.line}: init`,
          );
          totals.inits++;
        }
        let k = 1;
        for (const op of ops) {
          const item = expected[k++];
          assert.ok(item !== undefined, `${name}: output ends before trace line ${op.line}`);
          if (op.op === 'd') {
            assert.equal(item.kind, 'dump', `${name}.out:${item.line}: expected a dump for trace line ${op.line}`);
            if (item.kind === 'dump') {
              const { op: _op, ...state } = replayer.state('d');
              assert.deepEqual(state, item.state, `${name}.out:${item.line}: dump after trace line ${op.line}`);
              totals.dumps++;
            }
          } else {
            assert.equal(item.kind, 'op', `${name}.out:${item.line}: expected an op line for trace line ${op.line}`);
            if (item.kind === 'op') {
              assert.deepEqual(replayer.apply(op), item.record, `${name}.out:${item.line}: '${item.text}' (trace line ${op.line})`);
              totals.ops++;
            }
          }
        }
        const last = expected[k++];
        assert.ok(last !== undefined && last.kind === 'dump', `${name}: the final dump is missing`);
        if (last.kind === 'dump') {
          const { op: _op, ...state } = replayer.state('end');
          assert.deepEqual(state, last.state, `${name}.out:${last.line}: final dump`);
          totals.dumps++;
        }
        assert.equal(expected.length, k, `${name}: more output than the trace explains`);
      });
    }
  }

  after(() => {
    console.log(`      compared: ${totals.inits} init lines, ${totals.ops} op lines, ${totals.dumps} dumps`);
  });
});
