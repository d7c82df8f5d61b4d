// Finds the zend_alloc.c a debug session shows: the launch attribute `phpSrc`, else the
// `zendMm.phpSrc` setting, else a php-src checkout in the search folders (the folder itself or
// one or two levels below). Problems become messages naming the path; nothing is thrown.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SETTINGS_SECTION, SETTING_PHP_SRC } from '../ids';
import { compareVersions } from './anchorCatalog';
import { readCheckoutVersion } from './sourceVersion';
import type { StepSourceRequest } from './stepSource';

const ZEND_ALLOC = 'zend_alloc.c';
/** Folders never searched: they do not hold a checkout and can be huge. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.svn', '.hg']);
/** At most this many sub-folders of one folder are looked into. */
const MAX_SUBFOLDERS = 400;
/** At most this many folders are looked into per search folder, so a huge workspace stays quick. */
const MAX_FOLDERS_VISITED = 2000;

/** A zend_alloc.c that was found and read. */
export interface FoundZendAlloc {
  readonly path: string;
  readonly text: string;
}

/** The result of the search: the file (if any) and what the user should know. */
export interface LocateResult {
  readonly found?: FoundZendAlloc;
  readonly messages: readonly string[];
  /** Where it looked, in words, for the "not found" message. */
  readonly looked: readonly string[];
}

const LAUNCH_LABEL = 'the launch attribute phpSrc';
const SETTING_LABEL = `the setting ${SETTINGS_SECTION}.${SETTING_PHP_SRC}`;

/** `~` and relative paths: relative ones are taken from the first search folder. */
function expand(p: string, base: string | undefined): string {
  let out = p.trim();
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) {
    out = path.join(os.homedir(), out.slice(1));
  }
  return path.resolve(base ?? process.cwd(), out);
}

function errorCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : String(e);
}

/** Reads a zend_alloc.c, or says why it cannot be read. */
function readZendAlloc(file: string): FoundZendAlloc | string {
  try {
    return { path: file, text: fs.readFileSync(file, 'utf8') };
  } catch (e) {
    return `${file} cannot be read (${errorCode(e)})`;
  }
}

function statOf(p: string): fs.Stats | string {
  try {
    return fs.statSync(p);
  } catch (e) {
    const code = errorCode(e);
    return code === 'ENOENT' ? `${p} does not exist` : `${p} cannot be read (${code})`;
  }
}

/**
 * A configured path: a zend_alloc.c, a php-src checkout (holding Zend/zend_alloc.c) or its
 * Zend/ folder (holding zend_alloc.c). Returns the file or why the path does not give one.
 */
export function zendAllocAt(configured: string): FoundZendAlloc | string {
  const stat = statOf(configured);
  if (typeof stat === 'string') return stat;
  if (stat.isFile()) {
    if (path.basename(configured) !== ZEND_ALLOC) {
      return `${configured} is not a folder, and not a ${ZEND_ALLOC} file`;
    }
    return readZendAlloc(configured);
  }
  if (!stat.isDirectory()) {
    return `${configured} is not a folder`;
  }
  for (const candidate of [path.join(configured, 'Zend', ZEND_ALLOC), path.join(configured, ZEND_ALLOC)]) {
    const s = statOf(candidate);
    if (typeof s !== 'string' && s.isFile()) {
      return readZendAlloc(candidate);
    }
  }
  return `${configured} holds no Zend/${ZEND_ALLOC} (nor ${ZEND_ALLOC}): it is not a php-src checkout or its Zend folder`;
}

/** Sub-folders of `dir` worth searching, sorted by name. */
function subfolders(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && !SKIPPED_FOLDERS.has(e.name) && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
    .slice(0, MAX_SUBFOLDERS)
    .map((name) => path.join(dir, name));
}

/** Every Zend/zend_alloc.c at `folder` or one or two levels below it, shallowest first. */
export function searchFolder(folder: string): string[] {
  const found: string[] = [];
  let level = [folder];
  let visited = 0;
  for (let depth = 0; depth <= 2; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++visited > MAX_FOLDERS_VISITED) return found;
      const candidate = path.join(dir, 'Zend', ZEND_ALLOC);
      try {
        if (fs.statSync(candidate).isFile()) found.push(candidate);
      } catch {
        // not here
      }
      if (depth < 2) next.push(...subfolders(dir));
    }
    level = next;
  }
  return found;
}

/** Finds and reads the session's zend_alloc.c. */
export function locateZendAlloc(request: StepSourceRequest): LocateResult {
  const messages: string[] = [];
  const looked: string[] = [];
  const base = request.searchFolders?.[0];
  const configured: Array<[string, string | undefined]> = [
    [LAUNCH_LABEL, request.phpSrc],
    [SETTING_LABEL, request.settingPhpSrc],
  ];
  for (const [label, value] of configured) {
    if (value === undefined || value.trim() === '') {
      looked.push(`${label} (not set)`);
      continue;
    }
    const at = expand(value, base);
    looked.push(`${label} (${at})`);
    const result = zendAllocAt(at);
    if (typeof result !== 'string') {
      return { found: result, messages, looked };
    }
    messages.push(`${label}: ${result}.`);
  }
  const folders = request.searchFolders ?? [];
  if (folders.length === 0) {
    looked.push('no workspace folder to search');
  }
  const candidates: string[] = [];
  for (const folder of folders) {
    looked.push(`${folder} and two levels below it, for Zend/${ZEND_ALLOC}`);
    candidates.push(...searchFolder(folder));
  }
  // several checkouts: prefer the one of the profile's version, else the first found
  const readable: FoundZendAlloc[] = [];
  for (const candidate of candidates) {
    const r = readZendAlloc(candidate);
    if (typeof r === 'string') messages.push(`${r}.`);
    else readable.push(r);
  }
  if (readable.length > 0) {
    const matching = readable.find((f) => {
      const v = readCheckoutVersion(f.path);
      return v !== undefined && compareVersions(v.version, request.phpVersion) === 0;
    });
    const chosen = matching ?? readable[0];
    if (readable.length > 1) {
      messages.push(
        `Found ${readable.length} copies of ${ZEND_ALLOC} in the workspace; showing ${chosen.path}` +
          (matching !== undefined ? ` (its checkout is PHP ${request.phpVersion}).` : '. Set phpSrc to choose another.'),
      );
    }
    return { found: chosen, messages, looked };
  }
  return { messages, looked };
}
