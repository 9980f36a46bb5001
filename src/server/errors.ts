// Every non-2xx answer of the API is an ApiError body. Messages are fixed texts chosen here, never an
// exception's message, so nothing about the database, the file system or the code reaches a client.

import type { FastifyReply } from 'fastify';
import type { ApiError } from '../contract/agent-api.js';
import type { CampaignApiError } from '../contract/campaign-api.js';

export type ApiErrorCode = ApiError['error'];

/** Thrown by handlers; the app's error handler turns it into the JSON body and status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    /** The message in both languages, for refusals a person acts on (campaigns). */
    readonly localized?: { en: string; vi: string },
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The same body for every authentication failure, so a client cannot tell which part was wrong. */
export const UNAUTHORIZED: ApiError = { error: 'unauthorized', message: 'A valid bearer token is required.' };
export const FORBIDDEN: ApiError = { error: 'forbidden', message: 'This token does not allow this request.' };
/** Wrong, used and expired enrolment secrets all get this body. */
export const BAD_SECRET: ApiError = { error: 'unauthorized', message: 'The enrolment secret is not valid.' };

/** `body`: an ApiError; the campaign routes' refusals also carry `localized` (CampaignApiError). */
export function sendError(reply: FastifyReply, status: number, body: CampaignApiError): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
