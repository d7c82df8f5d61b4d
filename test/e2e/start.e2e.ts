// `npm start` as a person uses it: it prints the URL, VS Code at that URL has the example
// workspace open with the extension installed, and Ctrl+C stops everything it started.
import * as assert from 'node:assert/strict';
import { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Browser } from 'playwright-core';
import { launchBrowser } from './harness/browser';
import { pollUntil, withDeadline } from './harness/deadline';
import { REPO_ROOT } from './harness/paths';
import { spawnGroup, stopGroup } from './harness/processGroup';
import { Workbench } from './harness/workbench';

const READY_TIMEOUT_MS = 240_000;

/** A port on 127.0.0.1 nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', function () {
  this.timeout(READY_TIMEOUT_MS + 60_000);
  let state: string;
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let output = '';

  before(() => {
    state = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-start-'));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (child) await stopGroup(child);
    fs.rmSync(state, { recursive: true, force: true });
  });

  it('serves VS Code with the extension on the example workspace, and Ctrl+C stops it', async () => {
    const port = await freePort();
    child = spawnGroup('npm', ['start', '--silent'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port), START_STATE: state },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const url = await pollUntil('npm start prints its URL', READY_TIMEOUT_MS, async () => {
      if (child?.exitCode !== null) throw new Error(`npm start exited (${child?.exitCode}):\n${output}`);
      return /running at\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output)?.[1];
    }, 250);
    assert.ok(url.startsWith(`http://127.0.0.1:${port}/`), url);
    assert.match(output, /Ctrl\+C/);

    browser = await launchBrowser();
    const wb = await Workbench.openUrl(browser, url);
    assert.ok((await wb.explorerEntries()).includes('small-bins.zmm'));
    // The Welcome page opens on start-up and lists the extension's walkthrough.
    await wb.page.getByText('Get started with Zend MM Lab', { exact: true }).first().waitFor({ state: 'visible' });
    await wb.runCommand('Extensions: Show Installed Extensions');
    const names = wb.page.locator('.extensions-viewlet .extension-list-item .name');
    await names.first().waitFor({ state: 'visible' });
    assert.ok((await names.allInnerTexts()).includes('Zend MM Lab'));
    await wb.screenshot('npm-start');
    await browser.close();
    browser = undefined;

    // Ctrl+C in a terminal sends SIGINT to the whole foreground process group.
    process.kill(-(child.pid as number), 'SIGINT');
    const code = await withDeadline('npm start stops after Ctrl+C', 30_000, new Promise<number | null>((resolve) => {
      if (child?.exitCode !== null) resolve(child?.exitCode ?? null);
      else child.once('exit', (c) => resolve(c));
    }));
    assert.notEqual(code, 0, 'interrupted, so not a success');
    assert.match(output, /stopping VS Code/);
    await pollUntil(`port ${port} closed`, 10_000, async () => ((await accepts(port)) ? undefined : true));
  });
});
