/*
 * The real-PHP oracle: replays a raw trace through the allocator of a real PHP
 * (media/oracle/oracle.php, via the FFI shim media/oracle/zmm_shim.c) and returns
 * its JSON Lines, in the format of docs/replay-jsonl.md.
 *
 *   8.2  the host's php8.2 (8.2.32): scripts/setup-php.sh installs it, its headers and gcc.
 *   7.4  php7.4 (7.4.33) in a Debian bullseye chroot at .cache/chroots/bullseye,
 *   8.4  php8.4 (8.4.24) in a Debian trixie chroot at .cache/chroots/trixie:
 *        scripts/setup-php-chroots.sh [7.4|8.4|all] makes them (root needed, as for
 *        running them). The shim is built inside the chroot with its own gcc and
 *        php-config (so glibc and headers match); oracle.php, its layout files and the
 *        trace are copied in, the trace under a unique name removed after the run.
 *
 * phpOracleAvailable(version) says why the oracle of a version cannot run, if it can't.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
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

/** The PHP releases the oracle can run. */
export type OracleVersion = '7.4' | '8.2' | '8.4';
export const ORACLE_VERSIONS: readonly OracleVersion[] = ['7.4', '8.2', '8.4'];

/** The exact PHP release whose zend_alloc.c each version's structure layout was taken from. */
export const ORACLE_PHP_VERSIONS: Readonly<Record<OracleVersion, string>> = {
  '7.4': '7.4.33',
  '8.2': '8.2.32',
  '8.4': '8.4.24',
};

/** The host oracle's release (8.2). */
export const ORACLE_PHP_VERSION = ORACLE_PHP_VERSIONS['8.2'];

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

/** Where a version runs: on the host, or inside a chroot of a Debian release. */
interface Target {
  version: OracleVersion;
  php: string;
  phpConfig: string;
  /** Extra interpreter flags (Debian's 7.4 builds json as a module). */
  flags: string[];
  /** Debian suite of the chroot, when the version runs in one. */
  suite?: 'bullseye' | 'trixie';
}

const TARGETS: Readonly<Record<OracleVersion, Target>> = {
  '7.4': { version: '7.4', php: 'php7.4', phpConfig: 'php-config7.4', flags: ['-d', 'extension=json'], suite: 'bullseye' },
  '8.2': { version: '8.2', php: 'php8.2', phpConfig: 'php-config8.2', flags: [] },
  '8.4': { version: '8.4', php: 'php8.4', phpConfig: 'php-config8.4', flags: [], suite: 'trixie' },
};

/** The directory inside a chroot that holds the oracle's scripts and the built shim. */
const IN_CHROOT_DIR = '/var/cache/zmm-oracle';

/** What the shim reports, in oracle.php's words, when the process dies of these signals. */
const FATAL_BY_SIGNAL: Partial<Record<NodeJS.Signals, { message: string; needs?: RegExp }>> = {
  SIGABRT: { message: 'zend_mm_heap corrupted', needs: /zend_mm_heap corrupted/ },
  SIGSEGV: { message: 'Segmentation fault' },
  SIGBUS: { message: 'Bus error' },
};

let repoRootCache: string | undefined;

/** The repository root: the first ancestor of this file holding media/oracle/oracle.php. */
function repoRoot(): string {
  if (repoRootCache !== undefined) {
    return repoRootCache;
  }
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'media', 'oracle', 'oracle.php'))) {
      repoRootCache = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`cannot find media/oracle/oracle.php above ${__dirname}`);
    }
  }
}

function target(version: OracleVersion): Target {
  const t = TARGETS[version];
  if (!t) {
    throw new Error(`no PHP oracle for version ${String(version)} (known: ${ORACLE_VERSIONS.join(', ')})`);
  }
  return t;
}

/** Absolute path of a version's chroot, or undefined for the host. */
function chrootDir(t: Target): string | undefined {
  return t.suite ? path.join(repoRoot(), '.cache', 'chroots', t.suite) : undefined;
}

/** The command line that runs cmd for a version: as is on the host, through chroot(8) otherwise. */
function command(t: Target, cmd: string, args: string[]): [string, string[]] {
  const dir = chrootDir(t);
  return dir ? ['chroot', [dir, cmd, ...args]] : [cmd, args];
}

function run(t: Target, cmd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const [file, argv] = command(t, cmd, args);
  const r = spawnSync(file, argv, { encoding: 'utf8' });
  return {
    ok: !r.error && r.status === 0,
    out: (r.stdout ?? '').trim(),
    err: r.error ? r.error.message : (r.stderr ?? '').trim(),
  };
}

