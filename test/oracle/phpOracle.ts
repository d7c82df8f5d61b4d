/*
 * The real-PHP oracle: replays a raw trace through the allocator of the installed
 * PHP 8.2 (test/oracle/php/oracle.php, via the FFI shim test/oracle/php/zmm_shim.c)
 * and returns its JSON Lines, in the format of docs/replay-jsonl.md.
 *
 * Needs php8.2 with FFI, its headers (php-config8.2) and gcc: scripts/setup-php.sh
 * installs them. phpOracleAvailable() says why the oracle cannot run, if it can't.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface OracleRun {
  lines: object[];
  stderr: string;
}

export interface OracleOptions {
  /** Kill php after this many milliseconds (default 10 minutes). */
  timeoutMs?: number;
}

/** php did not produce a complete run; `lines` holds whatever it printed first. */
export class PhpOracleError extends Error {
  constructor(
    message: string,
    readonly lines: object[],
    readonly stderr: string,
    readonly status: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(message);
    this.name = 'PhpOracleError';
  }
}

/** The PHP release whose zend_alloc.c the oracle's structure layout was taken from. */
export const ORACLE_PHP_VERSION = '8.2.32';

const PHP = 'php8.2';
const PHP_CONFIG = 'php-config8.2';
const CC = 'gcc';
const MAX_BUFFER = 1024 * 1024 * 1024;

/** Interpreter settings: no php.ini, FFI on, allocator errors recorded but never printed. */
const PHP_FLAGS = [
  '-n',
  '-d', 'extension=ffi',
  '-d', 'ffi.enable=1',
  '-d', 'display_errors=0',
  '-d', 'log_errors=0',
  '-d', 'html_errors=0',
  '-d', 'error_reporting=-1',
  '-d', 'memory_limit=-1',
  '-d', 'serialize_precision=-1',
];

/** What the shim reports, in oracle.php's words, when the process dies of these signals. */
const FATAL_BY_SIGNAL: Partial<Record<NodeJS.Signals, { message: string; needs?: RegExp }>> = {
  SIGABRT: { message: 'zend_mm_heap corrupted', needs: /zend_mm_heap corrupted/ },
  SIGSEGV: { message: 'Segmentation fault' },
  SIGBUS: { message: 'Bus error' },
};

let repoRootCache: string | undefined;

/** The repository root: the first ancestor of this file holding test/oracle/php/oracle.php. */
function repoRoot(): string {
  if (repoRootCache !== undefined) {
    return repoRootCache;
  }
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'test', 'oracle', 'php', 'oracle.php'))) {
      repoRootCache = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`cannot find test/oracle/php/oracle.php above ${__dirname}`);
    }
  }
}

function run(cmd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return {
    ok: !r.error && r.status === 0,
    out: (r.stdout ?? '').trim(),
    err: r.error ? r.error.message : (r.stderr ?? '').trim(),
  };
}

let availability: { reason: string | undefined } | undefined;

/**
 * undefined when the oracle can run; otherwise why not (php8.2, FFI, the headers
 * or gcc missing, or a PHP release other than ORACLE_PHP_VERSION).
 */
export function phpOracleAvailable(): string | undefined {
  if (availability === undefined) {
    availability = { reason: checkAvailability() };
  }
  return availability.reason;
}

function checkAvailability(): string | undefined {
  const probe = run(PHP, [...PHP_FLAGS, '-r', 'echo PHP_VERSION, " ", extension_loaded("FFI") ? "ffi" : "no-ffi";']);
  if (!probe.ok) {
    return `${PHP} does not run (${probe.err || 'no output'}); run scripts/setup-php.sh`;
  }
  const [version, ffi] = probe.out.split(' ');
  if (ffi !== 'ffi') {
    return `${PHP} ${version} has no FFI extension`;
  }
  if (version !== ORACLE_PHP_VERSION) {
    return `${PHP} is PHP ${version}, the oracle is written for ${ORACLE_PHP_VERSION}`;
  }
  const includeDir = run(PHP_CONFIG, ['--include-dir']);
  if (!includeDir.ok) {
    return `${PHP_CONFIG} not found (install php8.2-dev: scripts/setup-php.sh)`;
  }
  if (!fs.existsSync(path.join(includeDir.out, 'Zend', 'zend_alloc.h'))) {
    return `PHP headers missing: no ${path.join(includeDir.out, 'Zend', 'zend_alloc.h')}`;
  }
  const headersVersion = run(PHP_CONFIG, ['--version']);
  if (headersVersion.out !== version) {
    return `${PHP_CONFIG} is for PHP ${headersVersion.out}, ${PHP} is ${version}`;
  }
  if (!run(CC, ['--version']).ok) {
    return `${CC} not found (needed to build the oracle shim)`;
  }
  return undefined;
}

