// Where the stepper's time travel takes its heap checkpoints: after each one, the distance to
// the next follows from the bytes that checkpoint cost, so that checkpoints hold about a fixed
// number of bytes per operation of the program, within a minimum and a maximum distance.

/** How far apart checkpoints are placed (distances in operations). */
export interface CheckpointSpacing {
  /** Checkpoint bytes per operation the spacing aims at. */
  readonly bytesPerOp: number;
  /** Fewest operations between two checkpoints (cheap checkpoints are not taken more often). */
  readonly minDistance: number;
  /** Most operations between two checkpoints: bounds the replay a jump back may need. */
  readonly maxDistance: number;
}

/**
 * The spacing debug sessions use.
 *
 * bytesPerOp: checkpoints are the bulk of what time travel holds; with the ID history
 * (8 bytes an operation) and the live heap besides, 1,000,000-operation runs of the generated
 * workloads grew by 52 – 63 bytes an operation in all (the memory-limit one not measured),
 * within the 64 aimed at.
 *
 * maxDistance: a jump back restores the nearest checkpoint (a heap copy, a few ms at most) and
 * replays up to maxDistance - 1 operations on the fast path. Measured on Node 20 on 1M-op
 * traces, that path replays php-mix, small-churn and realloc-heavy at about 420 – 550 ns an
 * operation, large-fragmentation at about 740 ns, and chunk-churn at about 1.3 µs, whose
 * cheaper copies keep it at most about 24,000 operations apart. 40,000 operations are then
 * about 20 – 30 ms, well inside the 50 ms a step back may take even on a busy machine; a copy
 * of a php-mix heap (about 2 MB) would want about 50,000 at 40 B/op, so this bound decides
 * there, at about 45 B/op. (The memory-limit workload, where about a third of the calls fail
 * at about 70 µs each, is slower than that even at minDistance.)
 *
 * minDistance: a copy costs up to a few ms to take; 2,000 operations of replay (about 1 ms)
 * keep a program of cheap copies from spending more time copying than running.
 */
export const DEFAULT_CHECKPOINT_SPACING: CheckpointSpacing = { bytesPerOp: 40, minDistance: 2000, maxDistance: 40_000 };

/** Every checkpoint exactly `distance` operations after the previous one. */
export function fixedSpacing(distance: number): CheckpointSpacing {
  return { bytesPerOp: 1, minDistance: distance, maxDistance: distance };
}

/** Throws a RangeError naming the field when `spacing` cannot place checkpoints. */
export function checkSpacing(spacing: CheckpointSpacing): CheckpointSpacing {
  const { bytesPerOp, minDistance, maxDistance } = spacing;
  if (!(bytesPerOp > 0) || !Number.isFinite(bytesPerOp)) throw new RangeError(`checkpoint spacing: bytesPerOp must be a positive number, got ${bytesPerOp}`);
  if (!Number.isSafeInteger(minDistance) || minDistance < 1) throw new RangeError(`checkpoint spacing: minDistance must be a whole number of operations >= 1, got ${minDistance}`);
  if (!Number.isSafeInteger(maxDistance) || maxDistance < minDistance) throw new RangeError(`checkpoint spacing: maxDistance must be a whole number of operations >= minDistance (${minDistance}), got ${maxDistance}`);
  return spacing;
}

/** Operations from a checkpoint that cost `bytes` (not shared with the one before) to the next. */
export function nextCheckpointDistance(spacing: CheckpointSpacing, bytes: number): number {
  const wanted = Math.ceil(bytes / spacing.bytesPerOp);
  return Math.min(spacing.maxDistance, Math.max(spacing.minDistance, wanted));
}
