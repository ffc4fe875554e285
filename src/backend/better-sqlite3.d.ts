// The part of better-sqlite3 12.x that src/backend uses. The package ships no types and orc
// adds no @types dependency; these signatures follow its documentation (docs/api.md).
declare module 'better-sqlite3' {
  export interface RunResult {
    changes: number;
    lastInsertRowid: number | bigint;
  }

  export interface Statement {
    readonly reader: boolean;
    run(...params: unknown[]): RunResult;
    all(...params: unknown[]): unknown[];
  }

  export interface Options {
    readonly?: boolean;
    fileMustExist?: boolean;
    /** Milliseconds to wait on a locked database before SQLITE_BUSY. */
    timeout?: number;
  }

  export interface Database {
    readonly open: boolean;
    readonly inTransaction: boolean;
    prepare(sql: string): Statement;
    exec(sql: string): Database;
    pragma(source: string, options?: { simple?: boolean }): unknown;
    close(): Database;
  }

  const Database: new (filename: string, options?: Options) => Database;
  export default Database;
}
