import { readFileSync } from 'node:fs';
import { z } from 'zod';
import '../domain/zod-locale.js';

export const agencySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes'),
  /** Official Chinese name, e.g. 县市场监督管理局. */
  name: z.string().min(2),
  level: z.enum(['county', 'township', 'vertical']),
  /** Where reminders for this agency are also POSTed, signed with HMAC-SHA256; null for none. */
  webhookUrl: z.url().nullable().default(null),
});
export type Agency = z.output<typeof agencySchema>;

export class AgencyDirectory {
  private readonly byId: Map<string, Agency>;

  constructor(agencies: Agency[]) {
    this.byId = new Map(agencies.map((a) => [a.id, a]));
  }

  static fromFile(path: string): AgencyDirectory {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`AGENCIES_FILE ${path}: ${(err as Error).message}`);
    }
    const parsed = z.array(agencySchema).min(1).safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      throw new Error(`AGENCIES_FILE ${path}: [${first.path.join('.')}] ${first.message}`);
    }
    const seen = new Set<string>();
    for (const [i, agency] of parsed.data.entries()) {
      if (seen.has(agency.id)) throw new Error(`AGENCIES_FILE ${path}: [${i}.id] '${agency.id}' appears twice`);
      seen.add(agency.id);
    }
    return new AgencyDirectory(parsed.data);
  }

  get(id: string): Agency | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  list(): Agency[] {
    return [...this.byId.values()];
  }

  /** The agency `npm start` mints demo tokens for. */
  demo(): Agency {
    return this.list()[0]!;
  }
}
