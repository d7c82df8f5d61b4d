// The value or expansion of each catalogued macro for one allocator profile, and a computed
// example when the call's arguments are literals. Every number comes from the engine's tables.

import { BINS } from '../engine/zend7/bins';
import * as z7 from '../engine/zend7/constants';
import * as z5 from '../engine/zend5/constants';
import { ActiveProfile } from './activeProfile';
import { CArg } from './cMacroArgs';
import { describeRequest, planZend7 } from './requestPlan';

/** Bytes with a binary-unit gloss when exact: "2097152 (2 MiB)". */
export function bytesText(n: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (n >= size && n % size === 0) return `${n} (${n / size} ${unit})`;
  }
  return String(n);
}

/** A 32-bit page-map value as 0x + 8 hex digits. */
export function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/** The largest request whose 5.x block is still small (true size below ZEND_MM_MAX_SMALL_SIZE). */
function zend5LargestSmallRequest(): number {
  let n = z5.ZEND_MM_MAX_SMALL_SIZE;
  while (!z5.ZEND_MM_SMALL_SIZE(z5.ZEND_MM_TRUE_SIZE(n))) n--;
  return n;
}

/** The bin table as a Markdown table. */
function binsTable(): string {
  const rows = BINS.map((b) => `| ${b.bin} | ${b.size} | ${b.elements} | ${b.pages} |`);
  return ['| bin | slot bytes | slots per run | pages per run |', '|---:|---:|---:|---:|', ...rows].join('\n');
}

/**
 * Which request sizes each bin serves, as zend_mm_small_size_to_bin() maps them (each bin takes
 * the sizes above the previous bin's slot size). With a minimum slot size (8.4+), the sizes
 * below it are raised before the mapping, so they land in the first bin at least that large.
 */
function sizeToBinTable(minSmallSize: number): string {
  const rows: string[] = [];
  let from = 0; // the mapping takes size 0 too
  for (const b of BINS) {
    if (b.size < minSmallSize) {
      continue;
    }
    rows.push(`| ${from === b.size ? b.size : `${from} – ${b.size}`} | ${b.bin} | ${b.size} |`);
    from = b.size + 1;
  }
  return ['| request bytes | bin | slot bytes |', '|---:|---:|---:|', ...rows].join('\n');
}

const ALIGN = z5.ZEND_MM_ALIGNMENT;

/** AG's thread-safe form from 7.4 on (read in the 7.4.33, 8.2.32 and 8.4.24 sources): a fixed offset. */
const AG_ZTS_FAST = 'ZEND_TSRMG_FAST(alloc_globals_offset, zend_alloc_globals *, v)';
/**
 * Releases whose thread-safe AG differs: they look the globals up by resource id. Read in the
 * 7.0.12 and 7.2.32 sources; 7.1.26 lies between two releases that both do (not read itself).
 */
const AG_BY_ID = 'ZEND_TSRMG(alloc_globals_id, zend_alloc_globals *, v)';
const AG_ZTS_7: Readonly<Record<string, string>> = { '7.0': AG_BY_ID, '7.1': AG_BY_ID, '7.2': AG_BY_ID };
const RELEASE_EMPTY = 'expands to nothing in a release build (the build this simulator follows)';

/**
 * The value or expansion of `name` under `p` as Markdown, or undefined when `p`'s family
 * does not have it (the catalog says which do).
 */
