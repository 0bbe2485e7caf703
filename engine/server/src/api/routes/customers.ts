/**
 * DELETE /api/customers/:id erases a customer (issue 16): with `?dryRun=true` it lists what would go
 * (ids and counts per kind, and the open conversations that would be ended); without, it starts the
 * erasure workflow `erase:<id>` (a second request joins the running or finished one) and answers 202.
 * GET /api/customers/:id/erasure reports that workflow's progress. Admins only; the audit log names
 * who erased which customer id, nothing of the erased data.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { customerInventory, inventoryIsEmpty, type Store } from '@baton/store';
import {
  customerErasureWorkflowType,
  erasureProgressQuery,
  erasureWorkflowIdOf,
  type ErasureProgress,
} from '@baton/workflow/erasure';
import type { Conversations } from '../../client';
import type { Audit } from '../audit';
import { HttpProblem, parseOrThrow } from '../problem';
import { register, route } from './route';
import { idParam } from './shared';

const EraseQuery = z.object({ dryRun: z.enum(['true', 'false']).optional() }).strict();

export const customersTable = {
  erase: route({
    method: 'delete',
    path: '/api/customers/:id',
    audience: ['admin'],
    tag: 'customers',
    summary:
      "Erase a customer's transcripts, tickets, surveys, corrections and closed executions; ?dryRun=true lists what would go (200), else starts the erasure workflow erase:<id> (202)",
    query: EraseQuery,
    statuses: [200, 202],
  }),
  erasure: route({
    method: 'get',
    path: '/api/customers/:id/erasure',
    audience: ['admin'],
    tag: 'customers',
    summary: "The progress of a customer's erasure (its workflow's stage, what it found and deleted)",
  }),
};

const customerIdWhat = 'customer id';

export function customerRoutes({
  store,
  conversations,
  audit,
}: {
  store: Store;
  conversations: Conversations;
  audit: Audit;
}): Router {
  const router: Router = express.Router();
  const db = store.collection('conversations').db as Parameters<typeof customerInventory>[0];
  const { client, taskQueue } = conversations;

  register(router, customersTable.erase, async (req, res) => {
    const customerId = idParam(req, 'id', customerIdWhat);
    const query = parseOrThrow(EraseQuery, req.query, 'query');
    const workflowId = erasureWorkflowIdOf(customerId);
    const inventory = await customerInventory(db, customerId);
    const previous = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      });
    // An erased customer is unknown again, but a repeat of their erasure joins it (idempotent).
    if (inventoryIsEmpty(inventory) && !previous)
      throw new HttpProblem(404, 'Customer not found', `no data is stored about customer "${customerId}"`);
    if (query.dryRun === 'true') {
      const kinds = {
        conversations: inventory.conversations,
        tickets: inventory.tickets,
        surveys: inventory.surveys,
        ticketFeedback: inventory.ticketFeedback,
        corrections: inventory.corrections,
        typing: inventory.typing,
      };
      res.status(200).json({
        customerId,
        dryRun: true,
        counts: Object.fromEntries(Object.entries(kinds).map(([kind, ids]) => [kind, ids.length])),
        ids: kinds,
        openConversations: inventory.openConversations,
        closedExecutions: inventory.conversations,
      });
      return;
    }
    let started = false;
    // Nothing left and an erasure on record: this repeat joins it (it starts no new run).
    if (!(inventoryIsEmpty(inventory) && previous)) {
      try {
        await client.workflow.start(customerErasureWorkflowType, {
          workflowId,
          taskQueue,
          args: [{ customerId }],
        });
        started = true;
      } catch (error) {
        // Still running: this request joins it.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    }
    if (started)
      await audit.record(res, {
        action: 'customer.erase',
        subject: customerId,
        details: { workflowId },
      });
    res.status(202).json({ customerId, workflowId, started });
  });

  register(router, customersTable.erasure, async (req, res) => {
    const customerId = idParam(req, 'id', customerIdWhat);
    const handle = client.workflow.getHandle(erasureWorkflowIdOf(customerId));
    try {
      const description = await handle.describe();
      const progress: ErasureProgress = await handle.query(erasureProgressQuery);
      res.json({ workflowId: handle.workflowId, status: description.status.name, progress });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError)
        throw new HttpProblem(404, 'Erasure not found', `no erasure of customer "${customerId}" was started`);
      throw error;
    }
  });
  return router;
}
