// Command-line arguments of `zend-mm`.

import { SUPPORTED_PHP_VERSIONS } from '../engine/versions';

/** Output formats of `zend-mm replay`. */
export type ReplayFormat = 'text' | 'jsonl' | 'summary';

/** A parsed `zend-mm replay` command. */
export interface ReplayCommand {
  readonly command: 'replay';
  readonly php: string;
  readonly format: ReplayFormat;
  readonly file: string;
  /** True when --php was given (a .zmm script's own `php` line yields to it). */
  readonly phpExplicit?: boolean;
  /** ZEND_MM_SEG_SIZE for the PHP 5 segment heap (bytes); undefined: PHP's default. */
  readonly segSize?: number;
}

/** A parsed `zend-mm bench` command. */
export interface BenchCommand {
  readonly command: 'bench';
  readonly php: string;
  readonly file: string;
  /** Timed runs (after one warm-up run that is not counted). */
  readonly runs: number;
  readonly json: boolean;
  readonly phpExplicit?: boolean;
}

/** What the command line asks for. */
export type CliCommand = ReplayCommand | BenchCommand | { readonly command: 'help' };

/** Most timed runs `zend-mm bench --runs` accepts. */
export const MAX_BENCH_RUNS = 1000;

/** A command line that cannot be run; the message says why. */
export class UsageError extends Error {}

/** The PHP versions the engine has a profile for. */
export const SUPPORTED_PHP: readonly string[] = SUPPORTED_PHP_VERSIONS;

export const USAGE = `usage: zend-mm replay [--php VERSION] [--seg-size BYTES] [--format text|jsonl|summary] FILE
       zend-mm bench [--php VERSION] [--runs N] [--json] FILE

  replay   replays a raw trace (a ID SIZE | f ID | r ID SIZE | gc | l BYTES | d | # comment)
           or a .zmm script (a = emalloc(24), efree(a), php 8.2, … see docs/zmm-language.md)
           on a fresh simulated Zend MM heap.
  --php    PHP version whose allocator to follow (default 8.2; supported: ${SUPPORTED_PHP.join(', ')})
  --seg-size  PHP 5 only: ZEND_MM_SEG_SIZE, the segment size (a power of two; default 262144)
  --format text (default): one line per operation, then the heap map
           jsonl: one JSON object per operation, then the final state
           (docs/replay-jsonl.md; for PHP 5, docs/zend5-jsonl.md)
           summary: final counters only (fast path, no per-operation output)
  bench    replays FILE on a fresh heap once to warm up, then --runs times (default 5), each
           on a fresh heap, timing only the replay loop (PHP 7/8: the fast path, no step
           recording; PHP 5: the records path); prints the median ns per operation
  --json   bench only: print {"ops":…,"nsPerOp":…,"runs":[…],"php":…} (runs in ns/op)`;


/** Parses argv (without node and the script). */
export function parseArgs(argv: readonly string[]): CliCommand {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    return { command: 'help' };
  }
  const [command, ...rest] = argv;
  if (command === 'bench') {
    return parseBench(rest);
  }
  if (command !== 'replay') {
    throw new UsageError(`unknown command '${command}' (expected: replay or bench)`);
  }
  let php = '8.2';
  let format: ReplayFormat = 'text';
  let segSize: number | undefined;
  let phpExplicit = false;
  const file = walkArgs(rest, ['php', 'format', 'seg-size'], [], '', (name, value) => {
    if (name === 'php') {
      php = parsePhpVersion(value);
      phpExplicit = true;
    } else if (name === 'seg-size') {
      if (!/^[1-9][0-9]{0,15}$/.test(value)) throw new UsageError(`--seg-size takes a number of bytes, got '${value}'`);
      segSize = Number(value);
    } else {
      if (value !== 'text' && value !== 'jsonl' && value !== 'summary') {
        throw new UsageError(`unknown format '${value}' (expected text, jsonl or summary)`);
      }
      format = value;
    }
  });
  if (segSize !== undefined && !php.startsWith('5.')) {
    throw new UsageError(`--seg-size applies to the PHP 5 segment heap only, not to PHP ${php}`);
  }
  return {
    command: 'replay',
    php,
    format,
    file,
    ...(phpExplicit ? { phpExplicit } : {}),
    ...(segSize !== undefined ? { segSize } : {}),
  };
}

/** "MAJOR.MINOR" of a --php value ("8.2" or "8.2.32"), or a UsageError listing the supported ones. */
function parsePhpVersion(value: string): string {
  const v = /^(\d+\.\d+)(\.\d+)?$/.exec(value);
  if (!v || !SUPPORTED_PHP.includes(v[1])) {
    throw new UsageError(`unsupported PHP version '${value}' (supported: ${SUPPORTED_PHP.join(', ')})`);
  }
  return v[1];
}

/** The arguments of `zend-mm bench`. */
function parseBench(rest: readonly string[]): BenchCommand {
  let php = '8.2';
  let phpExplicit = false;
  let runs = 5;
  let json = false;
  const file = walkArgs(rest, ['php', 'runs'], ['json'], ' for bench', (name, value) => {
    if (name === 'php') {
      php = parsePhpVersion(value);
      phpExplicit = true;
    } else if (name === 'runs') {
      if (!/^[1-9][0-9]*$/.test(value) || Number(value) > MAX_BENCH_RUNS) {
        throw new UsageError(`--runs takes a whole number from 1 to ${MAX_BENCH_RUNS}, got '${value}'`);
      }
      runs = Number(value);
    } else {
      json = true;
    }
  });
  return { command: 'bench', php, file, runs, json, ...(phpExplicit ? { phpExplicit } : {}) };
}

/**
 * Walks a command's arguments: `--NAME VALUE` or `--NAME=VALUE` for the options in `valued`, a
 * bare `--NAME` for those in `flags` (given to `take` with an empty value), and exactly one
 * FILE, which it returns. `what` ends the message about an unknown option.
 */
function walkArgs(
  rest: readonly string[],
  valued: readonly string[],
  flags: readonly string[],
  what: string,
  take: (name: string, value: string) => void,
): string {
  let file: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (m !== null && valued.includes(m[1])) {
      const value = m[2] ?? rest[++i];
      if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
      take(m[1], value);
    } else if (m !== null && m[2] === undefined && flags.includes(m[1])) {
      take(m[1], '');
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option '${a}'${what}`);
    } else if (file === undefined) {
      file = a;
    } else {
      throw new UsageError(`unexpected argument '${a}' (one trace file only)`);
    }
  }
  if (file === undefined) throw new UsageError('missing trace FILE');
  return file;
}
