// Checkpoint spacing: the distance to the next checkpoint follows the bytes the last one cost,
// at the budget, within the minimum and maximum distance; a spacing that cannot place
// checkpoints is refused with the field it gets wrong.

import * as assert from 'assert';
import fc from 'fast-check';
import { checkSpacing, DEFAULT_CHECKPOINT_SPACING, fixedSpacing, nextCheckpointDistance } from '../../../src/debug/checkpointSpacing';

describe('checkpoint spacing', () => {
  const spacing = { bytesPerOp: 40, minDistance: 2000, maxDistance: 40_000 };

  it('places the next checkpoint after as many operations as the last one cost at the budget', () => {
    assert.strictEqual(nextCheckpointDistance(spacing, 400_000), 10_000);
    // a part operation rounds up: the checkpoint never costs more than the budget
    assert.strictEqual(nextCheckpointDistance(spacing, 400_001), 10_001);
  });

  it('keeps the distance within the minimum and the maximum', () => {
    assert.strictEqual(nextCheckpointDistance(spacing, 0), 2000);
    assert.strictEqual(nextCheckpointDistance(spacing, 79_999), 2000);
    assert.strictEqual(nextCheckpointDistance(spacing, 80_040), 2001);
    assert.strictEqual(nextCheckpointDistance(spacing, 1_600_000), 40_000);
    assert.strictEqual(nextCheckpointDistance(spacing, 50_000_000), 40_000);
  });

  it('holds for any cost and spacing: within the bounds, and at the budget when not held at the maximum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        fc.integer({ min: 0, max: 1e9 }),
        (min, extra, bytesPerOp, bytes) => {
          const s = checkSpacing({ bytesPerOp, minDistance: min, maxDistance: min + extra });
          const d = nextCheckpointDistance(s, bytes);
          assert.ok(Number.isInteger(d) && d >= s.minDistance && d <= s.maxDistance, `distance ${d}`);
          // (a relative 1e-12 for the rounding of bytes / bytesPerOp)
          if (d < s.maxDistance) assert.ok(bytes / d <= bytesPerOp * (1 + 1e-12), `${bytes} bytes over ${d} operations exceed ${bytesPerOp} B/op`);
        },
      ),
    );
  });

  it('gives a fixed distance when the minimum and the maximum are equal', () => {
    const s = fixedSpacing(97);
    assert.deepStrictEqual([0, 5000, 1e9].map((b) => nextCheckpointDistance(s, b)), [97, 97, 97]);
  });

  it('refuses a spacing that cannot place checkpoints, naming the field', () => {
    assert.throws(() => checkSpacing({ bytesPerOp: 0, minDistance: 1, maxDistance: 1 }), /bytesPerOp must be a positive number, got 0/);
    assert.throws(() => checkSpacing({ bytesPerOp: NaN, minDistance: 1, maxDistance: 1 }), /bytesPerOp/);
    assert.throws(() => checkSpacing({ bytesPerOp: 1, minDistance: 0, maxDistance: 1 }), /minDistance must be a whole number of operations >= 1, got 0/);
    assert.throws(() => checkSpacing({ bytesPerOp: 1, minDistance: 1.5, maxDistance: 2 }), /minDistance/);
    assert.throws(() => checkSpacing({ bytesPerOp: 1, minDistance: 10, maxDistance: 9 }), /maxDistance must be a whole number of operations >= minDistance \(10\), got 9/);
    assert.strictEqual(checkSpacing(DEFAULT_CHECKPOINT_SPACING), DEFAULT_CHECKPOINT_SPACING);
  });
});
