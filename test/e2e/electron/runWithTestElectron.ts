// `npm run test:electron`: the in-host suite (test/integration) through @vscode/test-electron,
// the library desktop VS Code extensions use. Which VS Code runs it:
//   VSCODE_EXECUTABLE=/path/to/code   a desktop VS Code already installed
//   VSCODE_DOWNLOAD=1                 test-electron downloads one (needs update.code.visualstudio.com)
//   neither                           code-server through test/e2e/bin/code-server-test, which
//                                     takes the same flags as `code` (works offline)
// The extension runs from this folder (`npm run build` first), on the example workspace.
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { EXAMPLE_WORKSPACE, INTEGRATION_RUNNER, REPO_ROOT } from '../harness/paths';

const CODE_SERVER_SHIM = path.join(REPO_ROOT, 'test', 'e2e', 'bin', 'code-server-test');

async function main(): Promise<void> {
  const executable = process.env.VSCODE_EXECUTABLE || (process.env.VSCODE_DOWNLOAD ? undefined : CODE_SERVER_SHIM);
  await runTests({
    ...(executable ? { vscodeExecutablePath: executable } : {}),
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: INTEGRATION_RUNNER,
    // --disable-extensions: only the extension under test (and VS Code's built-ins) load.
    launchArgs: [EXAMPLE_WORKSPACE, '--disable-extensions'],
  });
}

main().catch((e: unknown) => {
  console.error('test:electron:', e instanceof Error ? e.message : e);
  process.exit(1);
});