/** The setup command that provides a version. */
function setupHint(t: Target): string {
  return t.suite ? `run scripts/setup-php-chroots.sh ${t.version} as root` : 'run scripts/setup-php.sh';
}

const availability = new Map<OracleVersion, string | undefined>();

/**
 * undefined when the oracle of that PHP version can run; otherwise exactly what is
 * missing (root, the chroot, php, FFI, the headers, gcc, or a PHP release other than
 * the one whose layout the oracle transcribes: ORACLE_PHP_VERSIONS).
 */
export function phpOracleAvailable(version: OracleVersion = '8.2'): string | undefined {
  if (!availability.has(version)) {
    availability.set(version, checkAvailability(target(version)));
  }
  return availability.get(version);
}

function checkAvailability(t: Target): string | undefined {
  const dir = chrootDir(t);
  const where = dir ? ` in the ${t.suite} chroot (${path.relative(repoRoot(), dir)})` : '';
  if (dir) {
    if (!fs.existsSync(path.join(dir, 'usr', 'bin'))) {
      return `PHP ${t.version}: no ${t.suite} chroot at ${path.relative(repoRoot(), dir)}; ${setupHint(t)}`;
    }
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      return `PHP ${t.version}: running the ${t.suite} chroot needs root (chroot(2)); this process is uid ${process.getuid()}`;
    }
    if (!fs.existsSync(path.join(dir, 'usr', 'bin', t.php))) {
      return `PHP ${t.version}: the ${t.suite} chroot has no /usr/bin/${t.php}; ${setupHint(t)}`;
    }
  }
  const probe = run(t, t.php, [...PHP_FLAGS, ...t.flags, '-r', 'echo PHP_VERSION, " ", extension_loaded("FFI") ? "ffi" : "no-ffi", " ", function_exists("json_encode") ? "json" : "no-json";']);
  if (!probe.ok) {
    return `PHP ${t.version}: ${t.php}${where} does not run (${probe.err || 'no output'}); ${setupHint(t)}`;
  }
  const [version, ffi, json] = probe.out.split(' ');
  if (ffi !== 'ffi') {
    return `PHP ${t.version}: ${t.php}${where} (PHP ${version}) has no FFI extension`;
  }
  if (json !== 'json') {
    return `PHP ${t.version}: ${t.php}${where} (PHP ${version}) has no json extension${t.version === '7.4' ? ' (install php7.4-json)' : ''}`;
  }
  const wanted = ORACLE_PHP_VERSIONS[t.version];
  if (version !== wanted) {
    return `PHP ${t.version}: ${t.php}${where} is PHP ${version}, but the oracle's structure layout ` +
      `(media/oracle/layout-${t.version}.php) was derived from ${wanted}'s zend_alloc.c: derive it for ${version}`;
  }
  const includeDir = run(t, t.phpConfig, ['--include-dir']);
  if (!includeDir.ok) {
    return `PHP ${t.version}: ${t.phpConfig} not found${where} (install php${t.version}-dev: ${setupHint(t)})`;
  }
  const header = path.join(dir ?? '/', includeDir.out, 'Zend', 'zend_alloc.h');
  if (!fs.existsSync(header)) {
    return `PHP ${t.version}: PHP headers missing: no ${header}`;
  }
  const headersVersion = run(t, t.phpConfig, ['--version']);
  if (headersVersion.out !== version) {
    return `PHP ${t.version}: ${t.phpConfig}${where} is for PHP ${headersVersion.out}, ${t.php} is ${version}`;
  }
  if (!run(t, CC, ['--version']).ok) {
    return `PHP ${t.version}: ${CC} not found${where} (needed to build the oracle shim; ${setupHint(t)})`;
  }
  return undefined;
}

