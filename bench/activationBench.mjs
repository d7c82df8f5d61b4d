// Bundles the activation benchmark (bench/activationBench.ts) and its in-host probe
// (bench/activation/activationProbe.ts) and runs it. npm run bench starts it last, because it
// packages the VSIX (a production build into dist/). Alone: `node bench/activationBench.mjs`
// after `npm ci`; it installs code-server itself (scripts/setup-vscode-test.sh). A failure is
// reported on its output and never stops the other benchmarks.
import * as esbuild from 'esbuild';
import { execFileSync } from 'child_process';
import * as fs from 'fs';

const OUT = 'out/bench';
const TIMEOUT_MS = 60 * 60 * 1000; // code-server's first install included
fs.mkdirSync(OUT, { recursive: true });
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', logLevel: 'warning' };
await esbuild.build({ ...common, entryPoints: ['bench/activationBench.ts'], outfile: `${OUT}/activationBench.cjs`, external: ['playwright-core'] });
// the extension host loads the probe with require(); it runs beside the extensions it measures
await esbuild.build({ ...common, entryPoints: ['bench/activation/activationProbe.ts'], outfile: `${OUT}/activationProbe.js`, external: ['vscode'] });
try {
  execFileSync(process.execPath, ['--enable-source-maps', `${OUT}/activationBench.cjs`], { stdio: 'inherit', timeout: TIMEOUT_MS, killSignal: 'SIGTERM' });
} catch (e) {
  console.log(`activation: the benchmark ended abnormally (${e.signal ?? `exit ${e.status}`}); see its output above`);
}