export function macroValue(name: string, p: ActiveProfile): string | undefined {
  const zend7 = p.family === 'zend7';
  const v7 = (text: string): string | undefined => (zend7 ? text : undefined);
  const v5 = (text: string): string | undefined => (zend7 ? undefined : text);
  switch (name) {
    case 'ZEND_MM_CHUNK_SIZE':
      return v7(bytesText(z7.ZEND_MM_CHUNK_SIZE));
    case 'ZEND_MM_PAGE_SIZE':
      return v7(bytesText(z7.ZEND_MM_PAGE_SIZE));
    case 'ZEND_MM_PAGES':
      return v7(String(z7.ZEND_MM_PAGES));
    case 'ZEND_MM_FIRST_PAGE':
      return v7(String(z7.ZEND_MM_FIRST_PAGE));
    case 'ZEND_MM_MIN_SMALL_SIZE': {
      if (!zend7) return undefined;
      const min = p.profile.switches.minSmallSize;
      return min > z7.ZEND_MM_MIN_SMALL_SIZE
        ? `${z7.ZEND_MM_MIN_SMALL_SIZE} (but no slot below ${min} bytes is handed out: ZEND_MM_MIN_USEABLE_BIN_SIZE)`
        : String(z7.ZEND_MM_MIN_SMALL_SIZE);
    }
    case 'ZEND_MM_MAX_SMALL_SIZE':
      return zend7
        ? `${z7.ZEND_MM_MAX_SMALL_SIZE} (request bytes)`
        : `${z5.ZEND_MM_MAX_SMALL_SIZE} (true size: ${z5.ZEND_MM_NUM_BUCKETS} buckets × ${ALIGN} + ${z5.ZEND_MM_ALIGNED_MIN_HEADER_SIZE}; requests up to ${zend5LargestSmallRequest()} bytes are small)`;
    case 'ZEND_MM_MAX_LARGE_SIZE':
      return v7(`${z7.ZEND_MM_MAX_LARGE_SIZE} (${z7.ZEND_MM_PAGES - z7.ZEND_MM_FIRST_PAGE} pages)`);
    case 'ZEND_MM_BINS':
      return v7(String(z7.ZEND_MM_BINS));
    case 'ZEND_MM_BINS_INFO':
      return v7(`${z7.ZEND_MM_BINS} bins:\n\n${binsTable()}`);
    case 'ZEND_MM_SMALL_SIZE_TO_BIN':
      return v7(
        '`zend_mm_small_size_to_bin(size)`; the bins it picks:\n\n' +
          sizeToBinTable(p.family === 'zend7' ? p.profile.switches.minSmallSize : 0) +
          (p.family === 'zend7' && p.profile.switches.minSmallSize > z7.ZEND_MM_MIN_SMALL_SIZE
            ? `\n\n(Requests below ${p.profile.switches.minSmallSize} bytes are raised to ${p.profile.switches.minSmallSize} before the mapping, so bin 0 is never used.)`
            : ''),
      );
    case 'ZEND_MM_ALIGNED_SIZE':
      return `\`(((size) + ${ALIGN - 1}) & ~${ALIGN - 1})\` (alignment ${ALIGN})`;
    case 'ZEND_MM_ALIGNMENT':
      return String(ALIGN);
    case 'ZEND_MM_IS_FRUN':
      return v7(hex32(z7.ZEND_MM_IS_FRUN));
    case 'ZEND_MM_IS_LRUN':
      return v7(hex32(z7.ZEND_MM_IS_LRUN));
    case 'ZEND_MM_IS_SRUN':
      return v7(hex32(z7.ZEND_MM_IS_SRUN));
    case 'ZEND_MM_LRUN_PAGES':
      return v7(`\`(info) & ${hex32(z7.ZEND_MM_LRUN_PAGES_MASK)}\``);
    case 'ZEND_MM_SRUN_BIN_NUM':
      return v7(`\`(info) & ${hex32(z7.ZEND_MM_SRUN_BIN_NUM_MASK)}\``);
    case 'ZEND_MM_SRUN_FREE_COUNTER':
      return v7(`\`((info) & ${hex32(z7.ZEND_MM_SRUN_FREE_COUNTER_MASK)}) >> ${z7.ZEND_MM_SRUN_FREE_COUNTER_OFFSET}\``);
    case 'ZEND_MM_NRUN_OFFSET':
      return v7(`\`((info) & ${hex32(z7.ZEND_MM_NRUN_OFFSET_MASK)}) >> ${z7.ZEND_MM_NRUN_OFFSET_OFFSET}\``);
    case 'ZEND_MM_PAGE_ADDR':
      return v7(`\`(char *)(chunk) + (page_num) * ${z7.ZEND_MM_PAGE_SIZE}\``);
    case 'ZEND_MM_ALIGNED_BASE':
      return v7('`(size_t)(size) & ~((alignment) - 1)`');
    case 'ZEND_MM_ALIGNED_OFFSET':
      return v7('`(size_t)(size) & ((alignment) - 1)`');
    case 'ZEND_MM_SIZE_TO_NUM':
      return v7('`((size_t)(size) + ((alignment) - 1)) / (alignment)`');
    case 'ZEND_MM_CHECK':
      return zend7 ? `\`if (UNEXPECTED(!(condition))) zend_mm_panic(message)\`; zend_mm_panic prints the message and ends the process with ${p.profile.switches.panicEnds}` : undefined;
    case 'ZEND_MM_STAT':
    case 'ZEND_MM_LIMIT':
    case 'ZEND_MM_CUSTOM':
    case 'ZEND_MM_STORAGE':
      return v7('1 (the default; a build may define it as 0 first)');
    case 'AG':
      return `ZTS: \`${zend7 ? (AG_ZTS_7[p.version] ?? AG_ZTS_FAST) : 'TSRMG(alloc_globals_id, zend_alloc_globals *, v)'}\` · non-ZTS: \`(alloc_globals.v)\``;
    case 'EXPECTED':
      return zend7 ? '`__builtin_expect(!!(condition), 1)` (GCC/Clang), else `(condition)`' : '`__builtin_expect(condition, 1)` where the compiler has it, else `(condition)`';
    case 'UNEXPECTED':
      return zend7 ? '`__builtin_expect(!!(condition), 0)` (GCC/Clang), else `(condition)`' : '`__builtin_expect(condition, 0)` where the compiler has it, else `(condition)`';
    case 'ZEND_FILE_LINE_DC':
    case 'ZEND_FILE_LINE_ORIG_DC':
    case 'ZEND_FILE_LINE_CC':
    case 'ZEND_FILE_LINE_EMPTY_CC':
    case 'ZEND_FILE_LINE_RELAY_CC':
    case 'ZEND_FILE_LINE_ORIG_RELAY_CC':
      return RELEASE_EMPTY;
    case 'emalloc':
      return zend7
        ? '`_emalloc((size))`; with a constant size the call goes straight to the bin\'s `_emalloc_N` (or `_emalloc_large` / `_emalloc_huge`)'
        : '`_emalloc((size))` → `_zend_mm_alloc_int(AG(mm_heap), size)` (system malloc when USE_ZEND_ALLOC=0)';
    case 'pemalloc':
      return '`((persistent) ? __zend_malloc(size) : emalloc(size))`: persistent 1 → system malloc, 0 → the Zend heap';
    case 'efree':
      return '`_efree((ptr))`';
    case 'erealloc':
      return zend7 ? '`_erealloc((ptr), (size))`' : '`_erealloc((ptr), (size), 0)` (allow_failure 0)';
    case 'ecalloc':
      return '`_ecalloc((nmemb), (size))` → `nmemb * size` bytes, overflow-checked, zeroed';
    case 'estrdup':
      return '`_estrdup((s))` → `strlen(s) + 1` bytes';
    case 'safe_emalloc':
      return '`_safe_emalloc((nmemb), (size), (offset))` → `nmemb * size + offset` bytes, overflow-checked';
    case '_emalloc_N':
      return v7(`one per bin: ${BINS.map((b) => `_emalloc_${b.size}`).join(', ')}; then _emalloc_large (≤ ${z7.ZEND_MM_MAX_LARGE_SIZE}) and _emalloc_huge`);
    case 'ZEND_MM_BUCKET_INDEX':
      return v5(`\`(true_size >> ${z5.ZEND_MM_ALIGNMENT_LOG2}) - ${z5.ZEND_MM_ALIGNED_MIN_HEADER_SIZE / ALIGN}\` (buckets 0 – ${z5.ZEND_MM_NUM_BUCKETS - 1})`);
    case 'ZEND_MM_LARGE_BUCKET_INDEX':
      return v5('`zend_mm_high_bit(S)`: the index of the highest set bit');
    case 'ZEND_MM_ALIGNED_HEADER_SIZE':
      return v5(String(z5.ZEND_MM_ALIGNED_HEADER_SIZE));
    case 'ZEND_MM_ALIGNED_MIN_HEADER_SIZE':
      return v5(String(z5.ZEND_MM_ALIGNED_MIN_HEADER_SIZE));
    case 'ZEND_MM_TRUE_SIZE':
      return v5(`\`size < ${z5.ZEND_MM_MIN_SIZE} ? ${z5.ZEND_MM_ALIGNED_MIN_HEADER_SIZE} : ZEND_MM_ALIGNED_SIZE(size + ${z5.ZEND_MM_ALIGNED_HEADER_SIZE})\``);
    case 'ZEND_MM_SEG_SIZE':
      return v5(bytesText(z5.ZEND_MM_SEG_SIZE));
    case 'ZEND_MM_CACHE':
      return zend7 ? undefined : `1, with ZEND_MM_CACHE_SIZE = ${bytesText(p.profile.cacheSize)} in PHP ${p.version}`;
    default:
      return undefined;
  }
}

