// The heap inspector panel: its lifecycle (one per window, revealed again when open), the
// webview's options and HTML, and the routing of its messages through InspectorController.

import * as vscode from 'vscode';
import type { Touched } from '../engine/step';
import { HEAP_INSPECTOR_VIEW_TYPE } from '../ids';
import type { HeapSession } from '../session/heapSession';
import { InspectorController } from './inspectorController';
import { showInZendAlloc } from './showInSource';
import { heapMapHtml, newNonce } from './webviewHtml';

/** The heap inspector webview panel. */
export class HeapMapPanel implements vscode.Disposable {
  private static current: HeapMapPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly controller: InspectorController;

  /** Shows the panel, creating it when there is none. */
  static show(extensionUri: vscode.Uri, session: HeapSession, log: (text: string) => void): HeapMapPanel {
    if (HeapMapPanel.current !== undefined) {
      HeapMapPanel.current.panel.reveal();
      return HeapMapPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(HEAP_INSPECTOR_VIEW_TYPE, 'Heap Inspector', vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'media'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    HeapMapPanel.current = new HeapMapPanel(panel, extensionUri, session, log);
    return HeapMapPanel.current;
  }

  /** Closes the panel if it is open (on deactivation). */
  static disposeCurrent(): void {
    HeapMapPanel.current?.dispose();
  }

  /** Highlights what a step touched, when the panel is open (for a debug session). */
  static highlight(session: HeapSession, touched: readonly Touched[]): void {
    HeapMapPanel.current?.controller.highlight(session.touchedRegions(touched));
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    session: HeapSession,
    log: (text: string) => void,
  ) {
    const webview = panel.webview;
    this.controller = new InspectorController(session, {
      post: (msg) => void webview.postMessage(msg),
      showInSource: (func) => void showInZendAlloc(func, log),
      exportMap: (format, data) => void saveExport(format, data, log),
      log,
    });
    webview.html = heapMapHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'media', 'heapMap.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'heapMap', 'heapMap.css')).toString(),
      nonce: newNonce(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.controller.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    HeapMapPanel.current = undefined;
    this.controller.dispose();
    this.panel.dispose();
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }
}

/** Asks where to save an exported map and writes it. */
async function saveExport(format: 'svg' | 'png', data: string, log: (text: string) => void): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, `heap-map.${format}`) : undefined,
    filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
  });
  if (target === undefined) return;
  const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.slice('data:image/png;base64,'.length), 'base64');
  await vscode.workspace.fs.writeFile(target, bytes);
  log(`heap map saved to ${target.fsPath}`);
}
