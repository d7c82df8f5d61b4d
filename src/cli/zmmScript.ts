// Turns a .zmm script into the raw trace the replay paths read: a temporary file, plus a map
// from its line numbers back to the script's, so every message names the script's own line.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic } from '../trace/diagnostics';
import { lowerZmm, parseZmm, zmmToRaw } from '../trace/zmm';

/** A .zmm script ready to replay. */
export interface PreparedZmm {
  /** Path of the raw trace written for it (delete with `dispose`). */
  readonly rawFile: string;
  /** The version its `php` line names, if any. */
  readonly php: string | undefined;
  /** Bad lines of the script (errors). */
  readonly diagnostics: Diagnostic[];
  /** Calls the raw trace cannot express, left out of the replay (warnings). */
  readonly skipped: Diagnostic[];
  /** Rewrites "RAWFILE:N" in a message to "SCRIPT:LINE". */
  mapMessage(message: string): string;
  dispose(): void;
}

/** Parses, checks and lowers `file`; never throws for bad script content. */
export function prepareZmm(file: string): PreparedZmm {
  const text = fs.readFileSync(file, 'utf8');
  const parsed = parseZmm(text, file);
  const calls = lowerZmm(parsed.statements);
  const raw = zmmToRaw(calls, file);
  let php: string | undefined;
  for (const c of calls) if (c.kind === 'php') php = c.version;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-'));
  const rawFile = path.join(dir, path.basename(file).replace(/\.zmm$/, '') + '.trace');
  fs.writeFileSync(rawFile, raw.lines.join('\n') + '\n');
  const escaped = rawFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ref = new RegExp(`${escaped}:(\\d+)`, 'g');
  return {
    rawFile,
    php,
    diagnostics: parsed.diagnostics,
    skipped: raw.diagnostics,
    mapMessage: (m) => m.replace(ref, (_all, n: string) => `${file}:${raw.sourceLines[Number(n) - 1] ?? n}`),
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
