import * as assert from 'node:assert/strict';
import { SUPPORTED_PHP, USAGE, UsageError, parseArgs } from '../../../src/cli/args';

/** The UsageError message parseArgs throws for `argv`. */
function usageError(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (e) {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${String(e)}`);
    return e.message;
  }
  assert.fail(`expected a UsageError for ${JSON.stringify(argv)}`);
}

describe('cli/args', () => {
  describe('parseArgs', () => {
    it('defaults to PHP 8.2 and the text format', () => {
      assert.deepEqual(parseArgs(['replay', 'x.trace']), { command: 'replay', php: '8.2', format: 'text', file: 'x.trace' });
    });

    it('takes --php with its value as the next argument', () => {
      assert.deepEqual(parseArgs(['replay', '--php', '8.2', 'x.trace']), { command: 'replay', php: '8.2', format: 'text', file: 'x.trace', phpExplicit: true });
    });

    it('takes --php=VERSION with a patch level and keeps only major.minor', () => {
      assert.deepEqual(parseArgs(['replay', '--php=8.2.32', 'x.trace']), { command: 'replay', php: '8.2', format: 'text', file: 'x.trace', phpExplicit: true });
    });

    it('accepts options after the file', () => {
      assert.deepEqual(parseArgs(['replay', 'x.trace', '--format', 'jsonl', '--php=8.2']), {
        command: 'replay',
        php: '8.2',
        format: 'jsonl',
        file: 'x.trace',
        phpExplicit: true,
      });
    });

    it('refuses an unsupported PHP version and lists the supported ones', () => {
      for (const v of ['8.3', '7.3', '8.0.0', '8', '8.2.x', 'latest', '']) {
        const message = usageError(['replay', `--php=${v}`, 'x.trace']);
        assert.equal(message, `unsupported PHP version '${v}' (supported: ${SUPPORTED_PHP.join(', ')})`);
        assert.ok(message.includes('8.2'));
      }
      assert.equal(usageError(['replay', '--php', '9.0', 'x.trace']), "unsupported PHP version '9.0' (supported: 5.2, 5.3, 5.4, 5.5, 5.6, 7.0, 7.1, 7.2, 7.4, 8.1, 8.2, 8.4)");
    });

    it('accepts every format, in both spellings', () => {
      for (const format of ['text', 'jsonl', 'summary'] as const) {
        assert.equal((parseArgs(['replay', '--format', format, 'f']) as { format: string }).format, format);
        assert.equal((parseArgs(['replay', `--format=${format}`, 'f']) as { format: string }).format, format);
      }
    });

    it('refuses an unknown format', () => {
      assert.equal(usageError(['replay', '--format', 'json', 'f']), "unknown format 'json' (expected text, jsonl or summary)");
      assert.equal(usageError(['replay', '--format=', 'f']), "unknown format '' (expected text, jsonl or summary)");
    });

    it('refuses an option whose value is missing', () => {
      assert.equal(usageError(['replay', 'f', '--php']), '--php needs a value');
      assert.equal(usageError(['replay', 'f', '--format']), '--format needs a value');
    });

    it('refuses a command line without a trace file', () => {
      assert.equal(usageError(['replay']), 'missing trace FILE');
      assert.equal(usageError(['replay', '--format', 'jsonl']), 'missing trace FILE');
    });

    it('refuses a second trace file', () => {
      assert.equal(usageError(['replay', 'a.trace', 'b.trace']), "unexpected argument 'b.trace' (one trace file only)");
    });

    it('refuses unknown options', () => {
      assert.equal(usageError(['replay', '--verbose', 'f']), "unknown option '--verbose'");
      assert.equal(usageError(['replay', 'f', '-x']), "unknown option '-x'");
      assert.equal(usageError(['replay', '--phpx=8.2', 'f']), "unknown option '--phpx=8.2'");
    });

    it('refuses an unknown command', () => {
      assert.equal(usageError(['play', 'f']), "unknown command 'play' (expected: replay or bench)");
    });

    it('asks for help with no arguments, help, --help or -h anywhere', () => {
      for (const argv of [[], ['help'], ['--help'], ['-h'], ['replay', '--help'], ['replay', 'f', '-h'], ['play', '--help']]) {
        assert.deepEqual(parseArgs(argv), { command: 'help' }, JSON.stringify(argv));
      }
    });
  });

  describe('USAGE', () => {
    it('names the command, both options, every format and the supported versions', () => {
      for (const word of ['zend-mm replay', '--php', '--format', 'text', 'jsonl', 'summary', ...SUPPORTED_PHP]) {
        assert.ok(USAGE.includes(word), word);
      }
    });
  });
});

describe('cli/args (PHP 5 options)', () => {
  it('takes --seg-size for a PHP 5 version', () => {
    const cmd = parseArgs(['replay', '--php', '5.3', '--seg-size=32768', 'x.trace']);
    assert.deepEqual(cmd, { command: 'replay', php: '5.3', format: 'text', file: 'x.trace', phpExplicit: true, segSize: 32768 });
  });

  it('refuses --seg-size for PHP 7/8 and a non-number', () => {
    assert.throws(() => parseArgs(['replay', '--seg-size', '32768', 'x.trace']), /PHP 5 segment heap only/);
    assert.throws(() => parseArgs(['replay', '--php', '5.3', '--seg-size', '32k', 'x.trace']), /number of bytes/);
  });
});
