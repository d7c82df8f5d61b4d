// Runs an extension test suite (extensionTestsPath) inside code-server's real Node extension
// host, the way desktop VS Code runs one for @vscode/test-electron: the workbench is opened with
// a payload naming the extension and the runner, the smoke-test driver makes the built workbench
// honour it, the host's console reaches us through window.codeAutomationLog and the end through
// window.codeAutomationExit(code).
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { CodeServer } from './codeServer';
import { withDeadline } from './deadline';

export interface ExtensionTestRun {
  /** The extension under test: a source folder or an installed VSIX's folder. */
  extensionPath: string;
  /** The runner module (exports run()). */
  testsPath: string;
  /** The folder the workbench opens. */
  folder: string;
  /** Work folder of the code-server (user data, extensions, logs). */
  workDir: string;
  /** Seconds for the whole suite (default 300). */
  timeoutSeconds?: number;
  /** Environment for the extension host (inherited from the server). */
  env?: NodeJS.ProcessEnv;
  /** Prints the host's output lines (the reporter's, between the runner's markers). */
  print?: (line: string) => void;
  /** Every workbench log line, for troubleshooting. */
  verbose?: boolean;
  /** Screenshot of the workbench when the run ends. */
  screenshot?: string;
}

export interface ExtensionTestOutcome {
  /** 0 passed, 1 failed or unusable, 124 timed out, 3 the page crashed. */
  exitCode: number;
  passed: string[];
  failed: { title: string; error: string }[];
  /** Why the run counts as failed beyond the failed tests, if it does. */
  problems: string[];
}

/** What the in-host runner writes when it ends (test/integration/index.ts). */
export interface RunnerResult {
  passed?: string[];
  failed?: { title: string; error: string }[];
  error?: string;
}

export const TESTS_BEGIN = '@@VSCODE-TESTS-BEGIN';
export const TESTS_END = '@@VSCODE-TESTS-END';
const WORKBENCH_TIMEOUT_MS = 60_000;
/** Workbench log lines that can interleave with the reporter's output and say nothing about it. */
const WORKBENCH_NOISE = /^\[AgentHost|^\[AccountPolicyGate\]|^\[ChatModelSelection\]|^Resolving connection token|^Resolved connection token|^Creating a socket|^\[reconnection-grace-time\]|^Updating additional builtin|^\[Service Worker\]|^Ignoring fetching additional builtin/;

export async function runExtensionTests(run: ExtensionTestRun): Promise<ExtensionTestOutcome> {
  const print = run.print ?? ((line: string) => console.log(line));
  const resultFile = path.join(run.workDir, 'result.json');
  fs.mkdirSync(run.workDir, { recursive: true });
  fs.rmSync(resultFile, { force: true });
  const timeoutMs = (run.timeoutSeconds ?? 300) * 1000;
  const server = await CodeServer.start({
    workDir: run.workDir,
    smokeTestDriver: true,
    env: { ...run.env, VSCODE_TEST_RESULT_FILE: resultFile },
  });
  let browser: Browser | undefined;
  const problems: string[] = [];
  let exitCode: number;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const workbenchLog = fs.createWriteStream(path.join(run.workDir, 'workbench.log'));
    let inTests = false;
    let finish: (r: { code: number; why?: string }) => void = () => undefined;
    const finished = new Promise<{ code: number; why?: string }>((resolve) => (finish = resolve));
    // Both hooks must exist before the workbench loads.
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = util.format(...(args ?? []));
      workbenchLog.write(`${type} ${line}\n`);
      if (line.includes(TESTS_BEGIN)) inTests = true;
      else if (line.includes(TESTS_END)) inTests = false;
      else if (run.verbose || (inTests && !WORKBENCH_NOISE.test(line))) print(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish({ code }));
    page.on('crash', () => finish({ code: 3, why: 'the browser page crashed' }));
    page.on('pageerror', (e) => workbenchLog.write(`pageerror ${e.message}\n`));
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', server.remoteUri(run.extensionPath)],
      ['extensionTestsPath', server.remoteUri(run.testsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    await withDeadline('open the workbench', WORKBENCH_TIMEOUT_MS, page.goto(server.workbenchUrl(run.folder, payload)));
    await page.waitForSelector('.monaco-workbench', { timeout: WORKBENCH_TIMEOUT_MS });
    const timer = setTimeout(() => finish({ code: 124, why: `the suite did not finish within ${timeoutMs / 1000} s` }), timeoutMs);
    const end = await finished;
    clearTimeout(timer);
    exitCode = end.code;
    if (end.why) problems.push(end.why);
    if (run.screenshot) {
      fs.mkdirSync(path.dirname(run.screenshot), { recursive: true });
      await page.screenshot({ path: run.screenshot, timeout: 10_000 }).catch(() => undefined);
    }
    await new Promise<void>((resolve) => workbenchLog.end(() => resolve()));
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
  // VS Code reports 0 when the extension host dies mid-run, so the host's own exit status and
  // the runner's result file decide, not the reported code alone.
  const hostExit = /Extension Host Process exited with code: (\S+), signal: (\S+)\./.exec(server.readLog());
  if (hostExit && (hostExit[1] !== '0' || hostExit[2] !== 'null')) {
    problems.push(`the extension host exited with code ${hostExit[1]}, signal ${hostExit[2]}`);
  }
  let result: RunnerResult = {};
  if (!fs.existsSync(resultFile)) {
    problems.push('the test runner wrote no result file: the suite did not end normally (the extension host stopped, or the run timed out)');
  } else {
    try {
      result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as RunnerResult;
    } catch (e) {
      problems.push(`the runner's result file is unreadable: ${String(e)}`);
    }
  }
  if (result.error) problems.push(`the runner failed: ${result.error}`);
  const passed = result.passed ?? [];
  const failed = result.failed ?? [];
  if (fs.existsSync(resultFile) && passed.length + failed.length === 0 && !result.error) problems.push('the suite ran no tests');
  if (failed.length > 0 || problems.length > 0) exitCode = exitCode || 1;
  return { exitCode, passed, failed, problems };
}
