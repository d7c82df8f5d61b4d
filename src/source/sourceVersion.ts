// Which PHP version a zend_alloc.c belongs to: read from its checkout (main/php_version.h,
// Zend/zend.h, a VERSION file), else inferred from the file's own text; and the message when
// that is not the version the stepper follows.

import * as fs from 'fs';
import * as path from 'path';
import { AllocatorFamily, compareVersions } from './anchorCatalog';
import type { StepSourceRequest } from './stepSource';

/** A version read from the checkout around a zend_alloc.c. */
export interface CheckoutVersion {
  /** "8.2.32", or "8.2" when only the minor version is known. */
  readonly version: string;
  /** The file it was read from. */
  readonly from: string;
}

/** What the file's own text says about its version. */
export interface InferredVersion {
  readonly family: AllocatorFamily;
  /** The range of "MAJOR.MINOR" versions whose file looks like this; `highest` open when absent. */
  readonly lowest: string;
  readonly highest?: string;
  /** In words, e.g. "PHP 8.4 or later (chunk allocator with shadow pointers)". */
  readonly description: string;
}

function readSmall(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').slice(0, 200_000);
  } catch {
    return undefined;
  }
}

/**
 * The version of the php-src checkout holding `zendAllocPath` (…/Zend/zend_alloc.c): PHP_VERSION
 * of main/php_version.h, else ZEND_VERSION of Zend/zend.h mapped to PHP's (Zend 2.x is PHP 5.x,
 * 3.x is 7.x, 4.x is 8.x; minor only), else a one-line VERSION file beside Zend/.
 */
export function readCheckoutVersion(zendAllocPath: string): CheckoutVersion | undefined {
  const zendDir = path.dirname(zendAllocPath);
  const root = path.dirname(zendDir);
  const phpVersionH = path.join(root, 'main', 'php_version.h');
  const phpVersion = /#\s*define\s+PHP_VERSION\s+"(\d+\.\d+(?:\.\d+)?)[^"]*"/.exec(readSmall(phpVersionH) ?? '');
  if (phpVersion !== null) {
    return { version: phpVersion[1], from: phpVersionH };
  }
  const zendH = path.join(zendDir, 'zend.h');
  const zendVersion = /#\s*define\s+ZEND_VERSION\s+"(\d+)\.(\d+)/.exec(readSmall(zendH) ?? '');
  if (zendVersion !== null) {
    const phpMajor = { '2': 5, '3': 7, '4': 8 }[zendVersion[1]];
    if (phpMajor !== undefined) {
      return { version: `${phpMajor}.${zendVersion[2]}`, from: zendH };
    }
  }
  const versionFile = path.join(root, 'VERSION');
  const v = /^\s*(\d+\.\d+(?:\.\d+)?)\s*$/.exec(readSmall(versionFile) ?? '');
  if (v !== null) {
    return { version: v[1], from: versionFile };
  }
  return undefined;
}

/**
 * The allocator a zend_alloc.c's text implements: the 5.x segment heap (zend_mm_segment), the
 * 7/8 chunk heap (zend_mm_chunk), and within the latter 8.4's heap protection (the per-heap
 * shadow_key that free-slot shadow pointers are encoded with). Undefined for other text.
 */
export function inferVersion(text: string): InferredVersion | undefined {
  if (/\bzend_mm_chunk\b/.test(text)) {
    if (/\bshadow_key\b/.test(text)) {
      return { family: 'zend7', lowest: '8.4', description: 'PHP 8.4 or later (chunk allocator with free-slot shadow pointers)' };
    }
    return { family: 'zend7', lowest: '7.0', highest: '8.3', description: 'PHP 7.0 to 8.3 (chunk allocator, no shadow pointers)' };
  }
  if (/\bzend_mm_segment\b/.test(text)) {
    return { family: 'zend5', lowest: '5.2', highest: '5.6', description: 'PHP 5.2 to 5.6 (segment allocator)' };
  }
  return undefined;
}

/** The allocator family a profile version follows. */
export function familyOfVersion(version: string): AllocatorFamily {
  return compareVersions(version, '7.0') < 0 ? 'zend5' : 'zend7';
}

/** "MAJOR.MINOR" of "8.2.32". */
function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/**
 * Messages about the file's version against the profile's: none when they agree. The checkout's
 * version wins over the inference; with neither, one message says the version is unknown.
 */
export function versionMessages(
  filePath: string,
  checkout: CheckoutVersion | undefined,
  inferred: InferredVersion | undefined,
  request: Pick<StepSourceRequest, 'phpVersion' | 'phpRelease'>,
): string[] {
  const follows = `the stepper follows PHP ${request.phpVersion} (${request.phpRelease})`;
  if (checkout !== undefined) {
    const fileMinor = minorOf(checkout.version);
    if (fileMinor !== request.phpVersion) {
      return [
        `${filePath} is PHP ${checkout.version} (from ${checkout.from}), but ${follows}: ` +
          `lines may not match what each step does. Pick PHP ${fileMinor} for the session, or point phpSrc at a PHP ${request.phpVersion} checkout.`,
      ];
    }
    if (checkout.version.split('.').length === 3 && checkout.version !== request.phpRelease) {
      return [
        `${filePath} is PHP ${checkout.version} (from ${checkout.from}); ${follows}. ` +
          `Same minor version: lines should match, but the two releases may differ in places.`,
      ];
    }
    return [];
  }
  if (inferred === undefined) {
    return [`${filePath} does not look like zend_alloc.c (no zend_mm_chunk or zend_mm_segment in it): steps may not be placed.`];
  }
  const inRange =
    compareVersions(request.phpVersion, inferred.lowest) >= 0 &&
    (inferred.highest === undefined || compareVersions(request.phpVersion, inferred.highest) <= 0);
  if (!inRange) {
    return [
      `${filePath} looks like ${inferred.description} (no version file beside it), but ${follows}: ` +
        `lines may not match what each step does.`,
    ];
  }
  return [];
}
