import express, { type Router } from 'express';
import { Id, QueueConfigBody, RoutingAgentBody } from '@baton/schemas';
import { RoutingStore, type Store } from '@baton/store';
import { HttpProblem, parseOrThrow } from './problem';
import { allow } from './access';

/**
 * Queues (teams: hours, SLA, assignment policy) and agents (skills, queues, availability,
 * capacity) for routing handed-off tickets. Admins write; agents read.
 *   GET /api/queues, GET/PUT /api/queues/:queueId, GET /api/agents[?queue=], GET/PUT /api/agents/:agentId
 */
export function routingRoutes(options: { store: Store }): Router {
  const routing = new RoutingStore(options.store);
  const router: Router = express.Router();

  router.get('/queues', allow('admin', 'agent'), async (_req, res) => {
    res.json({ queues: await routing.listQueues() });
  });

  router.get('/queues/:queueId', allow('admin', 'agent'), async (req, res) => {
    const id = parseOrThrow(Id, req.params.queueId, 'path parameter "queueId"');
    const queue = await routing.getQueue(id);
    if (!queue) throw new HttpProblem(404, 'Queue not found', `no queue "${id}"`);
    res.json(queue);
  });

  router.put('/queues/:queueId', allow('admin'), async (req, res) => {
    const id = parseOrThrow(Id, req.params.queueId, 'path parameter "queueId"');
    const body = parseOrThrow(QueueConfigBody, req.body);
    res.json(await routing.putQueue({ ...body, id }));
  });

  router.get('/agents', allow('admin', 'agent'), async (req, res) => {
    const queue =
      req.query.queue === undefined ? undefined : parseOrThrow(Id, req.query.queue, 'query parameter "queue"');
    res.json({ agents: await routing.listAgents(queue === undefined ? {} : { queue }) });
  });

  router.get('/agents/:agentId', allow('admin', 'agent'), async (req, res) => {
    const id = parseOrThrow(Id, req.params.agentId, 'path parameter "agentId"');
    const agent = await routing.getAgent(id);
    if (!agent) throw new HttpProblem(404, 'Agent not found', `no agent "${id}"`);
    res.json(agent);
  });

  router.put('/agents/:agentId', allow('admin'), async (req, res) => {
    const id = parseOrThrow(Id, req.params.agentId, 'path parameter "agentId"');
    const body = parseOrThrow(RoutingAgentBody, req.body);
    res.json(await routing.putAgent({ ...body, id }));
  });

  return router;
}
