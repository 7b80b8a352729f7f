import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config.js';

/** Address of the cluster: TEMPORAL_ADDRESS, or the embedded dev server started by `npm start`. */
export function temporalAddress(config: Config): string {
  return config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_SERVER_PORT}`;
}

function tlsOptions(config: Config) {
  if (config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH) {
    return {
      clientCertPair: {
        crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH),
        key: readFileSync(config.TEMPORAL_TLS_KEY_PATH),
      },
    };
  }
  // Temporal Cloud with an API key needs TLS without a client certificate.
  return config.TEMPORAL_TLS || config.TEMPORAL_API_KEY ? true : undefined;
}

export function connectionOptions(config: Config) {
  return {
    address: temporalAddress(config),
    tls: tlsOptions(config),
    apiKey: config.TEMPORAL_API_KEY,
  };
}

export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}

export async function connectWorkerConnection(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}
