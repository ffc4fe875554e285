import type { OrcApp } from '../types.js';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>orc</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em}
code{background:#f3f3f3;padding:0 .2em}</style></head>
<body>
<h1>orc</h1>
<p>The web UI is coming. Until it lands, orc is used through its API and its command line:</p>
<ul>
<li><a href="api/clusters-info">api/clusters-info</a> — the clusters orc knows
  (orchestrator-compatible API)</li>
<li><a href="api/all-instances">api/all-instances</a> — every instance</li>
<li><a href="api/v2/openapi.json">api/v2/openapi.json</a> — the v2 API, described by OpenAPI</li>
<li><a href="metrics">metrics</a> — Prometheus metrics</li>
</ul>
<p>From a shell: <code>ORC_API=&lt;this address&gt; npx orc clusters</code>, then
<code>npx orc topology -i host:port</code>.</p>
</body>
</html>
`;

/**
 * Serves a plain page at `/` (and orchestrator's `/web/clusters`) that says the web UI is
 * coming and links to the API. Read-only; replaced by the UI when it lands.
 */
export function registerUiPlaceholder(app: OrcApp): void {
  for (const path of ['/', '/web', '/web/clusters']) {
    app.get(path, { config: { mutates: false } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(PAGE),
    );
  }
}
