import * as assert from 'assert';
import { noZendAllocMessage, zendAllocCandidates } from '../../../src/webview/zendAllocLocation';

describe('zendAllocCandidates', () => {
  it('reads the setting as a checkout, its Zend folder or the file', () => {
    assert.deepStrictEqual(zendAllocCandidates('/src/php', ['/ws']), ['/src/php/Zend/zend_alloc.c', '/src/php/zend_alloc.c']);
    assert.deepStrictEqual(zendAllocCandidates('/src/php/Zend/zend_alloc.c', []), ['/src/php/Zend/zend_alloc.c']);
    assert.deepStrictEqual(zendAllocCandidates('php-src', ['/ws']), ['/ws/php-src/Zend/zend_alloc.c', '/ws/php-src/zend_alloc.c']);
  });
  it('looks in the workspace folders when the setting is empty', () => {
    assert.deepStrictEqual(zendAllocCandidates(' ', ['/a', '/b']), ['/a/Zend/zend_alloc.c', '/a/zend_alloc.c', '/b/Zend/zend_alloc.c', '/b/zend_alloc.c']);
  });
  it('says how to configure zendMm.phpSrc', () => {
    assert.match(noZendAllocMessage('', []), /No zend_alloc.c in the workspace folders\. Set "zendMm.phpSrc"/);
    assert.match(noZendAllocMessage('/x', ['/x/Zend/zend_alloc.c']), /tried \/x\/Zend\/zend_alloc.c/);
  });
});
