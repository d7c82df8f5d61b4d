// Programs for tests, from raw trace text: compiled (how a raw trace file runs) or as a list of
// operation objects (how a .zmm script runs).
import * as assert from 'assert';
import { CompiledProgramOps, ProgramOpList, ProgramOps } from '../../../src/debug/programOps';
import { CompiledTrace } from '../../../src/replay/compiledTrace';
import { parseRawTrace, RawOp } from '../../../src/trace/rawTrace';

function parsed(text: string): RawOp[] {
  const { ops, diagnostics } = parseRawTrace(text, 't.trace');
  assert.deepStrictEqual(diagnostics, []);
  return ops;
}

/** `text`'s operations compiled, as a raw trace file's are. */
export function compiledOps(text: string): CompiledProgramOps {
  return new CompiledProgramOps(CompiledTrace.from(parsed(text)));
}

/** `text`'s operations as objects, each labelled "line N". */
export function listOps(text: string): ProgramOpList {
  return new ProgramOpList(parsed(text).map((op) => ({ op, line: op.line, label: `line ${op.line}` })));
}

/** The first `n` raw operations of `ops`. */
export function rawOps(ops: ProgramOps, n = ops.length): RawOp[] {
  return Array.from({ length: n }, (_, i) => ops.op(i));
}
