// npm run bench: builds the native baseline (bench/native/zmmReplay.c, linked against PHP's
// embed library; see scripts/setup-bench.sh), bundles the benchmarks with esbuild and runs
// them, writing the JSON result to bench/results/ (git-ignored). When the native baseline
// cannot be built the bench says why and still measures the engine. The extension's activation
// in a real VS Code extension host comes last (bench/activationBench.mjs).
import * as esbuild from 'esbuild';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const CACHE = '.cache/bench';
fs.mkdirSync(CACHE, { recursive: true });
fs.mkdirSync('bench/results', { recursive: true });

/** Output of a command, trimmed, or null when it cannot be run or fails. */
function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 }).trim();
  } catch {
    return null;
  }
}

/**
 * Builds .cache/bench/zmmReplay when it is missing, older than its source, or was built with
 * other flags. Returns { binary } or { error } (why there is no native baseline).
 */
function buildNative() {
  const src = 'bench/native/zmmReplay.c';
  const bin = path.join(CACHE, 'zmmReplay');
  const stamp = `${bin}.cmd`;
  const hint = 'run `bash scripts/setup-bench.sh` (as root) to install libphp8.2-embed and php8.2-dev';
  const includes = run('php-config8.2', ['--includes']);
  if (includes === null) return { error: `php-config8.2 not found (no PHP 8.2 headers); ${hint}` };
  const prefix = run('php-config8.2', ['--prefix']) ?? '/usr';
  const libDirs = [...new Set([`${prefix}/lib`, `${prefix}/lib/x86_64-linux-gnu`, `${prefix}/lib64`, '/usr/lib', '/usr/lib/x86_64-linux-gnu'])];
  const libDir = libDirs.find((d) => fs.existsSync(path.join(d, 'libphp8.2.so')));
  if (libDir === undefined) return { error: `libphp8.2.so not found in ${libDirs.join(', ')}; ${hint}` };
  const cc = process.env.CC || 'cc';
  const args = [
    '-O2', '-std=gnu11', '-Wall', '-Wextra',
    ...includes.split(/\s+/),
    src, '-o', bin,
    `-L${libDir}`, '-lphp8.2', `-Wl,-rpath,${libDir}`,
  ];
  const cmd = [cc, ...args].join(' ');
  const fresh =
    fs.existsSync(bin) &&
    fs.statSync(bin).mtimeMs >= fs.statSync(src).mtimeMs &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8') === cmd;
  if (!fresh) {
    try {
      execFileSync(cc, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
    } catch (e) {
      const why = (e.stderr || e.message || '').toString().trim().split('\n').slice(-5).join('\n  ');
      fs.rmSync(bin, { force: true });
      return { error: `building ${src} failed (${cmd}):\n  ${why}` };
    }
    fs.writeFileSync(stamp, cmd);
  }
  return { binary: path.resolve(bin) };
}

const native = buildNative();
if (native.error) console.log(`native baseline: NOT AVAILABLE: ${native.error}\n`);

await esbuild.build({
  entryPoints: ['bench/engineBench.ts'],
  outfile: `${CACHE}/engineBench.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
const env = { ...process.env, BENCH_CACHE: CACHE };
if (native.binary) env.BENCH_NATIVE = native.binary;
else env.BENCH_NATIVE_ERROR = native.error;
const out = execFileSync(process.execPath, [`${CACHE}/engineBench.cjs`], {
  encoding: 'utf8',
  env,
  maxBuffer: 64 * 1024 * 1024,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const lines = out.trimEnd().split('\n');
console.log(lines.slice(0, -1).join('\n'));
const file = `bench/results/engine-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
fs.writeFileSync(file, lines[lines.length - 1] + '\n');
console.log(`results: ${file}`);
await esbuild.build({ entryPoints: ['bench/stepperBench.ts'], outfile: `${CACHE}/stepperBench.cjs`, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' }).then(() => console.log(execFileSync(process.execPath, ['--expose-gc', `${CACHE}/stepperBench.cjs`], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] }).trimEnd().split('\n').slice(0, -1).join('\n')));
execFileSync(process.execPath, ['bench/inspectorBench.mjs'], { stdio: 'inherit' });
// last: it packages the VSIX, which rebuilds dist/ for production
execFileSync(process.execPath, ['bench/activationBench.mjs'], { stdio: 'inherit' });
