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
 * bytesPerOp: with the per-operation ID history (8 bytes an operation) and the live heap, a
 * 1,000,000-operation php-mix trace stays within 64 bytes an operation in all.
 *
 * maxDistance: a jump back restores the nearest checkpoint (a heap copy: up to about 4 ms) and
 * replays at most maxDistance - 1 operations on the fast path. Measured on Node 20, the fast
 * path replays the generated workloads at about 450 – 700 ns an operation (php-mix,
 * small-churn, large-fragmentation, realloc-heavy) and 1.3 – 1.5 µs on chunk-churn, whose
 * cheaper checkpoints keep it near 25,000 operations apart anyway. 40,000 operations are
 * then about 20 – 30 ms on the common workloads, well inside the 50 ms a step back may take.
 * (The memory-limit workload, at tens of µs an operation, is over that even at minDistance.)
 *
 * minDistance: a copy costs a few hundred µs to a few ms to take; 2,000 operations of replay
 * (about 1 ms) keep a program of cheap copies from spending more time copying than running.
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
