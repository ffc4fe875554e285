/**
 * What a fake server says about itself: the facts tests and the fleet set, from which the
 * answers to every statement are computed. Everything but `serverId` has a default.
 */

/** One replication connection (MySQL channel, MariaDB named connection). */
export interface FakeChannel {
  /** '' for the default connection. */
  readonly name?: string;
  readonly sourceHost: string;
  readonly sourcePort: number;
  /** 0 until the IO thread has connected once. */
  readonly sourceServerId?: number;
  /** MySQL only. */
  readonly sourceUuid?: string;
  readonly io?: 'Yes' | 'Connecting' | 'No';
  readonly sql?: 'Yes' | 'No';
  readonly ioState?: string;
  readonly sqlState?: string;
  readonly ioError?: { readonly errno: number; readonly message: string };
  readonly sqlError?: { readonly errno: number; readonly message: string };
  /** NULL when the SQL thread is stopped. */
  readonly secondsBehind?: number | null;
  readonly sqlDelay?: number;
  /** MySQL `Auto_Position`. */
  readonly autoPosition?: boolean;
  /** MariaDB `Using_Gtid`. */
  readonly usingGtid?: 'No' | 'Current_Pos' | 'Slave_Pos';
  /** MariaDB `Gtid_IO_Pos`. */
  readonly gtidIoPos?: string;
  /** MySQL `Retrieved_Gtid_Set`. */
  readonly retrievedGtidSet?: string;
  readonly sourceLogFile?: string;
  readonly readPos?: number;
  readonly execPos?: number;
  readonly relayLogFile?: string;
  readonly relayLogPos?: number;
  readonly doDbs?: string;
  readonly ignoreDbs?: string;
  readonly doDomainIds?: string;
  readonly ignoreDomainIds?: string;
}

export interface FakeReplicaHost {
  readonly serverId: number;
  readonly host: string;
  readonly port: number;
  readonly uuid?: string;
}

export interface FakeFacts {
  readonly serverId: number;
  /** MySQL flavors. */
  readonly serverUuid?: string;
  readonly hostname?: string;
  readonly reportHost?: string;
  readonly reportPort?: number;
  /** Overrides the fixture's `@@version`. */
  readonly version?: string;
  readonly readOnly?: boolean;
  readonly superReadOnly?: boolean;
  readonly logBin?: boolean;
  readonly logReplicaUpdates?: boolean;
  readonly binlogFormat?: string;
  readonly binlogFile?: string;
  readonly binlogPos?: number;
  /** MySQL GTID. */
  readonly gtidMode?: string;
  readonly gtidExecuted?: string;
  readonly gtidPurged?: string;
  /** MariaDB GTID. */
  readonly gtidCurrentPos?: string;
  readonly gtidBinlogPos?: string;
  readonly gtidSlavePos?: string;
  readonly gtidBinlogState?: string;
  readonly gtidDomainId?: number;
  readonly gtidStrictMode?: boolean;
  readonly channels?: readonly FakeChannel[];
  /** Registered replicas (SHOW SLAVE HOSTS / SHOW REPLICAS). */
  readonly replicas?: readonly FakeReplicaHost[];
  /** Client hosts (`ip:port`) of binlog dump threads in the processlist. */
  readonly dumpThreads?: readonly string[];
  readonly uptime?: number;
  /** `rpl_semi_sync%` variables and `Rpl_semi_sync%` status; none when undefined. */
  readonly semiSync?: {
    readonly variables: Readonly<Record<string, string>>;
    readonly status: Readonly<Record<string, string>>;
  };
  /** Answers to other statements (a lag query, Detect*Query): text → single value. */
  readonly answers?: Readonly<Record<string, string | number | null>>;
}

/** MariaDB 10.11's built-in semi-sync, off (as recorded on a sandbox primary). */
export const MARIADB_SEMI_SYNC_OFF: NonNullable<FakeFacts['semiSync']> = {
  variables: {
    rpl_semi_sync_master_enabled: 'OFF',
    rpl_semi_sync_master_timeout: '10000',
    rpl_semi_sync_master_trace_level: '32',
    rpl_semi_sync_master_wait_no_slave: 'ON',
    rpl_semi_sync_master_wait_point: 'AFTER_COMMIT',
    rpl_semi_sync_slave_delay_master: 'OFF',
    rpl_semi_sync_slave_enabled: 'OFF',
    rpl_semi_sync_slave_kill_conn_timeout: '5',
    rpl_semi_sync_slave_trace_level: '32',
  },
  status: {
    Rpl_semi_sync_master_clients: '0',
    Rpl_semi_sync_master_status: 'OFF',
    Rpl_semi_sync_master_yes_tx: '0',
    Rpl_semi_sync_slave_status: 'OFF',
  },
};
