/**
 * orchestrator's health and leadership endpoints (compatibility layer, none of them mutates):
 * `/api/health` and the status endpoint, `/api/lb-check`, `/api/_ping`, `/api/leader-check`
 * and `/api/raft-health`. Bodies and status codes are orchestrator's, byte for byte where the
 * value allows; proxies and orchestrator-client poll these.
 */
import type { FastifyReply } from 'fastify';
import type { Leadership, LeadershipHealth, NodeDescriptor } from '../../ha/leadership.js';
import { respondCompat, sendCompatJson } from '../compat-reply.js';
import type { OrcApp } from '../types.js';

/** orchestrator's default `StatusEndpoint`. */
export const DEFAULT_STATUS_ENDPOINT = '/api/status';

/** Collaborators of the health routes. */
export interface HealthRouteOptions {
  leadership: Leadership;
}

/** orchestrator's `process.NodeHealth` as JSON. */
export interface CompatNodeHealth {
  Hostname: string;
  Token: string;
  AppVersion: string;
  FirstSeenActive: string;
  LastSeenActive: string;
  ExtraInfo: string;
  Command: string;
  DBBackend: string;
  LastReported: string;
}

/** orchestrator's `process.HealthStatus` as JSON (go/process/health.go). */
export interface CompatHealthStatus {
  Healthy: boolean;
  Hostname: string;
  Token: string;
  IsActiveNode: boolean;
  ActiveNode: CompatNodeHealth;
  /** Go renders its `error` as `{}` or null; orc sends the reason text, or null when healthy. */
  Error: string | null;
  AvailableNodes: CompatNodeHealth[];
  RaftLeader: string;
  IsRaftLeader: boolean;
  RaftLeaderURI: string;
  RaftAdvertise: string;
  RaftHealthyMembers: string[] | null;
}

/** Go's zero `time.Time` as encoding/json renders it. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Registers the health routes on the prefixed scope. The status endpoint is registered here
 * only when it is orchestrator's default; a custom one goes through `registerStatusEndpoint`.
 */
export function registerHealthRoutes(app: OrcApp, options: HealthRouteOptions): void {
  const meta = { config: { mutates: false } };
  const { leadership } = options;

  app.get('/api/health', meta, async (_request, reply) => sendHealth(reply, options));
  app.get('/api/lb-check', meta, async (_request, reply) => sendCompatJson(reply, 200, 'OK'));
  app.get('/api/_ping', meta, async (_request, reply) => sendCompatJson(reply, 200, 'OK'));

  app.get('/api/leader-check', meta, async (_request, reply) => {
    if (leadership.isLeader()) return sendCompatJson(reply, 200, 'OK');
    return sendCompatJson(reply, 404, 'Not leader');
  });
  app.get<{ Params: { errorStatusCode: string } }>(
    '/api/leader-check/:errorStatusCode',
    meta,
    async (request, reply) => {
      if (leadership.isLeader()) return sendCompatJson(reply, 200, 'OK');
      return sendCompatJson(reply, notLeaderStatus(request.params.errorStatusCode), 'Not leader');
    },
  );

  app.get('/api/raft-health', meta, async (_request, reply) => {
    const raft = leadership.mode === 'raft' ? leadership.health().details.raft : undefined;
    if (raft === undefined) {
      return respondCompat(reply, 'ERROR', 'raft-state: not running with raft setup');
    }
    if (raft.role !== 'leader' && raft.role !== 'follower') {
      return respondCompat(reply, 'ERROR', 'unhealthy');
    }
    return sendCompatJson(reply, 200, 'healthy');
  });
}

/** Registers the status check at `path` on whatever scope it is given. */
export function registerStatusEndpoint(
  app: OrcApp,
  path: string,
  options: HealthRouteOptions,
): void {
  app.get(path, { config: { mutates: false } }, async (_request, reply) =>
    sendHealth(reply, options),
  );
}

/**
 * The status a non-leader answers `/api/leader-check/:errorStatusCode` with. orchestrator falls
 * back to 404 for anything that is not a non-negative integer; orc also falls back for numbers
 * outside 100–599, which orchestrator could not send either (Go refuses them).
 */
export function notLeaderStatus(raw: string): number {
  if (!/^\+?\d{1,4}$/.test(raw)) return 404;
  const code = Number.parseInt(raw, 10);
  return code >= 100 && code <= 599 ? code : 404;
}

/** Builds orchestrator's `HealthStatus` from the leadership's report. */
export function compatHealthStatus(
  leadership: Leadership,
  health: LeadershipHealth,
): CompatHealthStatus {
  const { self, leader, availableNodes, raft } = health.details;
  const isLeader = leadership.isLeader();
  return {
    Healthy: health.healthy,
    Hostname: self.hostname,
    Token: self.token,
    IsActiveNode: isLeader,
    ActiveNode: compatNodeHealth(leader),
    Error: health.healthy ? null : (health.reason ?? 'unhealthy'),
    AvailableNodes: availableNodes.map((node) => compatNodeHealth(node)),
    RaftLeader: raft?.leaderAddress ?? '',
    IsRaftLeader: raft !== undefined && isLeader,
    RaftLeaderURI: raft?.leaderUri ?? '',
    RaftAdvertise: raft?.advertise ?? '',
    RaftHealthyMembers: raft?.healthyMembers ?? null,
  };
}

function sendHealth(reply: FastifyReply, options: HealthRouteOptions): FastifyReply {
  const health = options.leadership.health();
  const details = compatHealthStatus(options.leadership, health);
  if (!health.healthy) {
    const reason = health.reason ?? 'unhealthy';
    return respondCompat(reply, 'ERROR', `Application node is unhealthy ${reason}`, details);
  }
  return respondCompat(reply, 'OK', 'Application node is healthy', details);
}

function compatNodeHealth(node: NodeDescriptor | null): CompatNodeHealth {
  return {
    Hostname: node?.hostname ?? '',
    Token: node?.token ?? '',
    AppVersion: node?.version ?? '',
    FirstSeenActive: sqlDateTime(node?.firstSeenActiveMs),
    LastSeenActive: sqlDateTime(node?.lastSeenActiveMs),
    ExtraInfo: '',
    Command: '',
    DBBackend: node?.backend ?? '',
    LastReported:
      node?.lastSeenActiveMs === undefined
        ? GO_ZERO_TIME
        : new Date(node.lastSeenActiveMs).toISOString(),
  };
}

/** orchestrator reads these columns back as MySQL DATETIME text (`2024-05-01 10:00:00`), UTC. */
function sqlDateTime(ms: number | undefined): string {
  if (ms === undefined) return '';
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
