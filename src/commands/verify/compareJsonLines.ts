// Compares the real allocator's JSON Lines with the engine's, record by record, naming the first
// field that differs in each differing record.

/** One record that differs. */
export interface RecordDifference {
  /** 0-based record index. */
  readonly index: number;
  /** Where they first differ, e.g. "at.offset: 4096 vs 8192" (php first). */
  readonly where: string;
}

/** The first path at which `a` and `b` differ, with both values; undefined if equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return `${path || '(record)'}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length || i >= b.length) {
        return `${path}: length ${a.length} vs ${b.length} (first extra: ${JSON.stringify(i < a.length ? a[i] : b[i])})`;
      }
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
    const d = firstDifference(ao[k], bo[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return undefined;
}

/** Every differing record (a missing record counts as differing). */
export function compareJsonLines(php: readonly object[], engine: readonly object[]): RecordDifference[] {
  const out: RecordDifference[] = [];
  for (let i = 0; i < Math.max(php.length, engine.length); i++) {
    if (i >= php.length) out.push({ index: i, where: '(record): missing from php\'s output' });
    else if (i >= engine.length) out.push({ index: i, where: '(record): missing from the engine\'s output' });
    else {
      const d = firstDifference(php[i], engine[i]);
      if (d !== undefined) out.push({ index: i, where: d });
    }
  }
  return out;
}
