import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp } from './testing.js';
import { registerUiPlaceholder } from './routes/ui-placeholder.js';

void test('ui placeholder: / says the UI is coming and links to the API', async () => {
  const { app } = testApp({ registerRoutes: [registerUiPlaceholder] });
  try {
    const res = await app.inject('/');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /web UI is coming/);
    assert.match(res.body, /href="api\/v2\/openapi\.json"/);
  } finally {
    await app.close();
  }
});
