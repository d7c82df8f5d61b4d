// Differential tests: every trace is replayed by the engine (with the version's profile) and
// by the real allocator of PHP 8.2 (host), 7.4 and 8.4 (chroots), through FFI on a private
// heap; the JSON Lines must be identical.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { randomTrace, WORKLOADS } from '../support/randomTrace';
import { engineRun } from './engineRun';
import { firstDifference } from '../../src/commands/verify/compareJsonLines';
import { profileFor } from '../../src/engine/profiles';
import { phpOracleAvailable, runPhpOracle } from './phpOracle';

type OracleVersion = '7.4' | '8.2' | '8.4';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TRACE_DIR = path.join(ROOT, 'test', 'oracle', 'traces');
const RANDOM_DIR = path.join(ROOT, '.cache', 'oracle', 'random');
/** Versions compared (ORACLE_VERSIONS=8.2,7.4,8.4 by default). */
const VERSIONS = (process.env.ORACLE_VERSIONS ?? '8.2,7.4,8.4').split(',').map((v) => v.trim()) as OracleVersion[];
/** Random traces per version, and operations in each (default 300 × 700 = 210,000 ops). */
const RANDOM_OPS = Number(process.env.ORACLE_RANDOM_OPS ?? 700);
const RANDOM_TRACES = Number(process.env.ORACLE_RANDOM_TRACES ?? 300);

const compared = new Map<string, { traces: number; ops: number }>();

/** The engine's records with its fatal kind written as the oracle writes it. */
function normalise(records: object[]): object[] {
  return records.map((r) => ('fatal' in r ? { ...r, fatal: true } : r));
}

/** Replays `file` through both and fails with the first difference. */
function compare(file: string, version: OracleVersion): void {
  const text = fs.readFileSync(file, 'utf8');
  const expected = runPhpOracle(file, version).lines;
  const actual = normalise(engineRun(text, file, profileFor(version)));
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const d = firstDifference(expected[i], actual[i]);
    if (d !== undefined) {
      assert.fail(
        `${path.relative(ROOT, file)}: record ${i} differs (real PHP ${version} vs engine) at ${d}\n` +
          `  php:    ${JSON.stringify(expected[i])?.slice(0, 600)}\n  engine: ${JSON.stringify(actual[i])?.slice(0, 600)}`,
      );
    }
  }
  const c = compared.get(version) ?? { traces: 0, ops: 0 };
  c.traces++;
  c.ops += expected.filter((r) => (r as { op: string }).op !== 'end' && (r as { op: string }).op !== 'd').length;
  compared.set(version, c);
}

for (const version of VERSIONS) {
  describe(`engine vs the real PHP ${version} allocator`, function () {
    this.timeout(120000);

    before(function () {
      const why = phpOracleAvailable(version);
      if (why !== undefined) {
        throw new Error(`the real-PHP ${version} oracle cannot run: ${why}`);
      }
    });

    after(() => {
      const c = compared.get(version) ?? { traces: 0, ops: 0 };
      console.log(`      oracle ${version}: ${c.traces} traces, ${c.ops} operations compared with real PHP ${profileFor(version).release}`);
    });

    describe('hand-written traces', () => {
      for (const name of fs.readdirSync(TRACE_DIR).filter((f) => f.endsWith('.trace')).sort()) {
        it(`replays ${name} identically`, () => compare(path.join(TRACE_DIR, name), version));
      }
    });

    describe(`seeded random traces (${RANDOM_TRACES} × ${RANDOM_OPS} ops)`, () => {
      for (let seed = 1; seed <= RANDOM_TRACES; seed++) {
        const workload = WORKLOADS[seed % WORKLOADS.length];
        it(`replays ${workload} seed ${seed} identically`, () => {
          fs.mkdirSync(RANDOM_DIR, { recursive: true });
          const file = path.join(RANDOM_DIR, `${workload}-${seed}.trace`);
          fs.writeFileSync(file, randomTrace({ seed, ops: RANDOM_OPS, workload }));
          compare(file, version);
        });
      }
    });
  });
}
