// Drives VS Code's workbench in the browser the way a person does: the command palette, quick
// open, the editor, hovers, the Problems view, webviews, and screenshots of what is on screen.
// Every wait has a limit; selectors are VS Code's own DOM classes.
import * as fs from 'fs';
import * as path from 'path';
import { Browser, Frame, Page } from 'playwright-core';
import { CodeServer } from './codeServer';
import { pollUntil, withDeadline } from './deadline';
import { ARTIFACTS_DIR, REPO_ROOT } from './paths';

const LOAD_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 20_000;
/** Language features (hovers, diagnostics) may wait for a language server to start. */
const LANGUAGE_TIMEOUT_MS = 45_000;
/** Commands registered late (lazy workbench parts, extension activation) get this long to appear. */
const COMMAND_TIMEOUT_MS = 45_000;

export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');

/**
 * The screenshots the README shows: scenario screenshot name -> file in docs/images/. With
 * E2E_README_SCREENSHOTS=1 the scenarios that take them copy them there. Screenshots that show
 * PHP's own zend_alloc.c are not among them: PHP's source is not ours to commit.
 */
export const README_SCREENSHOTS: Readonly<Record<string, string>> = {
  'heap-inspector-huge': 'heap-inspector.png',
  'zmm-problems': 'zmm-problems.png',
};
/** Where README_SCREENSHOTS go. */
export const README_IMAGES_DIR = path.join(REPO_ROOT, 'docs', 'images');
/** A README picture larger than this fails the run rather than bloat the repository. */
const README_IMAGE_MAX_BYTES = 300 * 1024;

/** Copies screenshot `name` to docs/images/ when the README shows it and E2E_README_SCREENSHOTS is set. */
function publishReadmeScreenshot(name: string, file: string): void {
  const target = README_SCREENSHOTS[name];
  if (target === undefined || !process.env.E2E_README_SCREENSHOTS) return;
  const size = fs.statSync(file).size;
  if (size > README_IMAGE_MAX_BYTES) throw new Error(`${file} is ${size} bytes; README pictures are kept under ${README_IMAGE_MAX_BYTES}`);
  fs.mkdirSync(README_IMAGES_DIR, { recursive: true });
  fs.copyFileSync(file, path.join(README_IMAGES_DIR, target));
}

/** "Open Walkthrough…" and "Open Walkthrough..." are the same title. */
function normalizeTitle(title: string): string {
  return title.replace(/…/g, '...').replace(/\s+/g, ' ').trim();
}

export class Workbench {
  private constructor(readonly page: Page) {}

  /** Opens `folder` in a new page and waits until the workbench and its extensions are up. */
  static async open(browser: Browser, server: CodeServer, folder: string): Promise<Workbench> {
    return Workbench.openUrl(browser, server.workbenchUrl(folder));
  }

