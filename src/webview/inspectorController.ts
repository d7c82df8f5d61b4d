// The host side of the heap inspector without VS Code: answers the webview's messages from the
// heap session, and after each change sends only what changed since the webview's last state.

import { diffHeapSnapshots } from '../protocol/diffHeapSnapshots';
import type { HeapSnapshot, TouchedRegion } from '../protocol/heapSnapshot';
import { validateFromWebview } from '../protocol/validateFromWebview';
import type { FromWebview, ToWebview } from '../protocol/webviewMessages';
import type { HeapSession, SessionChange } from '../session/heapSession';

/** What the controller needs from where it runs (a VS Code panel, or a test page). */
export interface InspectorHost {
  post(msg: ToWebview): void;
  /** Open zend_alloc.c at the C function `func`. */
  showInSource(func: string): void;
  /** Save an exported map. */
  exportMap(format: 'svg' | 'png', data: string): void;
  /** A line for the output channel. */
  log(text: string): void;
}

/** Routes one webview's messages to one heap session. */
export class InspectorController {
  /** What the webview holds now; null until it said `ready`. */
  private sent: HeapSnapshot | null = null;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly session: HeapSession,
    private readonly host: InspectorHost,
  ) {
    this.subscription = session.onDidChange((c) => this.sessionChanged(c));
  }

  /** A message from the webview (unvalidated). */
  receive(raw: unknown): void {
    const v = validateFromWebview(raw);
    if (!v.ok) {
      this.host.log(`heap inspector: ignored a message from the webview: ${v.error}`);
      return;
    }
    this.handle(v.msg);
  }

  private handle(msg: FromWebview): void {
    switch (msg.type) {
      case 'ready':
      case 'resync':
        this.sendSnapshot();
        return;
      case 'inspectPage': {
        const details = this.session.pageDetails(msg.chunk, msg.page);
        if (details === undefined) {
          this.host.post({ type: 'notice', level: 'error', text: `chunk ${msg.chunk} is not in the heap any more` });
        } else {
          this.host.post({ type: 'pageDetails', details });
        }
        return;
      }
      case 'showInSource': {
        const details = this.session.pageDetails(msg.chunk, msg.page);
        const func = details?.allocator ?? null;
        if (func === null) {
          this.host.post({ type: 'notice', level: 'info', text: `page ${msg.page} of chunk ${msg.chunk} is not part of an allocated run` });
        } else {
          this.host.showInSource(func);
        }
        return;
      }
      case 'showHugeInSource':
        this.host.showInSource('zend_mm_alloc_huge');
        return;
      case 'exportMap':
        this.host.exportMap(msg.format, msg.data);
        return;
      default: {
        const unreachable: never = msg;
        throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Sends the touched regions of a step (a debug session's current step). */
  highlight(touched: TouchedRegion[]): void {
    if (this.sent !== null) this.host.post({ type: 'highlight', touched });
  }

  private sendSnapshot(): void {
    const heap = this.session.snapshot();
    this.sent = heap;
    this.host.post({ type: 'snapshot', heap });
  }

  private sessionChanged(c: SessionChange): void {
    if (this.sent === null) return; // the webview asks for its first snapshot itself
    if (c.kind === 'reset') {
      this.sendSnapshot();
      return;
    }
    const next = this.session.snapshot();
    const update = diffHeapSnapshots(this.sent, next);
    this.sent = next;
    this.host.post({ type: 'update', update });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
