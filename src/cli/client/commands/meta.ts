/**
 * Commands about the API itself: which node answers, raw calls, leadership and raft health.
 */
import { details, obj, str } from '../format.js';
import { describeProbe, interpret } from '../http-client.js';
import { answerRaw, detailsRaw } from './renderers.js';
import type { ClientCommand } from './types.js';

const section = 'Meta';

export const metaCommands: readonly ClientCommand[] = [
  {
    name: 'which-api',
    section,
    summary: 'print the API URL commands go to (the leader, with several URLs)',
    calls: 'leader-check, then routed-leader-check, when several URLs are given',
    run: async ({ api }) => {
      const url = await api.leader();
      return { text: url, json: { api: url } };
    },
  },
  {
    name: 'api',
    section,
    summary: 'GET any API path -P (e.g. -P clusters-info) and print its JSON',
    needs: ['path'],
    calls: '<-P path>',
    run: async ({ inputs, api }) => {
      const path = inputs.text('path', 'api').replace(/^\/+/, '');
      const answer = await api.getRaw(path);
      const failed = obj(answer.body)?.Code === 'ERROR';
      const body = failed ? answer.body : interpret(answer, path);
      return { text: JSON.stringify(body, null, 2), json: body, exitCode: failed ? 1 : 0 };
    },
  },
  {
    name: 'leader-check',
    section,
    summary: 'ask every configured API whether it is the leader; exit 1 when none is',
    calls: 'leader-check on each URL',
    run: async ({ api }) => {
      const answers = await api.probeAll('leader-check');
      const text = answers.map((answer) => `${answer.api}\t${describeProbe(answer)}`).join('\n');
      const anyLeader = answers.some((answer) => answer.status === 200);
      return { text, json: answers, exitCode: anyLeader ? 0 : 1 };
    },
  },
  {
    name: 'raft-leader',
    section,
    summary: 'print the raft leader (raft setups)',
    route: 'raft-leader',
    human: answerRaw,
  },
  {
    name: 'raft-health',
    section,
    summary: 'print healthy when the node is part of a healthy raft group',
    route: 'raft-health',
    human: answerRaw,
  },
  {
    name: 'raft-leader-hostname',
    section,
    summary: 'print the host name of the node commands go to (the leader)',
    route: 'status',
    human: (answer) => str(details(answer), 'Hostname') ?? '',
  },
  {
    name: 'raft-elect-leader',
    section,
    summary: 'ask the raft group to elect -H <hostname> as leader',
    route: 'raft-yield-hint/{hostname}',
    human: detailsRaw,
  },
  {
    name: 'snapshot-topologies',
    section,
    summary: 'record every instance and its master now',
    route: 'snapshot-topologies',
    human: detailsRaw,
  },
];
