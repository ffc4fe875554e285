import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MysqlBackend, type Backend } from '../../src/backend/backend.js';
import { backendContract, type StoreUnderTest } from '../../src/backend/contract/index.js';
import { BackendCode } from '../../src/backend/errors.js';
import { MIGRATIONS } from '../../src/backend/migrations.js';
import { MysqlDriver, type MysqlDriverOptions } from '../../src/backend/mysql-driver.js';
import type { SqlDriver } from '../../src/backend/sql.js';
import { ManualClock } from '../../src/common/clock.js';
import { reserveBasePort } from '../../src/sandbox/free-ports.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { instanceKey } from '../../src/topology/index.js';

// The backend contract on a real MariaDB: one sandbox server (no replicas) on loopback,
// reached as root@127.0.0.1 without a password through its public port. Every test gets a
// database of its own, created by the backend itself and dropped afterwards.

const ports = await reserveBasePort();
const dir = await mkdtemp(join(tmpdir(), 'orc-backend-mysql-'));
const sandbox = await Sandbox.up({
  dir: join(dir, 'sb'),
  basePort: ports.basePort,
  replicas: 0,
}).catch(async (err: unknown) => {
  await ports.release();
  await rm(dir, { recursive: true, force: true });
  throw err;
});
after(async () => {
  await sandbox.down({ purge: true });
  await ports.release();
  await rm(dir, { recursive: true, force: true });
});

const server = sandbox.instance('s1');
let stores = 0;

/** A store in a database of its own, named by a counter; dispose drops it. */
function mysqlStore(): StoreUnderTest {
  const connection: MysqlDriverOptions = {
    host: '127.0.0.1',
    port: server.port,
    user: 'root',
    password: '',
    database: `orc_contract_${++stores}`,
    connectionLimit: 4,
  };
  const open: (Backend | SqlDriver)[] = [];
  return {
    async open(options) {
      const backend = await MysqlBackend.open({ ...options, ...connection });
      open.push(backend);
      return backend;
    },
    async driver() {
      const driver = await MysqlDriver.open(connection);
      open.push(driver);
      return driver;
    },
    async dispose() {
      for (const o of open) await o.close();
      const root = await sandbox.connect('s1');
      try {
        await root.query(`DROP DATABASE IF EXISTS \`${connection.database}\``);
      } finally {
        await root.end();
      }
    },
  };
}

backendContract({ name: 'mysql', newStore: () => Promise.resolve(mysqlStore()) });

void test('backend (mysql): a value too long for its column fails instead of being cut', async (t) => {
  const store = mysqlStore();
  t.after(() => store.dispose());
  const backend = await store.open({ clock: new ManualClock() });
  const key = instanceKey('db1', 3306);
  const tag = { name: 'x'.repeat(300), value: '' };
  await assert.rejects(backend.tags.put(key, tag), { code: BackendCode.QueryFailed });
  assert.deepEqual(await backend.tags.get(key), []);
});

void test('backend (mysql): a user without CREATE uses an existing database, else fails', async () => {
  const root = await sandbox.connect('s1');
  await root.query('CREATE DATABASE orc_limited');
  await root.query("CREATE USER 'orc_limited'@'127.0.0.1' IDENTIFIED BY 'secret'");
  await root.query("GRANT ALL ON orc_limited.* TO 'orc_limited'@'127.0.0.1'");
  const limited = { host: '127.0.0.1', port: server.port, user: 'orc_limited', password: 'secret' };
  const clock = new ManualClock();
  try {
    const backend = await MysqlBackend.open({ ...limited, database: 'orc_limited', clock });
    assert.equal(await backend.schemaVersion(), MIGRATIONS.length);
    await backend.close();
    await assert.rejects(MysqlBackend.open({ ...limited, database: 'orc_not_there', clock }), {
      code: BackendCode.OpenFailed,
    });
  } finally {
    await root.query("DROP USER 'orc_limited'@'127.0.0.1'");
    await root.query('DROP DATABASE orc_limited');
    await root.end();
  }
});
