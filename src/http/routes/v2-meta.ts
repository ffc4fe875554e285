/**
 * The v2 API's own meta endpoints: `/api/v2/health`, `/api/v2/leader` and the OpenAPI document
 * of the v2 routes at `/api/v2/openapi.json`. None of them mutates.
 */
import { Type, type Static } from 'typebox';
import type { Leadership, NodeDescriptor } from '../../ha/leadership.js';
import type { OrcApp } from '../types.js';

const Mode = Type.Union([
  Type.Literal('single'),
  Type.Literal('shared-backend'),
  Type.Literal('raft'),
]);

const Node = Type.Object({ hostname: Type.String(), version: Type.String() });

/** Body of `GET /api/v2/health`, with 200 when healthy and 503 when not. */
export const V2Health = Type.Object(
  {
    healthy: Type.Boolean(),
    reason: Type.Optional(Type.String({ description: 'What is wrong; set when unhealthy.' })),
    mode: Mode,
    isLeader: Type.Boolean(),
    leaderUri: Type.Union([Type.String(), Type.Null()]),
    node: Node,
    availableNodes: Type.Array(Node),
    raft: Type.Optional(
      Type.Object({
        role: Type.Union([
          Type.Literal('leader'),
          Type.Literal('follower'),
          Type.Literal('candidate'),
          Type.Literal('shutdown'),
        ]),
        leaderAddress: Type.String(),
        leaderUri: Type.String(),
        advertise: Type.String(),
        healthyMembers: Type.Array(Type.String()),
      }),
    ),
  },
  { $id: 'V2Health' },
);
export type V2Health = Static<typeof V2Health>;

/** Body of `GET /api/v2/leader`. */
export const V2Leader = Type.Object(
  {
    isLeader: Type.Boolean({ description: 'Whether this node is the leader now.' }),
    leaderUri: Type.Union([Type.String(), Type.Null()], {
      description: "The leader's HTTP base URI, null when unknown.",
    }),
    mode: Mode,
  },
  { $id: 'V2Leader' },
);
export type V2Leader = Static<typeof V2Leader>;

/** Registers the v2 meta routes on the prefixed scope. */
export function registerV2MetaRoutes(app: OrcApp, options: { leadership: Leadership }): void {
  const { leadership } = options;

  app.get(
    '/api/v2/health',
    {
      config: { mutates: false },
      schema: {
        summary: "This node's health and leadership",
        tags: ['meta'],
        response: { 200: V2Health, 503: V2Health },
      },
    },
    async (_request, reply) => {
      const body = v2Health(leadership);
      return reply.code(body.healthy ? 200 : 503).send(body);
    },
  );

  app.get(
    '/api/v2/leader',
    {
      config: { mutates: false },
      schema: {
        summary: 'Whether this node leads, and where the leader is',
        tags: ['meta'],
        response: { 200: V2Leader },
      },
    },
    () => ({
      isLeader: leadership.isLeader(),
      leaderUri: leadership.leaderUri(),
      mode: leadership.mode,
    }),
  );

  app.get('/api/v2/openapi.json', { config: { mutates: false }, schema: { hide: true } }, () =>
    app.swagger(),
  );
}

/** The v2 health body for the leadership's current report. */
export function v2Health(leadership: Leadership): V2Health {
  const health = leadership.health();
  const { self, availableNodes, raft } = health.details;
  return {
    healthy: health.healthy,
    ...(health.healthy ? {} : { reason: health.reason ?? 'unhealthy' }),
    mode: leadership.mode,
    isLeader: leadership.isLeader(),
    leaderUri: leadership.leaderUri(),
    node: node(self),
    availableNodes: availableNodes.map(node),
    ...(raft === undefined ? {} : { raft: { ...raft, healthyMembers: [...raft.healthyMembers] } }),
  };
}

function node(descriptor: NodeDescriptor): Static<typeof Node> {
  return { hostname: descriptor.hostname, version: descriptor.version };
}
