import express, { type RequestHandler } from 'express';

/** Largest JSON body the API reads: a journey of a few hundred nodes fits many times over. */
export const jsonBodyLimit = '1mb';

export function jsonBody(): RequestHandler {
  return express.json({ limit: jsonBodyLimit });
}