/** Writes data to file unless it already holds exactly that (atomically: tmp + rename). */
function syncFile(file: string, data: Buffer): void {
  if (fs.existsSync(file) && fs.readFileSync(file).equals(data)) {
    return;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Copies oracle.php and its layout files into a chroot; returns the in-chroot path of oracle.php. */
function syncScripts(dir: string): string {
  const src = path.join(repoRoot(), 'media', 'oracle');
  const dest = path.join(dir, IN_CHROOT_DIR);
  fs.mkdirSync(dest, { recursive: true });
  for (const name of fs.readdirSync(src).filter((f) => f.endsWith('.php'))) {
    syncFile(path.join(dest, name), fs.readFileSync(path.join(src, name)));
  }
  return path.posix.join(IN_CHROOT_DIR, 'oracle.php');
}

/**
 * Host path of the compiled shim, (re)building it when missing or older than its
 * source. 8.2 is built on the host into .cache/oracle/; 7.4 and 8.4 inside their chroot
 * (with the chroot's gcc and php-config) into the chroot's /var/cache/zmm-oracle/.
 */
export function buildPhpOracleShim(version: OracleVersion = '8.2'): string {
  const t = target(version);
  const root = repoRoot();
  const src = path.join(root, 'media', 'oracle', 'zmm_shim.c');
  const dir = chrootDir(t);
  const out = dir ? path.join(dir, IN_CHROOT_DIR, 'zmm_shim.so') : path.join(root, '.cache', 'oracle', `zmm_shim-${version}.so`);
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(src).mtimeMs) {
    return out;
  }
  const includes = run(t, t.phpConfig, ['--includes']);
  if (!includes.ok) {
    throw new Error(`${t.phpConfig} --includes failed${dir ? ` in ${dir}` : ''}: ${includes.err}`);
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Build next to the target and rename, so concurrent runs never load half a file.
  const tmp = `${out}.${process.pid}.tmp`;
  let cSource = src;
  if (dir) {
    const inside = path.join(dir, IN_CHROOT_DIR, 'zmm_shim.c');
    syncFile(inside, fs.readFileSync(src));
    cSource = path.posix.join(IN_CHROOT_DIR, 'zmm_shim.c');
  }
  const tmpArg = dir ? path.posix.join(IN_CHROOT_DIR, path.basename(tmp)) : tmp;
  const cc = run(t, CC, ['-O2', '-Wall', '-shared', '-fPIC', ...includes.out.split(/\s+/), '-o', tmpArg, cSource]);
  if (!cc.ok) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`building ${path.relative(root, src)} for PHP ${version}${dir ? ` in ${dir}` : ''} failed:\n${cc.err}`);
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
 * Replays the trace at tracePath on a fresh private heap of the real allocator of PHP
 * `version` (default 8.2, on the host; 7.4 and 8.4 inside their chroots).
 * The result ends with the "end" object, or with a `"fatal":true` object when the
 * allocator panicked, crashed or hung and the run stopped there.
 * Throws an Error saying what is missing when that version's oracle is not available.
 */
export function runPhpOracle(tracePath: string, version: OracleVersion = '8.2', options: OracleOptions = {}): OracleRun {
  const t = target(version);
  const missing = phpOracleAvailable(version);
  if (missing) {
    throw new Error(`PHP ${version} oracle not available: ${missing}`);
  }
  const root = repoRoot();
  const shim = buildPhpOracleShim(version);
  const dir = chrootDir(t);
  const timeoutMs = options.timeoutMs ?? 10 * 60 * 1000;
  let script = path.join(root, 'media', 'oracle', 'oracle.php');
  let traceArg = tracePath;
  let shimArg = shim;
  let copied: string | undefined;
  if (dir) {
    script = syncScripts(dir);
    shimArg = path.posix.join(IN_CHROOT_DIR, path.basename(shim));
    // The trace goes into the chroot's /tmp under a name no other run uses.
    const name = `zmm-trace-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.trace`;
    copied = path.join(dir, 'tmp', name);
    fs.copyFileSync(tracePath, copied);
    traceArg = `/tmp/${name}`;
  }
  let r: SpawnSyncReturns<string>;
  try {
    const [file, argv] = command(t, t.php, [...PHP_FLAGS, ...t.flags, script, traceArg, shimArg]);
    r = spawnSync(file, argv, {
      encoding: 'utf8',
      maxBuffer: MAX_BUFFER,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
  } finally {
    if (copied) {
      fs.rmSync(copied, { force: true });
    }
  }
  const PHP = dir ? `${t.php} (${t.suite} chroot)` : t.php;
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
  const fatal = r.signal
    ? FATAL_BY_SIGNAL[r.signal]
    : version === '7.4' && r.status === 1
      ? { message: 'zend_mm_heap corrupted', needs: /zend_mm_heap corrupted/ } // 7.4's zend_mm_panic() calls exit(1)
      : undefined;
  if (fatal && (!fatal.needs || fatal.needs.test(stderr))) {
    const operation = traceOperation(tracePath, lines.length);
    if (operation) {
      lines.push({ ...operation, error: fatal.message, fatal: true });
      return { lines, stderr };
    }
  }
  return fail(r.signal ? `${PHP} died of ${r.signal}` : `${PHP} exited with status ${r.status}`);
}
