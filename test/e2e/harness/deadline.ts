// Every step of an end-to-end run has a time limit, so a hung server or browser fails the
// run with the name of the step instead of stalling it.

export class StepTimeoutError extends Error {}

/** Resolves as `work` does, or rejects with a StepTimeoutError naming `step` after `ms`. */
export async function withDeadline<T>(step: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeoutError(`${step}: no result within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Calls `probe` every `intervalMs` until it returns a value other than undefined or `ms` pass. */
export async function pollUntil<T>(step: string, ms: number, probe: () => Promise<T | undefined>, intervalMs = 100): Promise<T> {
  const end = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= end) {
      const why = lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})` : '';
      throw new StepTimeoutError(`${step}: not reached within ${Math.round(ms / 1000)} s${why}`);
    }
    await sleep(intervalMs);
  }
}
