// The launch attributes of a `zend-mm` debug session, checked: each problem is one clear
// message naming the attribute and what it should be.

import { profileFor, UnknownVersionError } from '../engine/profiles';
import { zend5ProfileFor } from '../engine/zend5/profiles';
import { SUPPORTED_PHP_VERSIONS } from '../engine/versions';
import type { AnyProfile } from './heapFamily';

/** What a launch request carries (see package.json contributes.debuggers). */
export interface ZendMmLaunchArguments {
  /** A .zmm script or a raw trace file. */
  program?: unknown;
  /** PHP version ("8.2"); default: the script's `php` line, else 8.2. */
  php?: unknown;
  /** A php-src checkout or its Zend/ folder. */
  phpSrc?: unknown;
  stopOnEntry?: unknown;
  /** 1-based program line to run to (stop before executing it). */
  stopAtLine?: unknown;
  /** Folders to search for a php-src checkout (filled in by the extension: the workspace folders). */
  searchFolders?: unknown;
  /** The zendMm.phpSrc setting (filled in by the extension). */
  settingPhpSrc?: unknown;
  /** The zendMm.phpVersion setting (filled in by the extension): used after the script's `php` line. */
  settingPhp?: unknown;
}

/** Checked launch attributes. */
export interface LaunchConfig {
  readonly program: string;
  readonly php?: string;
  readonly phpSrc?: string;
  readonly settingPhpSrc?: string;
  readonly settingPhp?: string;
  readonly stopOnEntry: boolean;
  readonly stopAtLine?: number;
  readonly searchFolders: readonly string[];
}

/** A bad launch attribute. */
export class LaunchArgumentError extends Error {}

function optionalString(args: ZendMmLaunchArguments, key: keyof ZendMmLaunchArguments): string | undefined {
  const v = args[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new LaunchArgumentError(`launch attribute '${key}' must be a string, got ${JSON.stringify(v)}`);
  return v;
}

/** Checks the attributes; throws LaunchArgumentError naming the first bad one. */
export function checkLaunchArguments(args: ZendMmLaunchArguments): LaunchConfig {
  const program = optionalString(args, 'program');
  if (program === undefined) throw new LaunchArgumentError("launch attribute 'program' is missing: give the path of a .zmm script or a raw trace file");
  const php = optionalString(args, 'php');
  const phpSrc = optionalString(args, 'phpSrc');
  const settingPhpSrc = optionalString(args, 'settingPhpSrc');
  const settingPhp = optionalString(args, 'settingPhp');
  if (args.stopOnEntry !== undefined && typeof args.stopOnEntry !== 'boolean') {
    throw new LaunchArgumentError(`launch attribute 'stopOnEntry' must be true or false, got ${JSON.stringify(args.stopOnEntry)}`);
  }
  let stopAtLine: number | undefined;
  if (args.stopAtLine !== undefined && args.stopAtLine !== null) {
    if (typeof args.stopAtLine !== 'number' || !Number.isInteger(args.stopAtLine) || args.stopAtLine < 1) {
      throw new LaunchArgumentError(`launch attribute 'stopAtLine' must be a line number (1 or more), got ${JSON.stringify(args.stopAtLine)}`);
    }
    stopAtLine = args.stopAtLine;
  }
  let searchFolders: string[] = [];
  if (args.searchFolders !== undefined) {
    if (!Array.isArray(args.searchFolders) || !args.searchFolders.every((f) => typeof f === 'string')) {
      throw new LaunchArgumentError("launch attribute 'searchFolders' must be a list of folder paths");
    }
    searchFolders = args.searchFolders as string[];
  }
  return {
    program,
    stopOnEntry: args.stopOnEntry === true,
    searchFolders,
    ...(php !== undefined ? { php } : {}),
    ...(phpSrc !== undefined ? { phpSrc } : {}),
    ...(settingPhpSrc !== undefined ? { settingPhpSrc } : {}),
    ...(settingPhp !== undefined ? { settingPhp } : {}),
    ...(stopAtLine !== undefined ? { stopAtLine } : {}),
  };
}

/**
 * The profile the session follows: the `php` attribute, else the script's `php` line, else
 * the setting, else 8.2. PHP 5.2 – 5.6 run the segment heap; other versions are refused with
 * the supported list.
 */
export function sessionProfile(php: string | undefined, scriptPhp: string | undefined, settingPhp?: string): AnyProfile {
  const version = php ?? scriptPhp ?? settingPhp ?? '8.2';
  const zend5 = zend5ProfileFor(version);
  if (zend5 !== undefined) return zend5;
  try {
    return profileFor(version);
  } catch (e) {
    if (e instanceof UnknownVersionError) {
      throw new LaunchArgumentError(`launch attribute 'php': unsupported PHP version '${version}' (the stepper supports ${SUPPORTED_PHP_VERSIONS.join(', ')})`);
    }
    throw e;
  }
}
