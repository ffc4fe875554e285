import { OrcError } from '../common/errors.js';

/**
 * The stable error codes of orc's own store. Callers (the service, the HTTP layer, the HA
 * strategies) match on these; messages say what failed and quote the values.
 */
export const BackendCode = {
  /** The store was migrated by a newer orc than this one; nothing was changed. */
  SchemaTooNew: 'BACKEND_SCHEMA_TOO_NEW',
  /** The store's schema is older than this orc needs and migrating was not allowed. */
  SchemaTooOld: 'BACKEND_SCHEMA_TOO_OLD',
  /** A migration step failed; the message names the migration and the step. */
  MigrationFailed: 'BACKEND_MIGRATION_FAILED',
  /** Opening the store failed: file not creatable, server unreachable, database missing. */
  OpenFailed: 'BACKEND_OPEN_FAILED',
  /** A statement failed; `cause` holds the driver's error. */
  QueryFailed: 'BACKEND_QUERY_FAILED',
  /** The store was used after `close()`. */
  Closed: 'BACKEND_CLOSED',
  /** Options that cannot work: a batch too large, a negative duration, an empty name. */
  BadInput: 'BACKEND_BAD_INPUT',
  /** `beginMaintenance` on an instance whose lock someone else holds. */
  MaintenanceHeld: 'MAINTENANCE_HELD',
} as const;

export type BackendCode = (typeof BackendCode)[keyof typeof BackendCode];

/** An OrcError whose code is one of the backend's. */
export class BackendError extends OrcError {
  declare readonly code: BackendCode;

  constructor(
    code: BackendCode,
    message: string,
    options: { cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
  }
}

/** Throws BACKEND_BAD_INPUT unless `value` is a finite number ≥ 0. */
export function assertNonNegative(what: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new BackendError(BackendCode.BadInput, `invalid ${what} ${value}: expected a number ≥ 0`);
  }
}

/** Wraps a driver error as BACKEND_QUERY_FAILED, quoting the start of the statement. */
export function queryFailed(err: unknown, sql: string): BackendError {
  if (err instanceof BackendError) return err;
  const text = sql.replace(/\s+/g, ' ').slice(0, 120);
  return new BackendError(
    BackendCode.QueryFailed,
    `backend statement failed: ${err instanceof Error ? err.message : String(err)} (in "${text}")`,
    { cause: err },
  );
}
