// The extensions the activation benchmark generates next to ours: the baseline (the smallest
// useful extension, one JavaScript file registering one command, packaged as a VSIX and installed
// the same way as ours) and the empty extension whose folder the workbench is given as the
// development extension, so that both measured extensions are ordinary installed ones.
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../../test/e2e/harness/paths';
import { runGroup } from '../../test/e2e/harness/processGroup';

export const BENCH_PUBLISHER = 'zend-mm-lab-bench';
export const BASELINE_ID = `${BENCH_PUBLISHER}.activation-baseline`;
const PACKAGE_TIMEOUT_MS = 120_000;

const BASELINE_MAIN = `// Activation baseline: registers one command and returns.
const vscode = require('vscode');
exports.activate = function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('activationBaseline.hello', () => 'hello'));
};
exports.deactivate = function deactivate() {};
`;

/** Our manifest's engines.vscode, so the generated extensions load in every host ours does. */
function vscodeEngine(): string {
  const ours = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { vscode: string } };
  return ours.engines.vscode;
}

function writeManifest(dir: string, manifest: Record<string, unknown>): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
}

/** Writes the baseline extension into `dir` and packages it with vsce; returns the VSIX path. */
export async function packageBaselineVsix(dir: string): Promise<string> {
  writeManifest(dir, {
    name: 'activation-baseline',
    displayName: 'Activation baseline',
    description: 'The smallest useful extension, activated next to Zend MM Lab to compare activation times.',
    publisher: BENCH_PUBLISHER,
    version: '0.0.1',
    license: 'MIT',
    engines: { vscode: vscodeEngine() },
    main: './extension.js',
    activationEvents: [],
  });
  fs.writeFileSync(path.join(dir, 'extension.js'), BASELINE_MAIN);
  fs.writeFileSync(path.join(dir, 'README.md'), '# Activation baseline\n\nRegisters one command.\n');
  const vsix = path.join(dir, 'activation-baseline.vsix');
  const vsce = path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  const r = await runGroup('package the baseline extension', PACKAGE_TIMEOUT_MS, vsce,
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: dir });
  if (r.code !== 0 || !fs.existsSync(vsix)) throw new Error(`packaging the baseline extension failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  return vsix;
}

/** Writes the development extension (a manifest, no code) into `dir` and returns `dir`. */
export function writeBenchHostExtension(dir: string): string {
  writeManifest(dir, {
    name: 'activation-bench-host',
    publisher: BENCH_PUBLISHER,
    version: '0.0.1',
    engines: { vscode: vscodeEngine() },
  });
  return dir;
}
