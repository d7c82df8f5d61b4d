// Builds the bundles: the zend-mm CLI, and the extension host, debug adapter and webview
// entries when present.
import * as esbuild from 'esbuild';
import * as fs from 'fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const base = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const builds = [
  { ...base, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
// Each further bundle is built once its entry file exists.
const optional = [
  // the extension host entry: the registrations only (src/lazyBundle.ts loads the rest)
  { ...base, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // what the entry loads on first use: the heap session and its commands, the language
  // providers, the in-host debug session
  { ...base, entryPoints: ['src/commands/heapInspectorBundle.ts'], outfile: 'dist/heapInspector.js', external: ['vscode'] },
  { ...base, entryPoints: ['src/language/languageFeaturesBundle.ts'], outfile: 'dist/languageFeatures.js', external: ['vscode'] },
  { ...base, entryPoints: ['src/debug/inlineDebugAdapter.ts'], outfile: 'dist/inlineDebugAdapter.js', external: ['vscode'] },
  // the standalone debug adapter (stdin/stdout, or --server=PORT): contributes.debuggers' program
  { ...base, entryPoints: ['src/debug/debugAdapter.ts'], outfile: 'dist/debugAdapter.js' },
  // the heap inspector's browser code, loaded by the webview
  { ...base, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['media/heapMap/main.ts'], outfile: 'dist/media/heapMap.js' },
];
for (const b of optional) {
  if (fs.existsSync(b.entryPoints[0])) builds.push(b);
}

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  fs.chmodSync('dist/cli.js', 0o755);
}
