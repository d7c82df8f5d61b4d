import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseZmm } from '../../../../src/trace/zmm/parseZmm';
import { lowerZmm } from '../../../../src/trace/zmm/lowerZmm';
import { printZmm } from '../../../../src/trace/zmm/printZmm';
import { zmmToRaw } from '../../../../src/trace/zmm/zmmToRaw';
import { FILE } from './helpers';

describe('trace/zmm/parseZmm: properties', () => {
  it('never throws on arbitrary text, and every diagnostic points inside its line', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({
        unit: fc.constantFrom('a', 'e', 'm', 'l', 'o', 'c', '(', ')', ',', '=', '"', '\\', 'x', '#', '-', '0', '1', '8', '.', 'K', ' ', '\t', '\n', '\r', 'é', '\u00a0', '😀'),
        maxLength: 80,
      }),
      fc.array(fc.constantFrom('php 8.2', 'limit 1M', 'a = emalloc(1)', 'efree(a)', 'b = erealloc(a, 2)', 'p = pemalloc(1, 1)', 'pefree(p, 1)', 'efree(p)', 's = estrndup("ab", 3)', 'gc()'), { maxLength: 10 }).map((l) => l.join('\n')),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const r = parseZmm(text, FILE);
        const lines = text.split('\n');
        for (const d of r.diagnostics) {
          assert.equal(d.file, FILE);
          assert.ok(d.line >= 1 && d.line <= lines.length, `line ${d.line}`);
          const l = lines[d.line - 1];
          assert.ok(d.column !== undefined && d.column >= 1 && d.column <= l.length + 1, `column ${d.column} of ${JSON.stringify(l)}`);
        }
        for (const s of r.statements) {
          assert.ok(s.span.line >= 1 && s.span.line <= lines.length);
          assert.ok(s.span.column >= 1 && s.span.column <= s.span.endColumn);
        }
        // the rest of the pipeline never throws on what parseZmm gives either
        zmmToRaw(lowerZmm(r.statements), FILE);
        printZmm(r.statements);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives one invalid statement per syntax diagnostic, on the same line', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('e', 'f', 'r', '(', ')', '=', ' ', '1', 'a', '\n', '"', ','), maxLength: 60 }), (text) => {
        const r = parseZmm(text, FILE);
        for (const s of r.statements.filter((x) => x.kind === 'invalid')) {
          assert.ok(r.diagnostics.some((d) => d.line === s.span.line), `no diagnostic for invalid line ${s.span.line}`);
        }
      }),
    );
  });
});
