import { Router } from 'express';
import type { PoolStats } from '../db/pool';
import type { ReplicaStatus } from '../db/replicas/replicaSet';

/** A dependency the server needs to be ready (MySQL, Chroma). */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency answers; rejects (or times out) otherwise. */
  check(): Promise<void>;
}

const READINESS_TIMEOUT_MS = 2000;

/** Pool utilisation at which /health/database reports `warning` and `critical` (the guide's alerts). */
export const POOL_WARNING_UTILIZATION = 0.8;
export const POOL_CRITICAL_UTILIZATION = 0.95;

export function poolStatus(stats: PoolStats): 'healthy' | 'warning' | 'critical' {
  if (stats.utilization > POOL_CRITICAL_UTILIZATION) return 'critical';
  if (stats.utilization > POOL_WARNING_UTILIZATION) return 'warning';
  return 'healthy';
}

/** Figures /health/ready shows beside its checks (e.g. the memory backlog), read at each request. */
export type ReadinessDetails = () => Promise<Record<string, unknown>>;

/**
 * GET /health (liveness), /health/ready (every dependency answers) and /health/database
 * (the pool's figures), as the contract describes them. /health/ready's body also carries
 * `details`, which never change its status: when they cannot be read they are left out.
 */
export function healthRouter(options: {
  checks: readonly ReadinessCheck[];
  poolStats: () => PoolStats;
  /** With DATABASE_REPLICA_URL: each replica's pool, lag and place in rotation. */
  replicas?: () => readonly ReplicaStatus[];
  /** More for /health/ready's body (the memory outbox's backlog). */
  details?: ReadinessDetails;
}): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/health/ready', async (_req, res) => {
    const detailsRead = options.details ? withTimeout(options.details(), READINESS_TIMEOUT_MS).catch(() => ({})) : Promise.resolve({});
    const results = await Promise.all(
      options.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), READINESS_TIMEOUT_MS);
          return { name, ok: true as const };
        } catch (error) {
          return { name, ok: false as const, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const failed = results.filter((result) => !result.ok).map((result) => result.name);
    const checks = Object.fromEntries(results.map((result) => [result.name, result.ok ? 'ok' : 'unavailable']));
    const details = await detailsRead;
    res.status(failed.length === 0 ? 200 : 503).json({ status: failed.length === 0 ? 'ready' : 'unavailable', checks, failed, ...details });
  });

  router.get('/health/database', (_req, res) => {
    const replicas = options.replicas?.().map(({ pool, ...replica }) => ({ ...replica, ...poolFigures(pool) }));
    res.json({ ...poolFigures(options.poolStats()), ...(replicas ? { replicas } : {}) });
  });

  return router;
}

function poolFigures(stats: PoolStats) {
  return {
    poolSize: stats.poolSize,
    maxOverflow: stats.maxOverflow,
    checkedOut: stats.checkedOut,
    idle: stats.idle,
    waiting: stats.waiting,
    utilization: Math.round(stats.utilization * 1000) / 1000,
    status: poolStatus(stats),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