  /** Opens a workbench URL (one that names a folder) and waits as open() does. */
  static async openUrl(browser: Browser, url: string): Promise<Workbench> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await withDeadline('open the workbench', LOAD_TIMEOUT_MS, page.goto(url));
    await page.waitForSelector('.monaco-workbench', { timeout: LOAD_TIMEOUT_MS });
    const workbench = new Workbench(page);
    // The Explorer lists the folder once the remote connection and file service are up.
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: LOAD_TIMEOUT_MS });
    return workbench;
  }

  /** Text of every element matching `selector`, in document order. */
  async texts(selector: string): Promise<string[]> {
    return this.page.locator(selector).allInnerTexts();
  }

  /** The file and folder names the Explorer shows. */
  async explorerEntries(): Promise<string[]> {
    return (await this.texts('.explorer-folders-view .monaco-list-row .label-name')).map((t) => t.trim());
  }

  /** Opens the quick input (F1) and replaces its text with `text` (">" runs commands, ":" goes to a line, none opens files). */
  async quickInput(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    if (!(await input.isVisible())) await this.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
  }

  /**
   * Answers the input box a command opened (vscode.window.showInputBox) whose title matches
   * `title`: waits for it (the palette that ran the command closes first), types `text`, presses
   * Enter and waits until it closes.
   */
  async answerInputBox(title: string | RegExp, text: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const wanted = typeof title === 'string' ? (t: string) => t.includes(title) : (t: string) => title.test(t);
    await pollUntil(`an input box titled ${title}`, STEP_TIMEOUT_MS, async () => {
      if (!(await widget.isVisible())) return undefined;
      const shown = await widget.locator('.quick-input-title').innerText().catch(() => '');
      return wanted(shown) ? true : undefined;
    });
    await widget.locator('.quick-input-box input').fill(text);
    await this.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });
  }

  /** Labels of the quick input's visible rows (command palette, quick pick, quick open). */
  async quickInputItems(): Promise<string[]> {
    await this.page.locator('.quick-input-widget').waitFor({ state: 'visible' });
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    return (await rows.evaluateAll((els) => els.map((e) => e.querySelector('.label-name')?.textContent ?? e.getAttribute('aria-label') ?? ''))).map(normalizeTitle);
  }

  /** Waits for a quick input row labelled `label` and accepts it. */
  async pickQuickInputItem(label: string): Promise<void> {
    const wanted = normalizeTitle(label);
    const index = await pollUntil(`quick input item "${label}"`, STEP_TIMEOUT_MS, async () => {
      const i = (await this.quickInputItems()).indexOf(wanted);
      return i >= 0 ? i : undefined;
    });
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    const before = await input.inputValue();
    await widget.locator('.quick-input-list .monaco-list-row').nth(index).click();
    // Accepted: the quick input closes, or a command opened a quick pick of its own in it.
    await pollUntil(`"${label}" accepted`, STEP_TIMEOUT_MS, async () =>
      !(await widget.isVisible()) || (await input.inputValue()) !== before ? true : undefined);
  }

  /**
   * Runs a command through the command palette by its title ("Category: Title"). The palette
   * lists the commands registered when it opens, and some register late (after start-up, or
   * when their extension activates), so it is reopened until the command shows up.
   */
  async runCommand(title: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
    const wanted = normalizeTitle(title);
    await pollUntil(`command "${title}" in the command palette`, timeoutMs, async () => {
      await this.quickInput(`>${wanted}`);
      const listed = await pollUntil(`palette rows for "${title}"`, 3000, async () => ((await this.quickInputItems()).includes(wanted) ? true : undefined)).catch(() => false);
      if (listed) return true;
      await this.page.keyboard.press('Escape');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      return undefined;
    }, 500);
    await this.pickQuickInputItem(title);
  }

  /** Opens a workspace file through quick open and waits for its editor tab. */
  async openFile(relativePath: string): Promise<void> {
    await this.quickInput(relativePath);
    const name = path.basename(relativePath);
    await pollUntil(`quick open lists ${relativePath}`, STEP_TIMEOUT_MS, async () => ((await this.quickInputItems()).includes(name) ? true : undefined));
    await this.pickQuickInputItem(name);
    await this.page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor({ state: 'visible' });
    await this.page.locator('.editor-instance .monaco-editor').first().waitFor({ state: 'visible' });
  }

  /** Moves the cursor of the active editor to a 1-based line and column. */
  async goToPosition(line: number, column: number): Promise<void> {
    await this.quickInput(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /**
   * Shows the hover at a 1-based line and column of the active editor and returns its text.
   * `timeoutMs` covers a language server that starts on the first request.
   */
  async hoverAt(line: number, column: number, timeoutMs = LANGUAGE_TIMEOUT_MS): Promise<string> {
    await this.goToPosition(line, column);
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content');
    // A language server may not be ready for the first request: ask again until it answers.
    return pollUntil(`hover at ${line}:${column}`, timeoutMs, async () => {
      await this.runCommand('Show or Focus Hover');
      await this.page.waitForTimeout(500);
      const text = (await hover.allInnerTexts()).join('\n').trim();
      if (text && !/^Loading\.\.\.$/.test(text)) return text;
      await this.page.keyboard.press('Escape');
      return undefined;
    }, 1000);
  }

  /** Opens the Problems view and returns its rows (file rows and marker rows) as VS Code labels them. */
  async problems(): Promise<string[]> {
    await this.runCommand('Problems: Focus on Problems View');
    await this.page.locator('.markers-panel').waitFor({ state: 'visible' });
    return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
  }

  /** Waits until the Problems view has a row matching `pattern` (diagnostics arrive asynchronously); returns all rows. */
  async problemsMatching(pattern: RegExp, timeoutMs = LANGUAGE_TIMEOUT_MS): Promise<string[]> {
    await this.problems();
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    return pollUntil(`a problem matching ${pattern}`, timeoutMs, async () => {
      const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
      return labels.some((l) => pattern.test(l)) ? labels : undefined;
    }, 250);
  }

  /**
   * The content frames of open webviews (VS Code nests each webview's document in an inner
   * iframe of the webview host frame).
   */
  webviewFrames(): Frame[] {
    return this.page.frames().filter((f) => f.parentFrame() !== null && (f.name() === 'active-frame' || /\/webview\/browser\/pre\/fake\.html/.test(f.url())));
  }

  /** Waits for a webview whose document has an element matching `selector`. */
  async webviewWith(selector: string): Promise<Frame> {
    return pollUntil(`a webview containing ${selector}`, STEP_TIMEOUT_MS, async () => {
      for (const frame of this.webviewFrames()) {
        if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
      }
      return undefined;
    });
  }

  /** Opens the Run and Debug view (Variables, Watch, Call Stack, Breakpoints). */
  async showRunAndDebug(): Promise<void> {
    await this.runCommand('View: Show Run and Debug');
    await this.page.locator('.debug-call-stack').waitFor({ state: 'visible' });
  }

  /**
   * Clicks a button of the debug toolbar by its label ("Step Back", "Continue", …); some of its
   * actions (Step Back, Reverse Continue) are not in the command palette.
   */
  async debugToolbarButton(label: string): Promise<void> {
    const button = this.page.locator(`.debug-toolbar .action-label[aria-label^="${label}"]`);
    await button.waitFor({ state: 'visible' });
    await button.click();
  }

  /**
   * The frames the Call Stack view lists (Run and Debug view open), top first: each frame's
   * name, its line (the badge, "line:column"), and whether it is the focused (selected) one.
   */
  async callStack(): Promise<StackFrameRow[]> {
    const rows = this.page.locator('.debug-call-stack .monaco-list-row');
    return rows.evaluateAll((els) =>
      els
        .filter((e) => e.querySelector('.stack-frame') !== null)
        .map((e) => {
          const badge = e.querySelector('.stack-frame .line-number')?.textContent ?? '';
          return {
            name: (e.querySelector('.stack-frame .expression')?.textContent ?? '').trim(),
            line: Number(badge.split(':')[0]) || 0,
            focused: e.classList.contains('selected') || e.classList.contains('focused'),
          };
        }),
    );
  }

  /**
   * The line of the active editor that carries the debugger's current-line decoration (the top
   * stack frame): its line number and its rendered text, with the text of any decoration drawn
   * after it (injected text or a CSS ::after content), or undefined when no line has it.
   */
  async topStackFrameLine(): Promise<{ line: number; text: string } | undefined> {
    const editor = this.page.locator('.editor-instance .monaco-editor').first();
    // runs in the page (this project compiles without the DOM library, hence the loose types)
    return editor.evaluate((root) => {
      type Node = typeof root;
      const style = (e: Node, pseudo: string): string => root.ownerDocument.defaultView?.getComputedStyle(e, pseudo).content ?? 'none';
      const topOf = (e: Node | null): string | undefined => (e === null ? undefined : (e as unknown as { style: { top: string } }).style.top);
      const mark = root.querySelector('.view-overlays .debug-top-stack-frame-line');
      const top = topOf(mark?.parentElement ?? null);
      if (!mark || !top) return undefined;
      const sameTop = (sel: string): Node | undefined => [...root.querySelectorAll(sel)].find((e) => topOf(e) === top);
      const view = sameTop('.view-lines > .view-line');
      const margin = sameTop('.margin-view-overlays > div');
      if (!view) return undefined;
      let text = '';
      const pseudo = (e: Node, which: string): string => {
        const c = style(e, which);
        return c && c !== 'none' && c !== 'normal' ? (JSON.parse(c) as string) : '';
      };
      const walk = (el: Node): void => {
        text += pseudo(el, '::before');
        if (el.children.length === 0) text += el.textContent ?? '';
        else for (const child of el.children) walk(child);
        text += pseudo(el, '::after');
      };
      walk(view);
      return { line: Number(margin?.querySelector('.line-numbers')?.textContent ?? 0), text: text.replace(/\u00a0/g, ' ') };
    });
  }

  /** The rows of the Variables view (Run and Debug view open) as VS Code labels them. */
  async variablesRows(): Promise<string[]> {
    return (await this.texts('.debug-variables .monaco-list-row')).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Saves a screenshot of the page as SCREENSHOTS_DIR/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
    await this.page.screenshot({ path: file, timeout: STEP_TIMEOUT_MS });
    publishReadmeScreenshot(name, file);
    return file;
  }

  /** Closes the quick input and any notification or hover, back to a neutral state. */
  async dismiss(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Escape');
  }
}

/** One row of the Call Stack view. */
export interface StackFrameRow {
  name: string;
  /** 1-based line of the frame's source (0 when it has none). */
  line: number;
  focused: boolean;
}
