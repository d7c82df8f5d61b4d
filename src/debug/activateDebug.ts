// VS Code wiring of the stepper: the debug configuration provider (initial launch.json entry,
// F5 on a .zmm or trace file, the phpSrc setting and workspace folders filled in), the inline
// debug adapter (its code loaded with the first session), and the inline decoration that shows
// each step's note on its C line.

import * as vscode from 'vscode';
import { DEBUG_TYPE, SETTING_PHP_SRC, SETTING_PHP_VERSION, SETTINGS_SECTION } from '../ids';
import { lazyBundle } from '../lazyBundle';
import type * as InlineDebugAdapterBundle from './inlineDebugAdapter';
import { STEP_NOTE_EVENT, StepNoteBody } from './stepNote';

/** The debug session's code, loaded when the first session starts. */
const loadInlineDebugAdapter = lazyBundle<typeof InlineDebugAdapterBundle>('inlineDebugAdapter');

/** Registers everything the stepper needs; every registration goes to context.subscriptions. */
export function registerDebugger(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ZendMmConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ZendMmConfigurationProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory()),
  );
  const notes = new StepNoteDecorations();
  context.subscriptions.push(
    notes,
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type === DEBUG_TYPE && e.event === STEP_NOTE_EVENT) notes.show(e.body as StepNoteBody);
    }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.type === DEBUG_TYPE) notes.clear();
    }),
    vscode.window.onDidChangeVisibleTextEditors(() => notes.refresh()),
  );
}

/** Runs the session in the extension host (so debugging the extension debugs the adapter too). */
class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    return new vscode.DebugAdapterInlineImplementation(loadInlineDebugAdapter().createInlineDebugAdapter());
  }
}

/** Launch configurations: the initial one, and the missing attributes filled in on F5. */
class ZendMmConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [
      {
        type: DEBUG_TYPE,
        request: 'launch',
        name: 'Step through the allocator',
        program: '${file}',
        stopOnEntry: true,
      },
    ];
  }

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    if (!config.type && !config.request && !config.name) {
      // F5 with no launch.json: step the file in the active editor
      const editor = vscode.window.activeTextEditor;
      if (editor === undefined) return undefined;
      config.type = DEBUG_TYPE;
      config.request = 'launch';
      config.name = 'Step through the allocator';
      config.program = editor.document.uri.fsPath;
      config.stopOnEntry = true;
    }
    const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder);
    // the settings come after the launch attributes (and, for the version, the script's `php` line)
    const settingPhp = settings.get<string>(SETTING_PHP_VERSION);
    if (settingPhp) config.settingPhp = settingPhp;
    const settingPhpSrc = settings.get<string>(SETTING_PHP_SRC);
    if (settingPhpSrc) config.settingPhpSrc = settingPhpSrc;
    config.searchFolders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    return config;
  }
}

/** The note of the current step, after the end of its line in zend_alloc.c. */
class StepNoteDecorations implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    isWholeLine: true,
  });
  private current: StepNoteBody | undefined;

  show(note: StepNoteBody): void {
    this.current = note.line > 0 ? note : undefined;
    this.refresh();
  }

  clear(): void {
    this.current = undefined;
    this.refresh();
  }

  refresh(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const note = this.current;
      const matches =
        note !== undefined &&
        (note.path !== undefined
          ? editor.document.uri.fsPath === note.path
          : editor.document.uri.scheme === 'debug' && note.name !== undefined && decodeURIComponent(editor.document.uri.path).endsWith(note.name));
      if (!matches || note === undefined || note.line > editor.document.lineCount) {
        editor.setDecorations(this.type, []);
        continue;
      }
      const line = editor.document.lineAt(note.line - 1);
      editor.setDecorations(this.type, [{ range: line.range, renderOptions: { after: { contentText: `// ${note.text}` } } }]);
    }
  }

  dispose(): void {
    this.type.dispose();
  }
}
