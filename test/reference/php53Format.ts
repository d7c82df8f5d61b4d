// Reads the reference data's text format (../shared/oracle-data/php53/FORMAT.md) into the
// records the 5.x replayer produces, so the reference test can compare them field by field.

import type {
  Zend5BlockRef,
  Zend5Counters,
  Zend5DumpBlock,
  Zend5OpRecord,
  Zend5Place,
  Zend5StateRecord,
} from '../../src/replay/zend5/zend5Records';

/** The `init` line: the state right after zend_mm_startup(). */
export interface InitLine {
  blockSize: number;
  storage: string;
  reserve: Zend5BlockRef;
  heap: Zend5Counters;
}

/** One item of an expected output: the init line, an op line or a dump block; `line` is 1-based. */
export type ExpectedItem =
  | { kind: 'init'; line: number; init: InitLine }
  | { kind: 'op'; line: number; text: string; record: Zend5OpRecord }
  | { kind: 'dump'; line: number; state: Omit<Zend5StateRecord, 'op'> };

/** A decimal byte count as the trace parser gives it: a number below 2^53, else a bigint. */
function count(t: string): number | bigint {
  const n = BigInt(t);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** A decimal that must fit a double exactly. */
function num(t: string): number {
  const n = Number(t);
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${t}`);
  return n;
}

/** SEG:OFF:SIZE. */
function blk(t: string): Zend5BlockRef {
  const m = /^(\d+):(\d+):(\d+)$/.exec(t);
  if (m === null) throw new Error(`bad block reference '${t}'`);
  return { segment: num(m[1]), offset: num(m[2]), size: num(m[3]) };
}

/** SEG:OFF. */
function place(t: string): Zend5Place {
  const m = /^(\d+):(\d+)$/.exec(t);
  if (m === null) throw new Error(`bad place '${t}'`);
  return { segment: num(m[1]), offset: num(m[2]) };
}

/** The S P RS RP C trailer. */
function trailer(f: string[]): Zend5Counters {
  if (f.length !== 5) throw new Error(`expected 5 counters, got ${f.length}`);
  return { size: num(f[0]), peak: num(f[1]), realSize: num(f[2]), realPeak: num(f[3]), cached: num(f[4]) };
}

/** key=value fields of a `heap` line. */
function keyValues(f: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of f) {
    const i = kv.indexOf('=');
    m.set(kv.slice(0, i), kv.slice(i + 1));
  }
  return m;
}

/**
 * The message zend_mm_safe_error formats for an error `kind` (FORMAT.md lists the C format
 * strings; %ld / %lu of values below 2^63 print the same digits). `silent` errors carry the
 * text that was suppressed; in this data every error is a memory-limit error.
 */
export function expectedMessage(kind: string, limit: bigint, size: number | bigint): string {
  if (kind === 'limit' || kind === 'silent') {
    return `Allowed memory size of ${limit} bytes exhausted (tried to allocate ${size} bytes)`;
  }
  throw new Error(`no expected message for error kind '${kind}'`);
}

/** The BLK, ERR KIND or NOTLIVE part of an op line, and what follows it. */
function opRecord(f: string[], limit: bigint): Zend5OpRecord {
  const op = f[0];
  if (op === 'l') {
    return { op: 'l', bytes: count(f[1]), limit: BigInt(f[2]), heap: trailer(f.slice(3)) };
  }
  const id = f[1];
  if (op === 'f') {
    if (f[2] === 'NOTLIVE') return { op: 'f', id, error: 'notlive', heap: trailer(f.slice(3)) };
    const b = blk(f[2]);
    return { op: 'f', id, at: { segment: b.segment, offset: b.offset }, blockSize: b.size, heap: trailer(f.slice(3)) };
  }
  const size = count(f[2]);
  if (op === 'a') {
    if (f[3] === 'ERR') {
      return { op: 'a', id, size, error: f[4] as Zend5OpRecord['error'], message: expectedMessage(f[4], limit, size), heap: trailer(f.slice(5)) };
    }
    if (f[3] === 'NOTLIVE') return { op: 'a', id, size, error: 'notlive', heap: trailer(f.slice(4)) };
    const b = blk(f[3]);
    return { op: 'a', id, size, at: { segment: b.segment, offset: b.offset }, blockSize: b.size, heap: trailer(f.slice(4)) };
  }
  if (op === 'r') {
    if (f[3] === 'NOTLIVE') return { op: 'r', id, size, error: 'notlive', heap: trailer(f.slice(4)) };
    const from = blk(f[3]);
    const head = { op: 'r' as const, id, size, from: { segment: from.segment, offset: from.offset }, fromBlockSize: from.size };
    let rec: Zend5OpRecord;
    if (f[4] === 'ERR') {
      rec = { ...head, error: f[5] as Zend5OpRecord['error'], message: expectedMessage(f[5], limit, size), heap: trailer(f.slice(6)) };
    } else {
      const to = blk(f[4]);
      rec = { ...head, at: { segment: to.segment, offset: to.offset }, blockSize: to.size, heap: trailer(f.slice(5)) };
    }
    return rec;
  }
  throw new Error(`unknown op line '${f.join(' ')}'`);
}


/** Parses one `== dump` … `== end` block (the lines between the markers). */
function dump(lines: string[]): Omit<Zend5StateRecord, 'op'> {
  let heap: Zend5StateRecord['heap'] | undefined;
  let bitmaps: Zend5StateRecord['bitmaps'] | undefined;
  const segs: Zend5StateRecord['segments'] = [];
  const cache: Zend5StateRecord['cache'] = [];
  const free: Zend5StateRecord['free'] = [];
  const large: Zend5StateRecord['large'] = [];
  let rest: Zend5BlockRef[] | undefined;
  let declaredSegments = -1;
  for (const line of lines) {
    const f = line.split(' ');
    switch (f[0]) {
      case 'heap': {
        const kv = keyValues(f.slice(1));
        const r = kv.get('reserve') as string;
        heap = {
          size: num(kv.get('size') as string),
          peak: num(kv.get('peak') as string),
          realSize: num(kv.get('real_size') as string),
          realPeak: num(kv.get('real_peak') as string),
          cached: num(kv.get('cached') as string),
          limit: BigInt(kv.get('limit') as string),
          blockSize: num(kv.get('block_size') as string),
          overflow: num(kv.get('overflow') as string),
          reserve: r === 'none' ? null : place(r),
        };
        break;
      }
      case 'bitmap': {
        const kv = keyValues(f.slice(1));
        bitmaps = { free: kv.get('free') as string, large: kv.get('large') as string };
        break;
      }
      case 'segments':
        declaredSegments = num(f[1]);
        break;
      case 'segment':
        segs.push({ segment: num(f[1]), size: num(f[2]), blocks: [] });
        break;
      case 'block': {
        const seg = segs.find((s) => s.segment === num(f[1]));
        if (seg === undefined) throw new Error(`block of an unlisted segment: ${line}`);
        const b: Zend5DumpBlock = { offset: num(f[2]), size: num(f[3]), type: f[4] as Zend5DumpBlock['type'] };
        if (f[5] !== undefined) b.tag = f[5];
        seg.blocks.push(b);
        break;
      }
      case 'cache':
      case 'free': {
        const n = num(f[2]);
        const blocks = f.slice(3).map(blk);
        if (blocks.length !== n) throw new Error(`count mismatch in '${line}'`);
        (f[0] === 'cache' ? cache : free).push({ index: num(f[1]), blocks });
        break;
      }
      case 'large':
        large.push({ index: num(f[1]), path: f[2], blocks: f.slice(3).map((t) => blk(t.replace(/^\+/, ''))) });
        break;
      case 'rest': {
        rest = f.slice(2).map(blk);
        if (rest.length !== num(f[1])) throw new Error(`count mismatch in '${line}'`);
        break;
      }
      default:
        throw new Error(`unknown dump line '${line}'`);
    }
  }
  if (heap === undefined || bitmaps === undefined || rest === undefined || declaredSegments !== segs.length) {
    throw new Error('incomplete dump block');
  }
  return { heap, bitmaps, segments: segs, cache, free, large, rest };
}

/** Parses an expected/NAME.out file. */
export function parseExpected(text: string): ExpectedItem[] {
  const lines = text.split('\n');
  const items: ExpectedItem[] = [];
  let limit = 2n ** 62n; // FORMAT.md: the default heap->limit
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const f = line.split(' ');
    if (f[0] === 'init') {
      const r = blk(f[3]);
      items.push({ kind: 'init', line: i + 1, init: { blockSize: num(f[1]), storage: f[2], reserve: r, heap: trailer(f.slice(4)) } });
    } else if (line === '== dump') {
      const start = i;
      const body: string[] = [];
      while (lines[++i] !== '== end') {
        if (i >= lines.length) throw new Error(`unterminated dump at line ${start + 1}`);
        body.push(lines[i]);
      }
      items.push({ kind: 'dump', line: start + 1, state: dump(body) });
    } else {
      const record = opRecord(f, limit);
      if (record.op === 'l') limit = record.limit as bigint;
      items.push({ kind: 'op', line: i + 1, text: line, record });
    }
  }
  return items;
}

