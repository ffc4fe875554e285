/**
 * Renders one replication server's my.cnf (mariadb-sandbox.md §2, measured there). Pure: the
 * caller decides the paths and ports. Every server starts `read_only=ON`, including the primary,
 * which `up` opens with SET GLOBAL: a primary that crashes and restarts must not come back
 * writable.
 */
export interface ServerConfig {
  readonly dir: string;
  readonly socketPath: string;
  readonly privatePort: number;
  readonly publicPort: number;
  readonly serverId: number;
  /** Enables the semi-sync replica side (the primary's side is enabled once replicas are in). */
  readonly semiSync: boolean;
  /** Seconds without a byte from the source before the replica's IO thread gives up a link. */
  readonly slaveNetTimeout: number;
}

export function renderMyCnf(config: ServerConfig): string {
  const lines = [
    '# Written by orc sandbox. Loopback only; never use these settings in production.',
    '[mariadbd]',
    // mariadbd refuses to run as root unless told to, and the sandbox usually runs as root.
    'user=root',
    'bind-address=127.0.0.1',
    `port=${config.privatePort}`,
    `datadir=${config.dir}/data`,
    `socket=${config.socketPath}`,
    `pid-file=${config.dir}/mysqld.pid`,
    `log-error=${config.dir}/error.log`,
    'skip-name-resolve',
    `server_id=${config.serverId}`,
    // What everyone connects to is the proxy in front of this server, not the private port.
    'report_host=127.0.0.1',
    `report_port=${config.publicPort}`,
    'log_bin=mysql-bin',
    'relay_log=relay-bin',
    'log_slave_updates=ON',
    'gtid_strict_mode=ON',
    'binlog_format=ROW',
    'read_only=ON',
    `slave_net_timeout=${config.slaveNetTimeout}`,
    ...(config.semiSync ? ['rpl_semi_sync_slave_enabled=ON'] : []),
    // A killed mariadbd loses nothing with 2 (the OS still holds the log); only an OS crash would.
    'innodb_flush_log_at_trx_commit=2',
    ...smallFootprint,
  ];
  return lines.join('\n') + '\n';
}

/** Measured: ~36 MiB PSS per idle server with these. */
const smallFootprint = [
  'innodb_buffer_pool_size=16M',
  'innodb_buffer_pool_size_max=32M',
  'innodb_log_file_size=16M',
  'innodb_log_buffer_size=2M',
  'key_buffer_size=1M',
  'aria_pagecache_buffer_size=1M',
  'query_cache_size=0',
  'query_cache_type=0',
  'performance_schema=OFF',
  'max_connections=80',
  'table_open_cache=200',
  'table_definition_cache=400',
  'thread_cache_size=4',
  'tmp_table_size=4M',
  'max_heap_table_size=4M',
  'sort_buffer_size=256K',
  'innodb_buffer_pool_dump_at_shutdown=OFF',
  'innodb_buffer_pool_load_at_startup=OFF',
];
