// The operations of a program, read by index. A .zmm script keeps one object per operation (it
// is short, and its labels and variables are its own text); a raw trace, which runs to millions
// of operations, stays compiled in typed arrays (17 bytes an operation), and an operation's
// object is made when asked for. A long program then neither fills the JavaScript heap nor
// gives its garbage collector a million objects to walk on every full collection.

import { CompiledTrace, OP_ALLOC, OP_FREE, OP_REALLOC } from '../replay/compiledTrace';
import { printRawOp, RawOp } from '../trace/rawTrace';

/** One operation of a program, where it is written and what it is called there. */
export interface ProgramOp {
  readonly op: RawOp;
  /** 1-based line in the program file. */
  readonly line: number;
  /** The call as the program writes it, e.g. "b = emalloc(100)" or "a 3 100". */
  readonly label: string;
  /** The script variable an allocation or reallocation stores its block in (.zmm only). */
  readonly target?: string;
}

/** A program's operations. */
export interface ProgramOps {
  readonly length: number;
  /** Operation `i` with its line, label and script variable. */
  at(i: number): ProgramOp;
  /** Operation `i` as its raw operation. */
  op(i: number): RawOp;
  /** The 1-based program line of operation `i`. */
  line(i: number): number;
  /**
   * A value equal for every operation on the same trace ID, and different for different IDs;
   * undefined for an operation without ID (gc, l, d).
   */
  idKey(i: number): number | string | undefined;
  /** One more than the largest numeric idKey (0 when there is none). */
  readonly idKeyCapacity: number;
}

/** Operations kept as objects. */
export class ProgramOpList implements ProgramOps {
  readonly idKeyCapacity = 0;

  constructor(private readonly list: readonly ProgramOp[]) {}

  get length(): number {
    return this.list.length;
  }

  at(i: number): ProgramOp {
    return this.list[i];
  }

  op(i: number): RawOp {
    return this.list[i].op;
  }

  line(i: number): number {
    return this.list[i].line;
  }

  idKey(i: number): string | undefined {
    const op = this.list[i].op;
    return op.op === 'a' || op.op === 'f' || op.op === 'r' ? op.id : undefined;
  }
}

/** A raw trace's operations, compiled. */
export class CompiledProgramOps implements ProgramOps {
  constructor(readonly trace: CompiledTrace) {}

  get length(): number {
    return this.trace.length;
  }

  get idKeyCapacity(): number {
    return this.trace.keyCapacity;
  }

  at(i: number): ProgramOp {
    const op = this.trace.rawOp(i);
    return { op, line: op.line, label: printRawOp(op) };
  }

  op(i: number): RawOp {
    return this.trace.rawOp(i);
  }

  line(i: number): number {
    return this.trace.lines[i];
  }

  idKey(i: number): number | string | undefined {
    const code = this.trace.codes[i];
    if (code !== OP_ALLOC && code !== OP_FREE && code !== OP_REALLOC) return undefined;
    const key = this.trace.keys[i];
    // a key is the ID's value; IDs too long for one are told apart by their text
    return key < 0 ? this.trace.idText(i) : key;
  }
}
