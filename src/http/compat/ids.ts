/**
 * orchestrator's numeric ids (`MaintenanceId`, `AuditId`) for orc's string ids. orc's ids are
 * made by the writer (UUIDs, or decimal strings for locks taken through the API) so that
 * replicated writes stay idempotent; orchestrator's clients expect numbers. Pure.
 */
import { createHash } from 'node:crypto';

/**
 * A decimal id as its number; any other id as 52 bits of its SHA-1, a stable safe integer.
 * Two ids colliding is as likely as a 52-bit hash collision.
 */
export function compatNumericId(id: string): number {
  if (/^\d{1,15}$/.test(id)) return Number(id);
  return Number.parseInt(createHash('sha1').update(id).digest('hex').slice(0, 13), 16);
}
