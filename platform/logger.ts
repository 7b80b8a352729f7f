import pino, { type Logger, type LoggerOptions } from 'pino';

/** pino options: JSON lines for machines, pino-pretty only when a person watches a terminal. */
export function loggerOptions(level: string): LoggerOptions {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production';
  return {
    level,
    base: { service: 'enforcement-supervision' },
    redact: { paths: ['req.headers.authorization', '*.party.idNumber', '*.contact'], censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard', ignore: 'pid,hostname,service' } } } : {}),
  };
}

export function createLogger(level: string, name?: string): Logger {
  const logger = pino(loggerOptions(level));
  return name ? logger.child({ component: name }) : logger;
}
