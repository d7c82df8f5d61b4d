// A `code` look-alike that runs an extension test suite in code-server instead of desktop
// VS Code. It takes the flags @vscode/test-electron passes to the VS Code it starts, so it can
// serve as that library's vscodeExecutablePath (test/e2e/bin/code-server-test wraps it):
//
//   code-server-test --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [FOLDER]
//
// Other flags (--no-sandbox, --user-data-dir, --extensions-dir, ...) are accepted and ignored:
// every run gets fresh user data and extension folders in a temporary folder.
// Exit status: 0 passed, 1 failed, 124 timed out, 2 harness error.
// Environment: VSCODE_TEST_TIMEOUT (seconds, default 300), VSCODE_TEST_VERBOSE=1 (every
// workbench log line), VSCODE_TEST_KEEP=1 (keep the temporary folder and its logs).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runExtensionTests } from '../harness/extensionTests';

interface Invocation {
  extensionPath: string;
  testsPath: string;
  folder: string | undefined;
}

const FLAGS_WITH_VALUE = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'install-extension', 'locale', 'log']);

function parseInvocation(argv: string[]): Invocation {
  let extensionPath: string | undefined;
  let testsPath: string | undefined;
  let folder: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) {
      folder = path.resolve(argv[i]);
      continue;
    }
    const value = m[2] ?? (FLAGS_WITH_VALUE.has(m[1]) ? argv[++i] : undefined);
    if (m[1] === 'extensionDevelopmentPath' && value) extensionPath = path.resolve(value);
    if (m[1] === 'extensionTestsPath' && value) testsPath = path.resolve(value);
  }
  if (!extensionPath || !testsPath) throw new Error('usage: code-server-test --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [FOLDER]');
  return { extensionPath, testsPath, folder };
}

async function main(): Promise<number> {
  const invocation = parseInvocation(process.argv.slice(2));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-host-'));
  const keep = !!process.env.VSCODE_TEST_KEEP;
  try {
    const outcome = await runExtensionTests({
      extensionPath: invocation.extensionPath,
      testsPath: invocation.testsPath,
      folder: invocation.folder ?? fs.mkdtempSync(path.join(workDir, 'empty-')),
      workDir: path.join(workDir, 'server'),
      timeoutSeconds: Number(process.env.VSCODE_TEST_TIMEOUT || 300),
      verbose: !!process.env.VSCODE_TEST_VERBOSE,
    });
    for (const problem of outcome.problems) console.error(`code-server-test: ${problem}`);
    if (outcome.exitCode !== 0) console.error(`code-server-test: exit ${outcome.exitCode}; logs in ${workDir}${keep ? '' : ' (removed; VSCODE_TEST_KEEP=1 keeps them)'}`);
    return outcome.exitCode;
  } finally {
    if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('code-server-test:', e instanceof Error ? e.stack ?? e.message : e);
    process.exit(2);
  },
);
