import type { Client } from '@temporalio/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../domain/roles.js';
import type { AgencyDirectory } from '../platform/agencies.js';
import type { CalendarBook } from '../platform/calendar-book.js';
import type { Facades } from './facades/index.js';
import type { Config } from '../platform/config.js';
import type { RecordsDb } from '../platform/records/database.js';

/** What the API's plugins add to Fastify, declared once so every route is typed. */
declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    temporal: Client;
    agencies: AgencyDirectory;
    /** The records database; absent only in tests that read nothing from it. */
    records: RecordsDb | undefined;
    /** The working-day calendar in force (with the State Council notices the office entered). */
    calendarBook: CalendarBook;
    /** Legal-review cases: ids, visibility (404), state, record and actions (409 when closed). */
    cases: Facades['cases'];
    sites: Facades['sites'];
    duties: Facades['duties'];
    /** onRequest hook: verifies the bearer token and sets request.actor (401 otherwise). */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** onRequest hook factory: authenticate, then 403 unless the actor has one of the roles. */
    requireRole: (...roles: Role[]) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims;
    user: TokenClaims;
  }
}

/** Claims of the bearer tokens the API accepts (minted by scripts/token.ts in development). */
export interface TokenClaims {
  sub: string;
  role: Role;
  agencyId?: string;
  name?: string;
}
