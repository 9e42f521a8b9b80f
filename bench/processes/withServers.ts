import type { ServerProcess } from './serverProcess';

/**
 * Starts the servers one after the other, hands them to `use`, and stops every one that started,
 * whether `use` succeeds or throws (and when a later server fails to start).
 */
export async function withServers<K extends string, T>(
  starters: Readonly<Record<K, () => Promise<ServerProcess>>>,
  use: (servers: Record<K, ServerProcess>) => Promise<T>,
): Promise<T> {
  const started: ServerProcess[] = [];
  try {
    const servers = {} as Record<K, ServerProcess>;
    for (const key of Object.keys(starters) as K[]) {
      servers[key] = await starters[key]();
      started.push(servers[key]);
    }
    return await use(servers);
  } finally {
    await Promise.all(started.map((server) => server.stop()));
  }
}
