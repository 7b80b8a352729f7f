import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ROLES, isAgencyRole, type Role } from '../../domain/roles.js';
import { HttpError } from './errors.js';
import type { TokenClaims } from '../types.js';

/**
 * Bearer-token authentication (@fastify/jwt) and role checks. The actor of every action comes from
 * the token, never from the request body, so the full-process record names who really acted.
 */
export const auth = fp(async (app: FastifyInstance) => {
  await app.register(jwt, { secret: app.config.JWT_SECRET, sign: { expiresIn: app.config.JWT_EXPIRES_IN } });

  app.decorateRequest('actor', null as never);

  app.decorate('authenticate', async (request: FastifyRequest) => {
    let claims;
    try {
      claims = await request.jwtVerify<TokenClaims>();
    } catch (err) {
      throw new HttpError(401, `a valid bearer token is required (${(err as Error).message})`);
    }
    if (!ROLES.includes(claims.role)) throw new HttpError(401, `token has an unknown role '${String(claims.role)}'`);
    if (isAgencyRole(claims.role)) {
      if (!claims.agencyId) throw new HttpError(401, `a ${claims.role} token needs an agencyId claim`);
      if (!app.agencies.has(claims.agencyId)) throw new HttpError(401, `token names unknown agency '${claims.agencyId}'`);
    }
    request.actor = { role: claims.role, agencyId: isAgencyRole(claims.role) ? claims.agencyId : undefined, name: claims.name ?? claims.sub };
  });

  app.decorate('requireRole', (...roles: Role[]) => async (request: FastifyRequest, reply) => {
    await app.authenticate(request, reply);
    if (!roles.includes(request.actor.role)) {
      throw new HttpError(403, `this action needs the role ${roles.join(' or ')}; the token has ${request.actor.role}`);
    }
  });
});
