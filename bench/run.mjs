// npm run bench: bundles the benchmarks with esbuild and runs them, writing the JSON
// result to bench/results/ (git-ignored).
import * as esbuild from 'esbuild';
import { execFileSync } from 'child_process';
import * as fs from 'fs';

fs.mkdirSync('.cache/bench', { recursive: true });
fs.mkdirSync('bench/results', { recursive: true });
await esbuild.build({
  entryPoints: ['bench/engineBench.ts'],
  outfile: '.cache/bench/engineBench.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
const out = execFileSync(process.execPath, ['.cache/bench/engineBench.cjs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const lines = out.trimEnd().split('\n');
console.log(lines.slice(0, -1).join('\n'));
const file = `bench/results/engine-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
fs.writeFileSync(file, lines[lines.length - 1] + '\n');
console.log(`results: ${file}`);