/** Path of the compiled shim, (re)building it when missing or older than its source. */
export function buildPhpOracleShim(version: '8.2' = '8.2'): string {
  const root = repoRoot();
  const src = path.join(root, 'test', 'oracle', 'php', 'zmm_shim.c');
  const out = path.join(root, '.cache', 'oracle', `zmm_shim-${version}.so`);
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(src).mtimeMs) {
    return out;
  }
  const includes = run(PHP_CONFIG, ['--includes']);
  if (!includes.ok) {
    throw new Error(`${PHP_CONFIG} --includes failed: ${includes.err}`);
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Build next to the target and rename, so concurrent runs never load half a file.
  const tmp = `${out}.${process.pid}.tmp`;
  const cc = run(CC, ['-O2', '-Wall', '-shared', '-fPIC', ...includes.out.split(/\s+/), '-o', tmp, src]);
  if (!cc.ok) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`building ${path.relative(root, src)} failed:\n${cc.err}`);
  }
  fs.renameSync(tmp, out);
  return out;
}

/** The operation (op name and ID) of the n-th operation line of a trace, 0-based. */
function traceOperation(tracePath: string, n: number): { op: string; id?: string } | undefined {
  let index = 0;
  for (const raw of fs.readFileSync(tracePath, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    if (index++ === n) {
      const [op, id] = line.split(/\s+/);
      const name = op === 'g' ? 'gc' : op;
      return name === 'a' || name === 'f' || name === 'r' ? { op: name, id } : { op: name };
    }
  }
  return undefined;
}

function parseLines(stdout: string): { lines: object[]; bad?: string } {
  const lines: object[] = [];
  for (const text of stdout.split('\n')) {
    if (text === '') {
      continue;
    }
    try {
      lines.push(JSON.parse(text) as object);
    } catch {
      return { lines, bad: text };
    }
  }
  return { lines };
}

function tail(text: string, max = 4000): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

/**
 * Replays the trace at tracePath on a fresh private heap of the real PHP allocator.
 * The result ends with the "end" object, or with a `"fatal":true` object when the
 * allocator panicked, crashed or hung and the run stopped there.
 */
export function runPhpOracle(tracePath: string, version: '8.2' = '8.2', options: OracleOptions = {}): OracleRun {
  const root = repoRoot();
  const shim = buildPhpOracleShim(version);
  const script = path.join(root, 'test', 'oracle', 'php', 'oracle.php');
  const timeoutMs = options.timeoutMs ?? 10 * 60 * 1000;
  const r = spawnSync(PHP, [...PHP_FLAGS, script, tracePath, shim], {
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  const stdout = r.stdout ?? '';
  const stderr = r.stderr ?? '';
  const { lines, bad } = parseLines(stdout);
  const fail = (why: string): never => {
    throw new PhpOracleError(
      `php oracle on ${tracePath}: ${why} (${lines.length} lines printed)${stderr ? `\nstderr:\n${tail(stderr)}` : ''}`,
      lines, stderr, r.status, r.signal,
    );
  };

  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ETIMEDOUT') {
      // oracle.php's own watchdog turns the known endless loops into fatal objects;
      // this is an operation it did not expect to hang.
      const next = traceOperation(tracePath, lines.length);
      fail(`killed after ${timeoutMs} ms, in operation ${lines.length} ${JSON.stringify(next)}`);
    }
    fail(`${PHP} failed: ${r.error.message}`);
  }
  if (bad !== undefined) {
    fail(`unparsable output line: ${tail(bad, 200)}`);
  }

  if (r.status === 0) {
    const last = lines[lines.length - 1] as { op?: string; fatal?: boolean } | undefined;
    if (!last || (last.op !== 'end' && last.fatal !== true)) {
      fail('output ends without an "end" or fatal object');
    }
    return { lines, stderr };
  }

  // The shim turns panics and faults into a fatal object itself; should the signal
  // get through anyway, report it as far as the trace tells (without the counters
  // and places the shim would have added). oracle.php flushes its output before
  // every operation that may die, so the dying operation is the next one.
  const fatal = r.signal ? FATAL_BY_SIGNAL[r.signal] : undefined;
  if (fatal && (!fatal.needs || fatal.needs.test(stderr))) {
    const operation = traceOperation(tracePath, lines.length);
    if (operation) {
      lines.push({ ...operation, error: fatal.message, fatal: true });
      return { lines, stderr };
    }
  }
  return fail(r.signal ? `${PHP} died of ${r.signal}` : `${PHP} exited with status ${r.status}`);
}
