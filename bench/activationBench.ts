// Activation benchmark: the time VS Code takes to activate the packaged extension, in a real
// extension host (code-server on 127.0.0.1, the workbench in headless Chromium), against a
// baseline extension (one JavaScript file registering one command) activated in the same host.
// Each run starts a fresh code-server with both VSIXes installed; the in-host probe
// (bench/activation/activationProbe.ts) activates the two one after the other, alternating which
// goes first, and reads the activation times VS Code itself recorded (Developer: Startup
// Performance / Show Running Extensions). Target: activation <= 50 ms. Also reports the VSIX's
// size. Started by bench/activationBench.mjs (npm run bench).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXTENSION_ID } from '../src/ids';
import { CodeServer } from '../test/e2e/harness/codeServer';
import { runExtensionTests } from '../test/e2e/harness/extensionTests';
import { REPO_ROOT, VSCODE_TEST_CACHE } from '../test/e2e/harness/paths';
import { runGroup } from '../test/e2e/harness/processGroup';
import { packageVsix, readZipEntries } from '../test/e2e/harness/vsix';
import type { ProbeResult } from './activation/activationProbe';
import { BASELINE_ID, packageBaselineVsix, writeBenchHostExtension } from './activation/baselineExtension';

const TARGET_MS = 50;
const SETUP_TIMEOUT_MS = 30 * 60_000;
const RUN_TIMEOUT_S = 180;
const PROBE = path.join(__dirname, 'activationProbe.js');
const VERBOSE = !!process.env.BENCH_VERBOSE;

/** One activation as VS Code timed it, plus the wall time of Extension.activate() in the host. */
interface Activation {
  loadCodeMs: number;
  callActivateMs: number;
  finishActivateMs: number;
  /** loadCodeMs + callActivateMs + finishActivateMs */
  totalMs: number;
  activateWallMs: number;
  activationEvent: string;
  /** 1 when this extension was activated first in its host, 2 when second. */
  position: number;
}

interface ExtensionFigures {
  id: string;
  runs: Activation[];
  medianTotalMs: number;
  maxTotalMs: number;
  medianWallMs: number;
}

interface VsixSize {
  bytes: number;
  files: number;
  unpackedBytes: number;
}

/** ACTIVATION_RUNS: how many fresh hosts to measure in (default 5). */
function runCount(text: string | undefined): number {
  if (text === undefined || text === '') return 5;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new Error(`ACTIVATION_RUNS=${text}: expected a whole number of runs from 1 to 100`);
  return n;
}

function median(xs: number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 === 1 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
}

function figures(id: string, runs: Activation[]): ExtensionFigures {
  return {
    id,
    runs,
    medianTotalMs: median(runs.map((r) => r.totalMs)),
    maxTotalMs: Math.max(...runs.map((r) => r.totalMs)),
    medianWallMs: median(runs.map((r) => r.activateWallMs)),
  };
}

function vsixSize(vsix: string): VsixSize {
  const entries = readZipEntries(vsix);
  return { bytes: fs.statSync(vsix).size, files: entries.length, unpackedBytes: entries.reduce((n, e) => n + e.size, 0) };
}

