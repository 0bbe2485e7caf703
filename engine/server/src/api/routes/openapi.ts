/** The API's own description: an OpenAPI 3.1 document generated from the route table. */
import express, { type Router } from 'express';
import { register, route } from './route';

export const openapiTable = {
  document: route({
    method: 'get',
    path: '/api/openapi.json',
    audience: ['public'],
    tag: 'openapi',
    summary: 'This document: every route, its audience, bodies and answers, as OpenAPI 3.1',
  }),
};

/** `document` builds the description (createApp passes one that builds it once, on the first request). */
export function openapiRoutes(options: { document: () => object }): Router {
  const router: Router = express.Router();
  register(router, openapiTable.document, (_req, res) => {
    res.json(options.document());
  });
  return router;
}
