/**
 * The prefix of every Redis key and channel this server uses for one MySQL database
 * (`bridgeai:<database>`), so two databases on one Redis (tests, staging) keep their own.
 */
export function redisKeyPrefix(databaseUrl: string): string {
  return `bridgeai:${new URL(databaseUrl).pathname.slice(1)}`;
}
