// `npm run token -- --role office` or `npm run token -- --role agency --agency county-market`
import { parseArgs } from 'node:util';
import { ROLES, isAgencyRole, type Role } from '../domain/roles.js';
import { AgencyDirectory } from '../platform/agencies.js';
import { loadConfig } from '../platform/config.js';
import { mintToken } from '../platform/tokens.js';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    agency: { type: 'string' },
    name: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  },
});

const config = loadConfig();
const agencies = AgencyDirectory.fromFile(config.agenciesFile);
const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role)) {
  process.stderr.write(`--role must be one of ${ROLES.join(', ')}\n`);
  process.exit(2);
}
const agencyId = isAgencyRole(role) ? (values.agency ?? agencies.demo().id) : undefined;
if (agencyId && !agencies.has(agencyId)) {
  process.stderr.write(`--agency '${agencyId}' is not in ${config.agenciesFile}; known: ${agencies.list().map((a) => a.id).join(', ')}\n`);
  process.exit(2);
}
process.stdout.write(`${mintToken({ secret: config.JWT_SECRET, role, agencyId, name: values.name, expiresIn: values.expires })}\n`);