/** The number of argument `i`, when it is one. */
function num(args: readonly CArg[], i: number): number | undefined {
  const a = args[i];
  return a !== undefined && a.kind === 'number' ? a.value : undefined;
}

/**
 * A worked example for the call `word(args…)` under `p`, when its arguments are literals
 * (or the word itself carries the number, as `_emalloc_112` does); otherwise undefined.
 */
export function macroExample(word: string, args: readonly CArg[] | undefined, p: ActiveProfile): string | undefined {
  const zend7 = p.family === 'zend7';
  const spec = /^_emalloc_(\d+)$/.exec(word);
  if (spec !== null && zend7) {
    const size = Number(spec[1]);
    const b = BINS.find((x) => x.size === size);
    return b === undefined
      ? `\`${word}\`: no bin has ${size}-byte slots, so no such function exists`
      : `\`${word}\`: bin ${b.bin}, ${b.size}-byte slots, ${b.elements} per ${b.pages}-page run`;
  }
  if (args === undefined) return undefined;
  const call = `${word}(${args.map((a) => a.text).join(', ')})`;
  const request = (size: number | undefined): string | undefined => (size === undefined ? undefined : `\`${call}\`: ${describeRequest(size, p)}`);
  const a0 = num(args, 0);
  const a1 = num(args, 1);
  const a2 = num(args, 2);
  switch (word) {
    case 'emalloc':
      return request(a0);
    case 'pemalloc':
      if (a1 === undefined || a0 === undefined) return undefined;
      return a1 !== 0 ? `\`${call}\`: persistent, so the system malloc serves ${a0} bytes; the Zend heap is not involved` : request(a0);
    case 'erealloc':
      return request(a1);
    case 'ecalloc':
      return a0 === undefined || a1 === undefined || a0 * a1 > Number.MAX_SAFE_INTEGER ? undefined : request(a0 * a1);
    case 'safe_emalloc':
      return a0 === undefined || a1 === undefined || a2 === undefined || a0 * a1 + a2 > Number.MAX_SAFE_INTEGER ? undefined : request(a0 * a1 + a2);
    case 'estrdup': {
      const s = args[0];
      return s !== undefined && s.kind === 'string' ? request(s.bytes + 1) : undefined;
    }
    case 'ZEND_MM_SMALL_SIZE_TO_BIN': {
      if (!zend7 || a0 === undefined) return undefined;
      if (a0 > z7.ZEND_MM_MAX_SMALL_SIZE) return `\`${call}\`: ${a0} is above ZEND_MM_MAX_SMALL_SIZE; the macro is only meant for small sizes`;
      const plan = planZend7(a0, z7.ZEND_MM_MIN_SMALL_SIZE);
      return plan.kind === 'small' ? `\`${call}\` = ${plan.bin} (${plan.slotSize}-byte slots, ${plan.slotsPerRun} per ${plan.pagesPerRun}-page run)` : undefined;
    }
    case 'ZEND_MM_ALIGNED_SIZE':
      return a0 === undefined ? undefined : `\`${call}\` = ${z5.alignUp(a0, ALIGN)}`;
    case 'ZEND_MM_LRUN_PAGES':
      return zend7 && a0 !== undefined ? `\`${call}\` = ${z7.ZEND_MM_LRUN_PAGES(a0)}` : undefined;
    case 'ZEND_MM_SRUN_BIN_NUM':
      return zend7 && a0 !== undefined ? `\`${call}\` = ${z7.ZEND_MM_SRUN_BIN_NUM(a0)}` : undefined;
    case 'ZEND_MM_SRUN_FREE_COUNTER':
      return zend7 && a0 !== undefined ? `\`${call}\` = ${z7.ZEND_MM_SRUN_FREE_COUNTER(a0)}` : undefined;
    case 'ZEND_MM_NRUN_OFFSET':
      return zend7 && a0 !== undefined ? `\`${call}\` = ${z7.ZEND_MM_NRUN_OFFSET(a0)}` : undefined;
    case 'ZEND_MM_PAGE_ADDR':
      return zend7 && a1 !== undefined ? `\`${call}\`: the chunk's base + ${a1 * z7.ZEND_MM_PAGE_SIZE} bytes` : undefined;
    case 'ZEND_MM_ALIGNED_BASE':
      return zend7 && a0 !== undefined && a1 !== undefined && isPow2(a1) ? `\`${call}\` = ${a0 - (a0 % a1)}` : undefined;
    case 'ZEND_MM_ALIGNED_OFFSET':
      return zend7 && a0 !== undefined && a1 !== undefined && isPow2(a1) ? `\`${call}\` = ${a0 % a1}` : undefined;
    case 'ZEND_MM_SIZE_TO_NUM':
      return zend7 && a0 !== undefined && a1 !== undefined && a1 > 0 ? `\`${call}\` = ${Math.ceil(a0 / a1)}` : undefined;
    case 'ZEND_MM_TRUE_SIZE':
      return !zend7 && a0 !== undefined ? `\`${call}\` = ${z5.ZEND_MM_TRUE_SIZE(a0)}` : undefined;
    case 'ZEND_MM_BUCKET_INDEX':
      return !zend7 && a0 !== undefined && a0 >= z5.ZEND_MM_ALIGNED_MIN_HEADER_SIZE ? `\`${call}\` = ${z5.ZEND_MM_BUCKET_INDEX(a0)}` : undefined;
    case 'ZEND_MM_LARGE_BUCKET_INDEX':
      return !zend7 && a0 !== undefined && a0 > 0 ? `\`${call}\` = ${z5.ZEND_MM_LARGE_BUCKET_INDEX(a0)}` : undefined;
    default:
      return undefined;
  }
}

function isPow2(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n));
}
