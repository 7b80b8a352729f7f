import { createSigner } from 'fast-jwt';
import type { Role } from '../domain/roles.js';

export interface MintOptions {
  secret: string;
  role: Role;
  agencyId?: string;
  name?: string;
  expiresIn?: string;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function durationMs(text: string): number {
  const match = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!match) throw new Error(`expiry '${text}' must look like 30m, 12h or 7d`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/**
 * Mints a development bearer token (HS256, the same secret and claims @fastify/jwt verifies).
 * Production deployments put an identity provider in front and keep the claims.
 */
export function mintToken({ secret, role, agencyId, name, expiresIn = '12h' }: MintOptions): string {
  const sign = createSigner({ key: secret, expiresIn: durationMs(expiresIn) });
  const sub = role === 'office' ? 'office' : `${agencyId}:${role}`;
  return sign({ sub, role, ...(role === 'office' ? {} : { agencyId }), name: name ?? sub });
}
