// Runs a raw trace through the allocator of the `php` on PATH: checks that it is a release the
// oracle scripts have a structure layout for, with FFI, headers (php-config) and gcc; builds
// the oracle's C shim once per release; runs oracle.php and returns its JSON Lines. No VS Code.

import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Interpreter settings of an oracle run: no php.ini, FFI on, errors recorded but not printed. */
const PHP_FLAGS = [
  '-n', '-d', 'extension=ffi', '-d', 'ffi.enable=1', '-d', 'display_errors=0', '-d', 'log_errors=0',
  '-d', 'html_errors=0', '-d', 'error_reporting=-1', '-d', 'memory_limit=-1', '-d', 'serialize_precision=-1',
];

/** A php that can run the oracle. */
export interface LocalPhp {
  readonly php: string;
  /** PHP_VERSION, e.g. "8.2.32". */
  readonly release: string;
  /** "MAJOR.MINOR". */
  readonly version: string;
  readonly phpConfig: string;
  /** Extra flags (a json extension built as a module). */
  readonly flags: string[];
}

function run(cmd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60000 });
  return { ok: !r.error && r.status === 0, out: (r.stdout ?? '').trim(), err: r.error ? r.error.message : (r.stderr ?? '').trim() };
}

/** The exact release a layout file of the oracle scripts was written for, if any. */
export function layoutRelease(scriptsDir: string, version: string): string | undefined {
  const file = path.join(scriptsDir, `layout-${version}.php`);
  if (!fs.existsSync(file)) return undefined;
  return /'version'\s*=>\s*'(\d+\.\d+\.\d+)'/.exec(fs.readFileSync(file, 'utf8'))?.[1];
}

/**
 * The local php, ready for the oracle, or the exact reason it cannot run: no php on PATH, no
 * FFI, a release without a structure layout (or with one for another patch release), no
 * matching php-config, no gcc.
 */
export function findLocalPhp(scriptsDir: string, php = 'php', supported: readonly string[]): LocalPhp | { error: string } {
  if (!fs.existsSync(path.join(scriptsDir, 'oracle.php'))) {
    return { error: `the oracle scripts are not in this build of the extension (no ${path.join(scriptsDir, 'oracle.php')}); run it from a clone of the repository` };
  }
  const probeCode = 'echo PHP_VERSION, " ", extension_loaded("FFI") ? "ffi" : "no-ffi", " ", function_exists("json_encode") ? "json" : "no-json";';
  let flags: string[] = [];
  let probe = run(php, [...PHP_FLAGS, '-r', probeCode]);
  if (!probe.ok) return { error: `'${php}' does not run (${probe.err || 'no output'}): install PHP with its FFI extension, or put it on PATH` };
  if (probe.out.endsWith('no-json')) {
    flags = ['-d', 'extension=json'];
    probe = run(php, [...PHP_FLAGS, ...flags, '-r', probeCode]);
  }
  const [release, ffi, json] = probe.out.split(' ');
  const version = release.split('.').slice(0, 2).join('.');
  if (ffi !== 'ffi') return { error: `'${php}' (PHP ${release}) has no FFI extension` };
  if (json !== 'json') return { error: `'${php}' (PHP ${release}) has no json extension` };
  if (!supported.includes(version)) return { error: `'${php}' is PHP ${release}, and the engine has no profile for ${version} (profiles: ${supported.join(', ')})` };
  const layout = layoutRelease(scriptsDir, version);
  if (layout === undefined) return { error: `'${php}' is PHP ${release}: the oracle has no structure layout for ${version} (it reads the heap's memory with the layout of one exact release)` };
  if (layout !== release) return { error: `'${php}' is PHP ${release}, but the oracle's ${version} structure layout is that of PHP ${layout}; the heap struct can differ between patch releases` };
  const phpConfig = [`php-config${version}`, 'php-config'].find((c) => run(c, ['--version']).out === release);
  if (phpConfig === undefined) return { error: `no php-config for PHP ${release} (install the php${version}-dev headers): the oracle's C shim is built against them` };
  if (!run('gcc', ['--version']).ok) return { error: 'gcc not found: it builds the oracle\'s C shim' };
  return { php, release, version, phpConfig, flags };
}

/** Builds (once per release and shim source) the oracle's C shim into `cacheDir`; returns its path. */
export function buildShim(local: LocalPhp, scriptsDir: string, cacheDir: string): string {
  const src = path.join(scriptsDir, 'zmm_shim.c');
  const out = path.join(cacheDir, `zmm_shim-${local.release}.so`);
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(src).mtimeMs) return out;
  const includes = run(local.phpConfig, ['--includes']);
  if (!includes.ok) throw new Error(`${local.phpConfig} --includes failed: ${includes.err}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const cc = run('gcc', ['-O2', '-Wall', '-shared', '-fPIC', ...includes.out.split(/\s+/), '-o', tmp, src]);
  if (!cc.ok) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`building ${src} failed:\n${cc.err}`);
  }
  fs.renameSync(tmp, out);
  return out;
}

/** The oracle's JSON Lines for a raw trace file. Rejects when php fails or `signal` aborts the run. */
export function runOracle(local: LocalPhp, scriptsDir: string, shim: string, traceFile: string, signal?: AbortSignal): Promise<object[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(local.php, [...PHP_FLAGS, ...local.flags, path.join(scriptsDir, 'oracle.php'), traceFile, shim], { signal, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(e));
    child.on('close', (code, sig) => {
      const stderr = Buffer.concat(err).toString('utf8').trim();
      const lines: object[] = [];
      for (const text of Buffer.concat(out).toString('utf8').split('\n')) {
        if (text === '') continue;
        try {
          lines.push(JSON.parse(text) as object);
        } catch {
          reject(new Error(`oracle.php printed a line that is not JSON: ${text.slice(0, 200)}`));
          return;
        }
      }
      if (code !== 0) {
        reject(new Error(`php ended with ${sig ?? `status ${code}`}${stderr ? `: ${stderr.split('\n')[0]}` : ''} (after ${lines.length} records)`));
        return;
      }
      resolve(lines);
    });
  });
}