function codeServerVersions(): { codeServer: string; vscode: string } | undefined {
  try {
    const root = path.join(VSCODE_TEST_CACHE, 'node_modules', 'code-server');
    const read = (file: string): string => (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    return { codeServer: read(path.join(root, 'package.json')), vscode: read(path.join(root, 'lib', 'vscode', 'package.json')) };
  } catch {
    return undefined;
  }
}

/** Installs code-server as `npm run test:e2e` does; throws with the script's last lines on failure. */
async function setUpCodeServer(): Promise<void> {
  if (!fs.existsSync(path.join(VSCODE_TEST_CACHE, '.installed-lock-sha256'))) {
    console.log(`activation: installing code-server into ${VSCODE_TEST_CACHE} first (scripts/setup-vscode-test.sh, a few minutes)`);
  }
  const r = await runGroup('bash scripts/setup-vscode-test.sh', SETUP_TIMEOUT_MS, 'bash', [path.join(REPO_ROOT, 'scripts', 'setup-vscode-test.sh')], { cwd: REPO_ROOT });
  if (r.code !== 0) {
    const why = `${r.stdout}${r.stderr}`.trim().split('\n').slice(-8).join('\n  ');
    throw new Error(`bash scripts/setup-vscode-test.sh exited with ${r.code ?? r.signal}:\n  ${why}`);
  }
}

/** One fresh code-server with both extensions installed; returns each extension's activation. */
async function measureOnce(run: number, order: string[], vsixes: string[], devExtension: string, folder: string, workDir: string): Promise<Map<string, Activation>> {
  for (const vsix of vsixes) await CodeServer.installExtension(workDir, vsix);
  const out = path.join(workDir, 'activation.json');
  const outcome = await runExtensionTests({
    extensionPath: devExtension,
    testsPath: PROBE,
    folder,
    workDir,
    timeoutSeconds: RUN_TIMEOUT_S,
    env: { ACTIVATION_PROBE_ORDER: order.join(','), ACTIVATION_PROBE_OUT: out },
    verbose: VERBOSE,
    screenshot: path.join(workDir, 'workbench.png'),
    print: VERBOSE ? (line) => console.log(line) : () => undefined,
  });
  if (outcome.exitCode !== 0 || !fs.existsSync(out)) {
    const why = [...outcome.problems, ...outcome.failed.map((f) => `${f.title}: ${f.error}`)].join('; ') || `exit ${outcome.exitCode}`;
    throw new Error(`run ${run}: the in-host probe failed: ${why} (server and workbench logs kept in ${workDir})`);
  }
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as ProbeResult;
  const activations = new Map<string, Activation>();
  order.forEach((id, i) => {
    const t = result.extensions[id];
    const parts = [t.loadCodeMs, t.callActivateMs, t.finishActivateMs];
    if (parts.some((ms) => ms < 0)) throw new Error(`run ${run}: VS Code recorded no complete activation of ${id} (${parts.join(', ')} ms)`);
    activations.set(id, { ...t, totalMs: parts.reduce((a, b) => a + b, 0), position: i + 1 });
  });
  return activations;
}

function ratio(ours: number, baseline: number): number | null {
  return baseline > 0 ? ours / baseline : null;
}

function describeRatio(value: number | null, baselineMs: number): string {
  return value === null ? `n/a (baseline ${baselineMs} ms, below the clock's resolution)` : `${value.toFixed(1)}x`;
}

function printFigures(label: string, f: ExtensionFigures): void {
  const typical = [...f.runs].sort((a, b) => a.totalMs - b.totalMs)[Math.floor((f.runs.length - 1) / 2)];
  console.log(
    `  ${label.padEnd(34)} median ${String(f.medianTotalMs).padStart(4)} ms  max ${String(f.maxTotalMs).padStart(4)} ms` +
      `  (median run: load code ${typical.loadCodeMs}, call activate ${typical.callActivateMs}, finish activate ${typical.finishActivateMs} ms)` +
      `  activate() awaited in the host: median ${f.medianWallMs.toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  const runs = runCount(process.env.ACTIVATION_RUNS);
  fs.mkdirSync(path.join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  const file = path.join('bench', 'results', `activation-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const write = (report: Record<string, unknown>): void => {
    fs.writeFileSync(path.join(REPO_ROOT, file), JSON.stringify(report, null, 2) + '\n');
    console.log(`results: ${file}`);
  };
  const header = { targetMs: TARGET_MS, runs, cpus: os.cpus().length, loadAverageAtStart: os.loadavg() };

  const vsix = await packageVsix(path.join(REPO_ROOT, 'out', 'bench', 'zend-mm-lab.vsix'));
  const size = vsixSize(vsix);
  const sizeLine = `VSIX: ${size.bytes} bytes, ${size.files} files (${size.unpackedBytes} bytes unpacked)`;
  try {
    await setUpCodeServer();
  } catch (e) {
    console.log(`activation: NOT MEASURED: code-server could not be set up: ${(e as Error).message}`);
    console.log(sizeLine);
    write({ ...header, vsix: size, error: `code-server could not be set up: ${(e as Error).message}` });
    return;
  }
  const versions = codeServerVersions();

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-activation-'));
  let keep = false;
  try {
    const baselineVsix = await packageBaselineVsix(path.join(work, 'baseline'));
    const devExtension = writeBenchHostExtension(path.join(work, 'bench-host'));
    const folder = path.join(work, 'workspace');
    fs.mkdirSync(folder);
    const activations = new Map<string, Activation[]>([[EXTENSION_ID, []], [BASELINE_ID, []]]);
    for (let run = 1; run <= runs; run++) {
      const order = run % 2 === 1 ? [EXTENSION_ID, BASELINE_ID] : [BASELINE_ID, EXTENSION_ID];
      const runDir = path.join(work, `run-${run}`);
      try {
        const measured = await measureOnce(run, order, [vsix, baselineVsix], devExtension, folder, runDir);
        for (const [id, activation] of measured) activations.get(id)!.push(activation);
      } catch (e) {
        keep = true;
        throw e;
      }
      fs.rmSync(runDir, { recursive: true, force: true });
      if (VERBOSE) console.log(`run ${run}: ${order.map((id) => `${id} ${JSON.stringify(activations.get(id)!.at(-1))}`).join('; ')}`);
    }
    const ours = figures(EXTENSION_ID, activations.get(EXTENSION_ID)!);
    const baseline = figures(BASELINE_ID, activations.get(BASELINE_ID)!);
    const totalRatio = ratio(ours.medianTotalMs, baseline.medianTotalMs);
    const wallRatio = ratio(ours.medianWallMs, baseline.medianWallMs);
    const met = ours.medianTotalMs <= TARGET_MS;
    const where = versions ? `code-server ${versions.codeServer}, VS Code ${versions.vscode}` : 'code-server';
    console.log(`activation in a real extension host (${where}; a fresh host per run, ${runs} runs; VS Code's own times: load code + call activate + finish activate)`);
    printFigures(EXTENSION_ID, ours);
    printFigures('baseline (one file, one command)', baseline);
    console.log(`  ours / baseline: ${describeRatio(totalRatio, baseline.medianTotalMs)} (VS Code's times), ${describeRatio(wallRatio, baseline.medianWallMs)} (activate() awaited)`);
    console.log(`activation target <= ${TARGET_MS} ms: ${met ? 'MET' : 'NOT MET'} (median ${ours.medianTotalMs} ms, max ${ours.maxTotalMs} ms)`);
    console.log(sizeLine);
    write({ ...header, loadAverageAtEnd: os.loadavg(), versions, vsix: size, ours, baseline, ratio: { total: totalRatio, activateWall: wallRatio }, targetMet: met });
  } catch (e) {
    console.log(`activation: NOT MEASURED: ${(e as Error).message}`);
    console.log(sizeLine);
    write({ ...header, versions, vsix: size, error: (e as Error).message });
  } finally {
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.log(`activation: NOT MEASURED: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
