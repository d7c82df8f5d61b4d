// The syntax tree of a .zmm script: one node per non-blank line, each with its source span.

import { ByteCount } from '../rawTrace';

/**
 * Where a node sits in its script. Lines and columns are 1-based; columns count UTF-16 code
 * units (as VS Code does), and `endColumn` is exclusive.
 */
export interface ZmmSpan {
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

/** A variable name (a C identifier) where it is written. */
export interface ZmmName {
  readonly name: string;
  readonly span: ZmmSpan;
}

/** A number literal: decimal or 0x hex, optionally with a K, M or G suffix (1K = 1024). */
export interface ZmmNumberExpr {
  readonly kind: 'number';
  /** The literal as written, e.g. "0x18" or "2M". */
  readonly raw: string;
  /** Its value: a number below 2^53, an exact bigint from there up to SIZE_MAX. */
  readonly value: ByteCount;
  readonly span: ZmmSpan;
}

/** A string literal. */
export interface ZmmStringExpr {
  readonly kind: 'string';
  /** The text between the quotes exactly as written, escapes included. */
  readonly raw: string;
  /** The bytes it stands for: UTF-8 of its characters, one byte per \xNN escape. */
  readonly bytes: Uint8Array;
  readonly span: ZmmSpan;
}

/** A bare identifier argument: a variable, or `true` / `false` for a persistent flag. */
export interface ZmmNameExpr {
  readonly kind: 'name';
  readonly name: string;
  readonly span: ZmmSpan;
}

/** An argument of a call. */
export type ZmmExpr = ZmmNumberExpr | ZmmStringExpr | ZmmNameExpr;

/** `php 8.2`: which allocator version the script follows. */
export interface ZmmPhpStatement {
  readonly kind: 'php';
  /** The version as written: "8.2", or an exact release such as "8.2.12". */
  readonly version: string;
  readonly versionSpan: ZmmSpan;
  readonly span: ZmmSpan;
  /** Text after a trailing `#`, trailing whitespace removed. */
  readonly comment?: string;
}

/** `limit 128M` or `limit -1`: the memory limit. */
export interface ZmmLimitStatement {
  readonly kind: 'limit';
  /** The value as written, e.g. "128M", "0x8000000" or "-1". */
  readonly raw: string;
  /** The limit in bytes; `-1` (no limit) is SIZE_MAX, as PHP stores it. */
  readonly bytes: ByteCount;
  /** True for `limit -1`. */
  readonly unlimited: boolean;
  readonly valueSpan: ZmmSpan;
  readonly span: ZmmSpan;
  readonly comment?: string;
}

/** `[target =] fn(args…)`: one allocator call. */
export interface ZmmCallStatement {
  readonly kind: 'call';
  /** The variable the result is stored in, when there is one. */
  readonly target?: ZmmName;
  readonly callee: ZmmName;
  readonly args: readonly ZmmExpr[];
  readonly span: ZmmSpan;
  readonly comment?: string;
}

/** A line holding only a comment. */
export interface ZmmCommentStatement {
  readonly kind: 'comment';
  /** Text after `#`, trailing whitespace removed. */
  readonly text: string;
  readonly span: ZmmSpan;
}

/**
 * A line that does not parse (its diagnostic says why). It is kept, trimmed, so that printing
 * never loses what the user wrote; lowering skips it.
 */
export interface ZmmInvalidStatement {
  readonly kind: 'invalid';
  readonly text: string;
  readonly span: ZmmSpan;
}

/** One line of a script. Blank lines have no node. */
export type ZmmStatement = ZmmPhpStatement | ZmmLimitStatement | ZmmCallStatement | ZmmCommentStatement | ZmmInvalidStatement;
