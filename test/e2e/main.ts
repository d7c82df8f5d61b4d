// `npm run test:e2e`: packages the extension once, runs the in-host suite (test/integration)
// inside a real VS Code extension host with the packaged VSIX installed, then the packaging test
// and the UI scenarios (test/e2e/**/*.e2e.js). Prints each stage's wall time. Exit status 0 only
// when every stage passed. Needs scripts/setup-vscode-test.sh and `npm run compile-tests` first.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Mocha from 'mocha';
import { CodeServer } from './harness/codeServer';
import { runExtensionTests } from './harness/extensionTests';
import { ARTIFACTS_DIR, EXAMPLE_WORKSPACE, INTEGRATION_RUNNER } from './harness/paths';
import { packageVsix } from './harness/vsix';

const timings: [string, number][] = [];

async function timed<T>(stage: string, work: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await work();
  } finally {
    timings.push([stage, (Date.now() - start) / 1000]);
  }
}

function findFiles(dir: string, suffix: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? findFiles(full, suffix) : e.name.endsWith(suffix) ? [full] : [];
  }).sort();
}

/** The in-host suite against the installed VSIX, on a copy of the example workspace. */
async function extensionHostSuite(vsix: string): Promise<boolean> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-host-'));
  let ok = false;
  try {
    const folder = path.join(workDir, 'workspace');
    fs.cpSync(EXAMPLE_WORKSPACE, folder, { recursive: true });
    const serverDir = path.join(workDir, 'server');
    const extensionPath = await CodeServer.installExtension(serverDir, vsix);
    const outcome = await runExtensionTests({
      extensionPath,
      testsPath: INTEGRATION_RUNNER,
      folder,
      workDir: serverDir,
      timeoutSeconds: Number(process.env.VSCODE_TEST_TIMEOUT || 300),
      verbose: !!process.env.VSCODE_TEST_VERBOSE,
      screenshot: path.join(ARTIFACTS_DIR, 'screenshots', 'extension-host-suite.png'),
    });
    for (const problem of outcome.problems) console.log(`extension host suite: ${problem}`);
    ok = outcome.exitCode === 0;
    if (!ok) console.log(`extension host suite: exit ${outcome.exitCode}; server and workbench logs kept in ${serverDir}`);
    return ok;
  } finally {
    if (ok && !process.env.VSCODE_TEST_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function uiScenarios(): Promise<number> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 120_000 });
  for (const file of findFiles(__dirname, '.e2e.js')) mocha.addFile(file);
  return new Promise((resolve) => mocha.run((failures) => resolve(failures)));
}

async function main(): Promise<number> {
  const start = Date.now();
  const vsix = await timed('package the VSIX', () => packageVsix(path.join(ARTIFACTS_DIR, 'zend-mm-lab.vsix')));
  process.env.E2E_VSIX = vsix;
  console.log(`\n== extension host suite (test/integration) in code-server, VSIX installed`);
  const hostOk = await timed('extension host suite', () => extensionHostSuite(vsix));
  console.log(`\n== packaging and UI scenarios (test/e2e)`);
  const failures = await timed('packaging and UI scenarios', uiScenarios);
  timings.push(['end-to-end total', (Date.now() - start) / 1000]);
  console.log('\nend-to-end wall time:');
  for (const [stage, seconds] of timings) console.log(`  ${stage.padEnd(28)} ${seconds.toFixed(1)} s`);
  console.log(`artifacts (screenshots, VSIX): ${ARTIFACTS_DIR}`);
  return hostOk && failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('test:e2e:', e instanceof Error ? e.stack ?? e.message : e);
    process.exit(2);
  },
);
