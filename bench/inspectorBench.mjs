// Bundles bench/inspectorBench.ts (playwright-core stays external) and runs it. Needs the
// webview bundle: run after `npm run build` (npm run bench does).
import * as esbuild from 'esbuild';
import { execFileSync } from 'child_process';
import * as fs from 'fs';

const out = 'out/bench/inspectorBench.cjs';
fs.mkdirSync('out/bench', { recursive: true });
await esbuild.build({
  entryPoints: ['bench/inspectorBench.ts'],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['playwright-core'],
  logLevel: 'warning',
});
execFileSync(process.execPath, [out], { stdio: 'inherit', timeout: 15 * 60 * 1000 });
