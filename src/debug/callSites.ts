// Where a C frame calls the next one: the first line at or after where the caller stands
// that calls the callee, within the caller's body. Read from the zend_alloc.c text the
// user has (or the outline), so a caller frame points at its real call statement.

/** Lines searched after the caller's position before giving up. */
const SEARCH_LIMIT = 400;

/** The text of one zend_alloc.c, split into lines, with call-site look-ups. */
export class CallSites {
  private readonly lines: readonly string[];
  private readonly cache = new Map<string, number | undefined>();

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  /**
   * The 1-based line, at or after `from`, where `callee(` is written, stopping at the end of
   * the function (a line starting with `}`); undefined when there is none.
   */
  find(from: number, callee: string): number | undefined {
    const key = `${from}:${callee}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const call = new RegExp(`(^|[^A-Za-z0-9_])${callee}\\s*\\(`);
    let found: number | undefined;
    for (let i = Math.max(0, from - 1); i < this.lines.length && i < from - 1 + SEARCH_LIMIT; i++) {
      const text = this.lines[i];
      // the end of the caller's body ends the search
      if (text.startsWith('}')) break;
      if (call.test(text) && !(i === from - 1 && /^(static|ZEND_API|void|int)\b/.test(text))) {
        found = i + 1;
        break;
      }
    }
    this.cache.set(key, found);
    return found;
  }
}
