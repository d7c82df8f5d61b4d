// Every identifier the extension shares with its manifest (package.json): command ids, the
// debug type, the language id, view types and settings. One place, so a rename is one edit.

export const EXTENSION_ID = 'zend-mm-lab.zend-mm-lab';

/** The debug type of contributes.debuggers. */
export const DEBUG_TYPE = 'zend-mm';

/** The language id of .zmm scripts. */
export const ZMM_LANGUAGE_ID = 'zmm';

/** Settings (contributes.configuration), read as `zendMm.<name>`. */
export const SETTINGS_SECTION = 'zendMm';
export const SETTING_PHP_VERSION = 'phpVersion';
export const SETTING_PHP_SRC = 'phpSrc';

/** Command ids (contributes.commands), category "Zend MM". */
export const COMMANDS = {
  allocate: 'zendMm.allocate',
  free: 'zendMm.free',
  reallocate: 'zendMm.reallocate',
  runGc: 'zendMm.runGc',
  setMemoryLimit: 'zendMm.setMemoryLimit',
  resetHeap: 'zendMm.resetHeap',
  selectPhpVersion: 'zendMm.selectPhpVersion',
  openHeapInspector: 'zendMm.openHeapInspector',
  replayTraceFile: 'zendMm.replayTraceFile',
  verifyTraceWithLocalPhp: 'zendMm.verifyTraceWithLocalPhp',
  stepFromHere: 'zendMm.stepFromHere',
} as const;

/**
 * The commands the heap inspector bundle carries out on the window's heap session (see
 * src/commands/heapInspectorBundle.ts): registered at activation, run once it is loaded.
 */
export const HEAP_INSPECTOR_COMMANDS = [
  COMMANDS.allocate,
  COMMANDS.free,
  COMMANDS.reallocate,
  COMMANDS.runGc,
  COMMANDS.setMemoryLimit,
  COMMANDS.resetHeap,
  COMMANDS.openHeapInspector,
  COMMANDS.replayTraceFile,
  COMMANDS.verifyTraceWithLocalPhp,
] as const;
export type HeapInspectorCommand = (typeof HEAP_INSPECTOR_COMMANDS)[number];

/** The heap inspector's webview panel type. */
export const HEAP_INSPECTOR_VIEW_TYPE = 'zendMm.heapInspector';
