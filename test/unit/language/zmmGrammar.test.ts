import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { ZMM_LANGUAGE_ID } from '../../../src/ids';
import { ZMM_FUNCTIONS, ZMM_PHP_VERSIONS } from '../../../src/trace/zmm';
import { parseZmmLine } from '../../../src/trace/zmm/parseZmmLine';
import { repoFile } from './realSources';

interface Rule {
  match?: string;
  begin?: string;
  name?: string;
  captures?: Record<string, { name: string }>;
  beginCaptures?: Record<string, { name: string }>;
  patterns?: Rule[];
}

const readJson = (...parts: string[]): unknown => JSON.parse(fs.readFileSync(repoFile(...parts), 'utf8'));

describe('media/syntaxes/zmm.tmLanguage.json', () => {
  const grammar = readJson('media', 'syntaxes', 'zmm.tmLanguage.json') as { scopeName: string; repository: Record<string, Rule> };
  const rx = (s: string): RegExp => new RegExp(s);

  it('is valid JSON with the source.zmm scope and compiling regexes', () => {
    assert.equal(grammar.scopeName, 'source.zmm');
    const walk = (r: Rule): void => {
      if (r.match !== undefined) rx(r.match);
      if (r.begin !== undefined) rx(r.begin);
      r.patterns?.forEach(walk);
    };
    Object.values(grammar.repository).forEach(walk);
  });

  it('scopes every callable function as an allocator function', () => {
    const call = rx(grammar.repository.call.begin!);
    assert.equal(grammar.repository.call.beginCaptures!['1'].name, 'support.function.allocator.zmm');
    for (const name of ZMM_FUNCTIONS.keys()) {
      const m = call.exec(`x = ${name}(1)`);
      assert.ok(m !== null && m[1] === name, name);
    }
    assert.equal(call.exec('x = emalloc_x(1)'), null);
  });

  it('scopes the directives, comments, numbers, strings and flags', () => {
    const [php, limit] = grammar.repository.directive.patterns!;
    for (const v of ZMM_PHP_VERSIONS) assert.equal(rx(php.match!).exec(`php ${v}`)?.[2], v);
    assert.equal(rx(limit.match!).exec('limit 128M')?.[2], '128M');
    assert.equal(rx(limit.match!).exec('limit -1')?.[2], '-1');
    assert.equal(rx(grammar.repository.comment.match!).exec('a = emalloc(1) # note')?.[0], '# note');
    assert.equal(rx(grammar.repository.number.match!).exec('(0x18,')?.[0], '0x18');
    assert.equal(rx(grammar.repository.flag.match!).exec('pefree(a, true)')?.[0], 'true');
    assert.equal(rx(grammar.repository.assignment.match!).exec('  buf = emalloc(1)')?.[1], 'buf');
  });
});

describe('.zmm language contribution', () => {
  const pkg = readJson('package.json') as { activationEvents: string[]; contributes: { languages: { id: string; extensions: string[]; configuration: string; icon: { light: string; dark: string } }[]; grammars: { language: string; scopeName: string; path: string }[]; snippets: { language: string; path: string }[] } };

  it('declares the zmm language with its grammar, configuration, icon and snippets', () => {
    const lang = pkg.contributes.languages.find((l) => l.id === ZMM_LANGUAGE_ID)!;
    assert.deepEqual(lang.extensions, ['.zmm']);
    for (const f of [lang.configuration, lang.icon.light, lang.icon.dark]) assert.ok(fs.existsSync(repoFile(f)), f);
    const g = pkg.contributes.grammars.find((x) => x.language === ZMM_LANGUAGE_ID)!;
    assert.equal(g.scopeName, 'source.zmm');
    assert.ok(fs.existsSync(repoFile(g.path)));
    for (const e of ['onLanguage:c', 'onLanguage:cpp', 'onLanguage:zmm']) assert.ok(pkg.activationEvents.includes(e), e);
  });

  it('toggles # comments', () => {
    const conf = readJson('media', 'zmm-language-configuration.json') as { comments: { lineComment: string } };
    assert.equal(conf.comments.lineComment, '#');
  });

  it('has snippets whose every expansion is a valid line', () => {
    const s = pkg.contributes.snippets.find((x) => x.language === ZMM_LANGUAGE_ID)!;
    const snippets = readJson(s.path) as Record<string, { prefix: string; body: string[] }>;
    assert.ok(Object.keys(snippets).length >= ZMM_FUNCTIONS.size);
    for (const fn of ZMM_FUNCTIONS.keys()) assert.ok(Object.values(snippets).some((x) => x.prefix === fn), `a snippet for ${fn}`);
    for (const [name, snip] of Object.entries(snippets)) {
      snip.body.forEach((line, i) => {
        const text = line.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
        const r = parseZmmLine(text, i + 1, 'snippet.zmm');
        assert.equal(r.diagnostic, undefined, `${name}: '${text}' ${r.diagnostic?.message ?? ''}`);
      });
    }
  });
});
