import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ROLE_LABELS, ROLES, isAgencyRole, type Role } from '../../domain/roles.js';
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
      const expired = /expired/i.test((err as Error).message);
      throw new HttpError(401, expired ? '登录令牌已过期，请重新登录' : '需要有效的登录令牌（Authorization: Bearer …）', { reason: (err as Error).message });
    }
    if (!ROLES.includes(claims.role)) throw new HttpError(401, `登录令牌的角色无效：${String(claims.role)}`, { role: claims.role });
    if (isAgencyRole(claims.role)) {
      if (!claims.agencyId) throw new HttpError(401, `${ROLE_LABELS[claims.role]}的登录令牌须注明所属单位（agencyId）`, { role: claims.role });
      if (!app.agencies.has(claims.agencyId)) throw new HttpError(401, `登录令牌所属单位不存在：${claims.agencyId}`, { agencyId: claims.agencyId });
    }
    request.actor = { role: claims.role, agencyId: isAgencyRole(claims.role) ? claims.agencyId : undefined, name: claims.name ?? claims.sub };
  });

  app.decorate('requireRole', (...roles: Role[]) => async (request: FastifyRequest, reply) => {
    await app.authenticate(request, reply);
    if (!roles.includes(request.actor.role)) {
      throw new HttpError(403, `此操作须由${roles.map((r) => ROLE_LABELS[r]).join('或')}办理，当前身份是${ROLE_LABELS[request.actor.role]}`, { roles, role: request.actor.role });
    }
  });
});
