import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from './backend.js';
import { SqliteBackend } from './backend.js';
import { backendContract } from './contract/index.js';
import type { SqlDriver } from './sql.js';
import { SqliteDriver } from './sqlite-driver.js';

let stores = 0;

// The backend contract on SQLite: every store is a fresh file in a directory of its own that
// does not exist yet, so opening also creates the directory.
backendContract({
  name: 'sqlite',
  async newStore() {
    const root = await mkdtemp(join(tmpdir(), 'orc-backend-'));
    const path = join(root, `store-${++stores}`, 'orc.db');
    const open: (Backend | SqlDriver)[] = [];
    return {
      async open(options) {
        const backend = await SqliteBackend.open({ ...options, path });
        open.push(backend);
        return backend;
      },
      driver() {
        const driver = SqliteDriver.open({ path });
        open.push(driver);
        return Promise.resolve(driver);
      },
      async dispose() {
        for (const o of open) await o.close();
        await rm(root, { recursive: true, force: true });
      },
    };
  },
});
