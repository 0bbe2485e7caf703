import express, { type Router } from 'express';
import { Id, QueueConfigBody, RoutingAgentBody } from '@baton/schemas';
import { RoutingStore, type Store } from '@baton/store';
import { HttpProblem, parseOrThrow } from '../problem';
import { register, route } from './route';

const tag = 'routing';
export const routingTable = {
  listQueues: route({
    method: 'get',
    path: '/api/queues',
    audience: ['admin', 'agent'],
    tag,
    summary: 'List the queues',
  }),
  getQueue: route({
    method: 'get',
    path: '/api/queues/:queueId',
    audience: ['admin', 'agent'],
    tag,
    summary: 'Read one queue',
  }),
  putQueue: route({
    method: 'put',
    path: '/api/queues/:queueId',
    audience: ['admin'],
    tag,
    summary: 'Create or replace a queue (hours, SLA, assignment policy)',
    body: QueueConfigBody,
  }),
  listAgents: route({
    method: 'get',
    path: '/api/agents',
    audience: ['admin', 'agent'],
    tag,
    summary: 'List the routing agents, optionally of one queue',
  }),
  getAgent: route({
    method: 'get',
    path: '/api/agents/:agentId',
    audience: ['admin', 'agent'],
    tag,
    summary: 'Read one routing agent',
  }),
  putAgent: route({
    method: 'put',
    path: '/api/agents/:agentId',
    audience: ['admin'],
    tag,
    summary: 'Create or replace a routing agent (skills, queues, availability, capacity)',
    body: RoutingAgentBody,
  }),
};

/**
 * Queues (teams: hours, SLA, assignment policy) and agents (skills, queues, availability,
 * capacity) for routing handed-off tickets. Admins write; agents read.
 *   GET /api/queues, GET/PUT /api/queues/:queueId, GET /api/agents[?queue=], GET/PUT /api/agents/:agentId
 */
export function routingRoutes(options: { store: Store }): Router {
  const routing = new RoutingStore(options.store);
  const router: Router = express.Router();

  register(router, routingTable.listQueues, async (_req, res) => {
    res.json({ queues: await routing.listQueues() });
  });

  register(router, routingTable.getQueue, async (req, res) => {
    const id = parseOrThrow(Id, req.params.queueId, 'path parameter "queueId"');
    const queue = await routing.getQueue(id);
    if (!queue) throw new HttpProblem(404, 'Queue not found', `no queue "${id}"`);
    res.json(queue);
  });

  register(router, routingTable.putQueue, async (req, res) => {
    const id = parseOrThrow(Id, req.params.queueId, 'path parameter "queueId"');
    const body = parseOrThrow(routingTable.putQueue.body, req.body);
    res.json(await routing.putQueue({ ...body, id }));
  });

  register(router, routingTable.listAgents, async (req, res) => {
    const queue =
      req.query.queue === undefined ? undefined : parseOrThrow(Id, req.query.queue, 'query parameter "queue"');
    res.json({ agents: await routing.listAgents(queue === undefined ? {} : { queue }) });
  });

  register(router, routingTable.getAgent, async (req, res) => {
    const id = parseOrThrow(Id, req.params.agentId, 'path parameter "agentId"');
    const agent = await routing.getAgent(id);
    if (!agent) throw new HttpProblem(404, 'Agent not found', `no agent "${id}"`);
    res.json(agent);
  });

  register(router, routingTable.putAgent, async (req, res) => {
    const id = parseOrThrow(Id, req.params.agentId, 'path parameter "agentId"');
    const body = parseOrThrow(routingTable.putAgent.body, req.body);
    res.json(await routing.putAgent({ ...body, id }));
  });

  return router;
}
