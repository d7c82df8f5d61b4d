// The allocator functions a .zmm script may call, and the shape of their arguments.

/** What an argument must be: a byte count, a string literal, a variable, or a 0/1 flag. */
export type ZmmParamType = 'size' | 'string' | 'name' | 'flag';

/** What a function does with its result: allocate, reallocate, free, or neither. */
export type ZmmFunctionRole = 'alloc' | 'realloc' | 'free' | 'other';

/** The signature of one callable function. */
export interface ZmmFunction {
  readonly name: string;
  readonly role: ZmmFunctionRole;
  readonly params: readonly { readonly name: string; readonly type: ZmmParamType }[];
}

const p = (name: string, type: ZmmParamType) => ({ name, type });

/** Every function a script may call, by name. */
export const ZMM_FUNCTIONS: ReadonlyMap<string, ZmmFunction> = new Map(
  (
    [
      { name: 'emalloc', role: 'alloc', params: [p('size', 'size')] },
      { name: 'ecalloc', role: 'alloc', params: [p('nmemb', 'size'), p('size', 'size')] },
      { name: 'safe_emalloc', role: 'alloc', params: [p('nmemb', 'size'), p('size', 'size'), p('offset', 'size')] },
      { name: 'estrdup', role: 'alloc', params: [p('s', 'string')] },
      { name: 'estrndup', role: 'alloc', params: [p('s', 'string'), p('length', 'size')] },
      { name: 'pemalloc', role: 'alloc', params: [p('size', 'size'), p('persistent', 'flag')] },
      { name: 'erealloc', role: 'realloc', params: [p('ptr', 'name'), p('size', 'size')] },
      { name: 'perealloc', role: 'realloc', params: [p('ptr', 'name'), p('size', 'size'), p('persistent', 'flag')] },
      { name: 'efree', role: 'free', params: [p('ptr', 'name')] },
      { name: 'pefree', role: 'free', params: [p('ptr', 'name'), p('persistent', 'flag')] },
      { name: 'gc', role: 'other', params: [] },
      { name: 'dump', role: 'other', params: [] },
    ] satisfies ZmmFunction[]
  ).map((f) => [f.name, f]),
);

/** Words that cannot name a variable: the flag literals. */
export const ZMM_RESERVED_NAMES: ReadonlySet<string> = new Set(['true', 'false']);
