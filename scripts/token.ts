// `npm run token -- --role office` or `npm run token -- --role agency --agency county-market`
import { parseArgs } from 'node:util';
import { ROLES, isAgencyRole, type Role } from '../domain/roles.js';
import { AgencyDirectory } from '../platform/agencies.js';
import { loadConfig } from '../platform/config.js';
import { mintToken } from '../platform/tokens.js';

const USAGE = `Mints a development bearer token for the API.

  npm run -s token -- --role <${ROLES.join('|')}> [--agency <id>] [--name <姓名>] [--expires 12h]

  TOKEN=$(npm run -s token -- --role office)
  curl -H "authorization: Bearer $TOKEN" http://localhost:3000/api/decisions

--agency defaults to the first agency of the directory for agency roles; --expires takes 30m, 12h, 7d.
`;

function parsed() {
  try {
    return parseArgs({
      options: {
        role: { type: 'string' },
        agency: { type: 'string' },
        name: { type: 'string' },
        expires: { type: 'string', default: '12h' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    process.exit(2);
  }
}

const values = parsed();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

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
