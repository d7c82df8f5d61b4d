// The palette commands that act on the window's heap session: Allocate…, Free…, Reallocate…,
// Run gc, Set Memory Limit…, Reset Heap. Each takes its arguments when given (keybindings,
// tests) and asks for them otherwise. Run through heapInspectorBundle.ts once loaded.

import * as vscode from 'vscode';
import { COMMANDS } from '../ids';
import { parseZmmNumber } from '../trace/zmm/parseZmmNumber';
import { allocationHint, parseRequestSize } from '../session/allocationHint';
import type { HeapSession } from '../session/heapSession';
import type { HeapLog } from './heapLog';

/** Asks for a size in bytes, showing what it will use as the person types. */
export async function askSize(session: HeapSession, title: string, initial?: string): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt: 'Bytes (e.g. 100, 0x64, 5000, 3M)',
    value: initial,
    validateInput: (t) => {
      const r = parseRequestSize(t);
      if ('error' in r) return r.error;
      return { message: allocationHint(session.family, r.value), severity: vscode.InputBoxValidationSeverity.Info };
    },
  });
  if (text === undefined) return undefined;
  const r = parseRequestSize(text);
  return 'error' in r ? undefined : r.value;
}

/** A size given as a command argument (number or text), or the reason it is not one. */
function sizeArg(arg: unknown): number | string | undefined {
  if (arg === undefined) return undefined;
  const r = parseRequestSize(String(arg));
  return 'error' in r ? r.error : r.value;
}

/** Lets the person pick a live block. */
async function pickBlock(session: HeapSession, title: string): Promise<string | undefined> {
  const blocks = session.liveBlocks();
  if (blocks.length === 0) {
    void vscode.window.showInformationMessage('The heap has no live blocks. Run "Zend MM: Allocate…" first.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    blocks.map((b) => ({ label: b.name, description: `${b.size} bytes`, detail: b.where })),
    { title, placeHolder: 'a live block' },
  );
  return pick?.label;
}

/** What each heap command does, by command id. */
export function heapCommandHandlers(session: HeapSession, log: HeapLog) {
  const echo = (o: Parameters<HeapLog['outcome']>[1]): void => log.outcome(session.version, o);
  const badArg = (what: string, why: string): void => {
    log.line(`${what}: ${why}`);
    void vscode.window.showErrorMessage(`${what}: ${why}`);
  };
  return {
    [COMMANDS.allocate]: async (sizeGiven?: unknown, name?: unknown) => {
      const given = sizeArg(sizeGiven);
      if (typeof given === 'string') return badArg('Allocate', given);
      const size = given ?? (await askSize(session, 'Zend MM: Allocate (emalloc)'));
      if (size === undefined) return;
      echo(typeof name === 'string' ? session.allocate(size, name) : session.allocate(size));
    },
    [COMMANDS.free]: async (nameGiven?: unknown) => {
      const name = typeof nameGiven === 'string' ? nameGiven : await pickBlock(session, 'Zend MM: Free (efree)');
      if (name !== undefined) echo(session.free(name));
    },
    [COMMANDS.reallocate]: async (nameGiven?: unknown, sizeGiven?: unknown) => {
      const name = typeof nameGiven === 'string' ? nameGiven : await pickBlock(session, 'Zend MM: Reallocate (erealloc)');
      if (name === undefined) return;
      const given = sizeArg(sizeGiven);
      if (typeof given === 'string') return badArg('Reallocate', given);
      const size = given ?? (await askSize(session, `Zend MM: erealloc(${name}, …)`));
      if (size !== undefined) echo(session.reallocate(name, size));
    },
    [COMMANDS.runGc]: () => echo(session.gc()),
    [COMMANDS.setMemoryLimit]: async (limitGiven?: unknown) => {
      const text =
        limitGiven !== undefined
          ? String(limitGiven)
          : await vscode.window.showInputBox({
              title: 'Zend MM: Set memory_limit',
              prompt: 'Bytes, with an optional K, M or G suffix as in php.ini (e.g. 128M)',
              validateInput: (t) => {
                const r = parseZmmNumber(t.trim());
                return 'error' in r ? r.error : undefined;
              },
            });
      if (text === undefined) return;
      const r = parseZmmNumber(text.trim());
      if ('error' in r) return badArg('Set memory limit', r.error);
      echo(session.setMemoryLimit(r.value));
    },
    [COMMANDS.resetHeap]: () => {
      session.reset();
      log.line(`[PHP ${session.version}] heap reset: a fresh heap`);
    },
  };
}
