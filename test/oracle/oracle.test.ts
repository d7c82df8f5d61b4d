// Differential tests: every trace is replayed by the engine and by the real PHP 8.2.32
// allocator (through FFI on a private heap); the JSON Lines must be identical.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { randomTrace, WORKLOADS } from '../support/randomTrace';
import { engineRun } from './engineRun';
import { firstDifference } from './firstDifference';
import { phpOracleAvailable, runPhpOracle } from './phpOracle';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TRACE_DIR = path.join(ROOT, 'test', 'oracle', 'traces');
const RANDOM_DIR = path.join(ROOT, '.cache', 'oracle', 'random');
/** How many random traces, and operations in each (CI defaults: 300 × 700 = 210,000 ops). */
const RANDOM_TRACES = Number(process.env.ORACLE_RANDOM_TRACES ?? 300);
const RANDOM_OPS = Number(process.env.ORACLE_RANDOM_OPS ?? 700);

let comparedOps = 0;
let comparedTraces = 0;

/** The engine's records with its fatal kind written as the oracle writes it. */
function normalise(records: object[]): object[] {
  return records.map((r) => ('fatal' in r ? { ...r, fatal: true } : r));
}

/** Replays `file` through both and fails with the first difference. */
function compare(file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const expected = runPhpOracle(file).lines;
  const actual = normalise(engineRun(text, file));
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const d = firstDifference(expected[i], actual[i]);
    if (d !== undefined) {
      assert.fail(
        `${path.relative(ROOT, file)}: record ${i} differs (real PHP vs engine) at ${d}\n` +
          `  php:    ${JSON.stringify(expected[i])?.slice(0, 600)}\n  engine: ${JSON.stringify(actual[i])?.slice(0, 600)}`,
      );
    }
  }
  comparedTraces++;
  comparedOps += expected.filter((r) => (r as { op: string }).op !== 'end' && (r as { op: string }).op !== 'd').length;
}

describe('engine vs real PHP 8.2.32 allocator', function () {
  this.timeout(120000);

  before(function () {
    const why = phpOracleAvailable();
    if (why !== undefined) {
      throw new Error(`the real-PHP oracle cannot run: ${why}`);
    }
  });

  after(() => {
    console.log(`      oracle: ${comparedTraces} traces, ${comparedOps} operations compared with real PHP 8.2.32`);
  });

  describe('hand-written traces', () => {
    for (const name of fs.readdirSync(TRACE_DIR).filter((f) => f.endsWith('.trace')).sort()) {
      it(`replays ${name} identically`, () => compare(path.join(TRACE_DIR, name)));
    }
  });

  describe(`seeded random traces (${RANDOM_TRACES} × ${RANDOM_OPS} ops)`, () => {
    for (let seed = 1; seed <= RANDOM_TRACES; seed++) {
      const workload = WORKLOADS[seed % WORKLOADS.length];
      it(`replays ${workload} seed ${seed} identically`, () => {
        fs.mkdirSync(RANDOM_DIR, { recursive: true });
        const file = path.join(RANDOM_DIR, `${workload}-${seed}.trace`);
        fs.writeFileSync(file, randomTrace({ seed, ops: RANDOM_OPS, workload }));
        compare(file);
      });
    }
  });
});
