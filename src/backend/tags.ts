import type { InstanceKey } from '../topology/index.js';
import { BackendCode, BackendError } from './errors.js';
import { decodeKey } from './instance-codec.js';
import { str, type SqlDriver, type SqlValue } from './sql.js';

/** A name/value label on an instance (orchestrator's `tag`); value may be ''. */
export interface Tag {
  readonly name: string;
  readonly value: string;
}

/**
 * Instance tags: at most one value per (instance, name). Durable; keyed writes and deletes,
 * so replays change nothing.
 */
export class TagRepository {
  constructor(private readonly driver: SqlDriver) {}

  /** Sets `name` on `key` to `value`, replacing an earlier value. */
  async put(key: InstanceKey, tag: Tag): Promise<void> {
    if (tag.name === '') {
      throw new BackendError(BackendCode.BadInput, 'invalid tag: the name is empty');
    }
    const { sql, params } = this.driver.dialect.upsert({
      table: 'tags',
      columns: ['host', 'port', 'tag_name', 'tag_value'],
      key: ['host', 'port', 'tag_name'],
      rows: [[key.host, key.port, tag.name, tag.value]],
    });
    await this.driver.transaction((tx) => tx.run(sql, params), 'durable');
  }

  /** Removes tag `name` from `key`; false when it had none. */
  async remove(key: InstanceKey, name: string): Promise<boolean> {
    const where = 'host = ? AND port = ? AND tag_name = ?';
    return (await this.delete(where, [key.host, key.port, name])) > 0;
  }

  /** Removes tag `name` (with `value`, when given) from every instance; returns how many. */
  async removeEverywhere(name: string, value?: string): Promise<number> {
    const where = value === undefined ? 'tag_name = ?' : 'tag_name = ? AND tag_value = ?';
    return this.delete(where, value === undefined ? [name] : [name, value]);
  }

  /** The tags of `key`, by name. */
  async get(key: InstanceKey): Promise<Tag[]> {
    const rows = await this.driver.all(
      'SELECT tag_name, tag_value FROM tags WHERE host = ? AND port = ? ORDER BY tag_name',
      [key.host, key.port],
    );
    return rows.map((r) => ({ name: str(r['tag_name']), value: str(r['tag_value']) }));
  }

  /** The instances carrying tag `name` (with `value`, when given), in key order. */
  async find(name: string, value?: string): Promise<InstanceKey[]> {
    const where = value === undefined ? 'tag_name = ?' : 'tag_name = ? AND tag_value = ?';
    const rows = await this.driver.all(
      `SELECT host, port FROM tags WHERE ${where} ORDER BY host, port`,
      value === undefined ? [name] : [name, value],
    );
    return rows.map(decodeKey);
  }

  private async delete(where: string, params: SqlValue[]): Promise<number> {
    const sql = `DELETE FROM tags WHERE ${where}`;
    return (await this.driver.transaction((tx) => tx.run(sql, params), 'durable')).changes;
  }
}
