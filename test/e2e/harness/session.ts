// One user session for UI scenarios: a fresh code-server with the packaged extension installed,
// a headless Chromium, and the workbench open on a copy of a folder. stop() ends all of it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { CodeServer } from './codeServer';
import { ARTIFACTS_DIR, EXAMPLE_WORKSPACE } from './paths';
import { packageVsix } from './vsix';
import { Workbench } from './workbench';

/** The VSIX under test: E2E_VSIX when the run packaged it already, else packaged now. */
export async function vsixUnderTest(): Promise<string> {
  const given = process.env.E2E_VSIX;
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`E2E_VSIX=${given} does not exist`);
    return given;
  }
  const vsix = await packageVsix(path.join(ARTIFACTS_DIR, 'zend-mm-lab.vsix'));
  process.env.E2E_VSIX = vsix;
  return vsix;
}

export interface SessionOptions {
  /** Folder copied into the session and opened (default: the example workspace). */
  folder?: string;
  /** Files to add to the copy, relative path -> content. */
  extraFiles?: Record<string, string>;
}

export class Session {
  private constructor(
    readonly workDir: string,
    /** The session's copy of the folder, open in the workbench. */
    readonly folder: string,
    /** Where the VSIX was unpacked. */
    readonly extensionPath: string,
    readonly server: CodeServer,
    private readonly browser: Browser,
    readonly workbench: Workbench,
  ) {}

  static async start(options: SessionOptions = {}): Promise<Session> {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-ui-'));
    const folder = path.join(workDir, 'workspace');
    fs.cpSync(options.folder ?? EXAMPLE_WORKSPACE, folder, { recursive: true });
    for (const [rel, content] of Object.entries(options.extraFiles ?? {})) {
      fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
      fs.writeFileSync(path.join(folder, rel), content);
    }
    const serverDir = path.join(workDir, 'server');
    let server: CodeServer | undefined;
    let browser: Browser | undefined;
    try {
      const extensionPath = await CodeServer.installExtension(serverDir, await vsixUnderTest());
      server = await CodeServer.start({ workDir: serverDir });
      browser = await launchBrowser();
      const workbench = await Workbench.open(browser, server, folder);
      return new Session(workDir, folder, extensionPath, server, browser, workbench);
    } catch (e) {
      await browser?.close().catch(() => undefined);
      await server?.stop();
      keepOrRemove(workDir, true);
      throw e;
    }
  }

  /** Closes the browser, stops the server, removes the session's folder (kept if `failed`). */
  async stop(failed = false): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    keepOrRemove(this.workDir, failed);
  }
}

function keepOrRemove(workDir: string, failed: boolean): void {
  if (failed || process.env.VSCODE_TEST_KEEP) {
    console.log(`    (session files and code-server.log kept in ${workDir})`);
    return;
  }
  fs.rmSync(workDir, { recursive: true, force: true });
}
