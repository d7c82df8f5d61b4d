// Loads the real heap inspector bundle (dist/media/heapMap.js, built by `npm run build`) in
// headless Chromium from file://, under the real CSP, with a stand-in for VS Code's
// acquireVsCodeApi that records every posted message and hands it to a real
// InspectorController on a real HeapSession. Screenshots go to out/artifacts/webview/.

import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { execFileSync } from 'child_process';
import { chromium, Browser, Page } from 'playwright-core';
import { HeapSession } from '../../src/session/heapSession';
import { InspectorController } from '../../src/webview/inspectorController';
import { heapMapHtml, newNonce } from '../../src/webview/webviewHtml';
import type { ToWebview } from '../../src/protocol/webviewMessages';

/** The repository root: the first folder above this file that holds esbuild.mjs and media/. */
function repoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'esbuild.mjs')) && fs.existsSync(path.join(dir, 'media', 'heapMap'))) return dir;
    }
  }
  throw new Error(`no repository root above ${__dirname} or ${process.cwd()}`);
}
const ROOT = repoRoot();
export const ARTIFACTS = path.join(ROOT, 'out', 'artifacts', 'webview');
const BUNDLE = path.join(ROOT, 'dist', 'media', 'heapMap.js');
const STYLE = path.join(ROOT, 'media', 'heapMap', 'heapMap.css');

/** The Chromium binary (scripts/setup-chromium.sh installs it and prints its path). */
export function chromiumPath(): string {
  const out = execFileSync('bash', [path.join(ROOT, 'scripts', 'setup-chromium.sh')], { encoding: 'utf8', timeout: 600000 });
  const line = out.trim().split('\n').pop() ?? '';
  if (!fs.existsSync(line)) throw new Error(`setup-chromium.sh printed no browser path (got '${line}')`);
  return line;
}

/** Starts headless Chromium (no network use: pages are file:// only). */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
}

/** The inspector page, its host side, and what went each way. */
export interface InspectorPage {
  readonly page: Page;
  readonly session: HeapSession;
  readonly controller: InspectorController;
  /** Messages the webview posted (through the fake acquireVsCodeApi). */
  readonly fromWebview: unknown[];
  /** Messages the host sent to the webview. */
  readonly toWebview: ToWebview[];
  /** C functions the host was asked to show. */
  readonly shownInSource: string[];
  readonly exported: { format: string; data: string }[];
  readonly logged: string[];
  /** CSP violations the page reported. */
  readonly cspViolations: string[];
  /** Resolves once the webview has drawn the session's current seq. */
  settled(): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Opens the inspector on `session` in a new page of `browser`. */
export async function openInspector(browser: Browser, session: HeapSession, viewport = { width: 1400, height: 900 }): Promise<InspectorPage> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const nonce = newNonce();
  const html = heapMapHtml({ cspSource: 'file:', scriptUri: pathToFileURL(BUNDLE).href, styleUri: pathToFileURL(STYLE).href, nonce });
  // VS Code defines acquireVsCodeApi before the page's scripts run; so does this stand-in
  const fake = `<script nonce="${nonce}">
window.__posted = [];
window.acquireVsCodeApi = () => ({
  postMessage: (m) => { window.__posted.push(m); window.__toHost(JSON.parse(JSON.stringify(m))); },
  getState: () => undefined,
  setState: () => undefined,
});
document.addEventListener('securitypolicyviolation', (e) => window.__csp(e.violatedDirective + ' ' + e.blockedURI));
</script>
`;
  const withFake = html.replace('<script nonce=', `${fake}<script nonce=`);
  const file = path.join(ARTIFACTS, `inspector-${process.pid}-${Math.random().toString(36).slice(2)}.html`);
  fs.writeFileSync(file, withFake);

  const page = await browser.newPage({ viewport });
  const fromWebview: unknown[] = [];
  const toWebview: ToWebview[] = [];
  const shownInSource: string[] = [];
  const exported: { format: string; data: string }[] = [];
  const logged: string[] = [];
  const cspViolations: string[] = [];
  // messages to the page go one after another, in the order the host sent them
  let queue: Promise<unknown> = Promise.resolve();
  const controller = new InspectorController(session, {
    post: (msg) => {
      toWebview.push(msg);
      queue = queue.then(() => page.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`));
    },
    showInSource: (func) => shownInSource.push(func),
    exportMap: (format, data) => exported.push({ format, data }),
    log: (text) => logged.push(text),
  });
  await page.exposeFunction('__toHost', (m: unknown) => {
    fromWebview.push(m);
    controller.receive(m);
  });
  await page.exposeFunction('__csp', (v: string) => cspViolations.push(v));
  page.on('pageerror', (e) => logged.push(`page error: ${e.message}`));
  await page.goto(pathToFileURL(file).href);

  const settled = async (): Promise<void> => {
    await queue;
    await waitFor(page, `document.body.dataset.seq === '${session.seq}'`);
  };
  await settled();
  return {
    page,
    session,
    controller,
    fromWebview,
    toWebview,
    shownInSource,
    exported,
    logged,
    cspViolations,
    settled,
    screenshot: async (name) => {
      const out = path.join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: out, fullPage: false });
      return out;
    },
    close: async () => {
      controller.dispose();
      await page.close();
      fs.rmSync(file, { force: true });
    },
  };
}

/** What a cell shows: its classes, data-bin and inline background. */
export async function cellState(page: Page, chunk: number, pageNo: number): Promise<{ cls: string; bin: string | undefined; background: string }> {
  return page.evaluate(`(() => {
    const el = document.querySelector('.chunk[data-chunk="${chunk}"] .cell[data-page="${pageNo}"]');
    if (!el) throw new Error('no cell ${chunk}:${pageNo}');
    return { cls: el.className, bin: el.dataset.bin, background: el.style.background };
  })()`);
}

/**
 * Waits until a browser expression is truthy. Polls from Node: Playwright's own
 * waitForFunction evaluates strings inside the page, which the inspector's CSP forbids.
 */
export async function waitFor(page: Page, expression: string, timeoutMs = 10000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The value of a browser expression. */
export async function evaluate<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}
