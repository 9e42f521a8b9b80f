import pino, { type Logger } from 'pino';

/** One JSON line per event, on stdout; the level comes from LOG_LEVEL. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'bridgeai-graphql' }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
