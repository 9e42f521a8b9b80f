import { AggregatorRegistry, Counter, Gauge, Histogram, register as globalRegister, Registry } from 'prom-client';

import { createMetrics, PoolStats } from '../../src/observability/metrics';

const FAMILIES: Record<string, 'histogram' | 'gauge' | 'counter'> = {
  bridgeai_http_request_duration_seconds: 'histogram',
  bridgeai_graphql_operation_duration_seconds: 'histogram',
  bridgeai_sql_statements_per_request: 'histogram',
  bridgeai_db_pool_size: 'gauge',
  bridgeai_db_pool_checked_out: 'gauge',
  bridgeai_db_pool_waiting: 'gauge',
  bridgeai_db_pool_utilization_ratio: 'gauge',
  bridgeai_db_pool_acquire_wait_seconds: 'histogram',
  bridgeai_dataloader_batch_size: 'histogram',
  bridgeai_chroma_request_duration_seconds: 'histogram',
  bridgeai_embedding_duration_seconds: 'histogram',
  bridgeai_embedding_batch_size: 'histogram',
  bridgeai_memory_outbox_backlog: 'gauge',
  bridgeai_memory_outbox_failures_total: 'counter',
  bridgeai_memory_outbox_indexed_total: 'counter',
  bridgeai_login_failures_total: 'counter',
  bridgeai_requests_shed_total: 'counter',
  bridgeai_slow_operations_total: 'counter',
  bridgeai_subscription_connections: 'gauge',
  bridgeai_subscriptions: 'gauge',
  bridgeai_subscription_events_delivered_total: 'counter',
  bridgeai_subscription_events_dropped_total: 'counter',
};

/** Value of an unlabelled sample line `name value` in the exposition text. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('createMetrics', () => {
  it('returns independent registries, none of them the global one', async () => {
    const a = createMetrics();
    const b = createMetrics(); // would throw "already registered" on a shared registry

    expect(a.registry).toBeInstanceOf(Registry);
    expect(a.registry).not.toBe(b.registry);
    expect(a.registry).not.toBe(globalRegister);
    expect(globalRegister.getSingleMetric('bridgeai_login_failures_total')).toBeUndefined();

    a.loginFailures.inc(3);
    a.httpRequestDuration.observe({ route: '/graphql', method: 'POST', status: '200' }, 0.05);

    const textA = await a.metricsText();
    const textB = await b.metricsText();
    expect(sample(textA, 'bridgeai_login_failures_total')).toBe(3);
    expect(sample(textB, 'bridgeai_login_failures_total')).toBe(0);
    expect(textA).toContain('bridgeai_http_request_duration_seconds_count{route="/graphql",method="POST",status="200"} 1');
    expect(textB).not.toContain('bridgeai_http_request_duration_seconds_count{');
  });

  it('exposes every family with the expected type in metricsText()', async () => {
    const metrics = createMetrics();
    const text = await metrics.metricsText();

    for (const [name, type] of Object.entries(FAMILIES)) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toContain(`# TYPE ${name} ${type}\n`);
    }
    // Only the families above carry the bridgeai_ prefix.
    const exposed = [...text.matchAll(/^# TYPE (bridgeai_\w+) /gm)].map((m) => m[1]).sort();
    expect(exposed).toEqual(Object.keys(FAMILIES).sort());
    // Default process metrics are collected on the same registry.
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(metrics.contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
  });

  it('can leave out the default process metrics', async () => {
    const text = await createMetrics({ defaultMetrics: false }).metricsText();
    expect(text).not.toContain('process_cpu_user_seconds_total');
    expect(text).toContain('# TYPE bridgeai_db_pool_size gauge');
  });

  it('exposes typed members of the right metric kind', () => {
    const m = createMetrics({ defaultMetrics: false });
    expect(m.httpRequestDuration).toBeInstanceOf(Histogram);
    expect(m.graphqlOperationDuration).toBeInstanceOf(Histogram);
    expect(m.sqlStatementsPerRequest).toBeInstanceOf(Histogram);
    expect(m.dbPoolAcquireWait).toBeInstanceOf(Histogram);
    expect(m.dataloaderBatchSize).toBeInstanceOf(Histogram);
    expect(m.chromaRequestDuration).toBeInstanceOf(Histogram);
    expect(m.embeddingDuration).toBeInstanceOf(Histogram);
    expect(m.embeddingBatchSize).toBeInstanceOf(Histogram);
    expect(m.dbPoolSize).toBeInstanceOf(Gauge);
    expect(m.dbPoolCheckedOut).toBeInstanceOf(Gauge);
    expect(m.dbPoolWaiting).toBeInstanceOf(Gauge);
    expect(m.dbPoolUtilization).toBeInstanceOf(Gauge);
    expect(m.memoryOutboxBacklog).toBeInstanceOf(Gauge);
    expect(m.memoryOutboxFailures).toBeInstanceOf(Counter);
    expect(m.memoryOutboxIndexed).toBeInstanceOf(Counter);
    expect(m.loginFailures).toBeInstanceOf(Counter);
    expect(m.requestsShed).toBeInstanceOf(Counter);
    expect(m.slowOperations).toBeInstanceOf(Counter);
  });

  it('reads pool stats from the registered callback at scrape time', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    let stats: PoolStats = { size: 10, checkedOut: 9, waiting: 3 };
    let calls = 0;
    metrics.observePool(() => {
      calls++;
      return stats;
    });
    expect(calls).toBe(0); // nothing is read before a scrape

    let text = await metrics.metricsText();
    expect(calls).toBeGreaterThan(0);
    expect(sample(text, 'bridgeai_db_pool_size')).toBe(10);
    expect(sample(text, 'bridgeai_db_pool_checked_out')).toBe(9);
    expect(sample(text, 'bridgeai_db_pool_waiting')).toBe(3);
    expect(sample(text, 'bridgeai_db_pool_utilization_ratio')).toBeCloseTo(0.9);

    stats = { size: 20, checkedOut: 5, waiting: 0 };
    text = await metrics.metricsText();
    expect(sample(text, 'bridgeai_db_pool_size')).toBe(20);
    expect(sample(text, 'bridgeai_db_pool_checked_out')).toBe(5);
    expect(sample(text, 'bridgeai_db_pool_waiting')).toBe(0);
    expect(sample(text, 'bridgeai_db_pool_utilization_ratio')).toBeCloseTo(0.25);
  });

  it('keeps pool utilization within 0..1 and accepts an async callback', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.observePool(async () => ({ size: 0, checkedOut: 0, waiting: 0 }));
    expect(sample(await metrics.metricsText(), 'bridgeai_db_pool_utilization_ratio')).toBe(0);

    metrics.observePool(async () => ({ size: 4, checkedOut: 6, waiting: 2 }));
    expect(sample(await metrics.metricsText(), 'bridgeai_db_pool_utilization_ratio')).toBe(1);
  });

  it('reads the outbox backlog from the registered callback at scrape time', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    let backlog = 42;
    metrics.observeOutboxBacklog(async () => backlog);
    expect(sample(await metrics.metricsText(), 'bridgeai_memory_outbox_backlog')).toBe(42);
    backlog = 1500;
    expect(sample(await metrics.metricsText(), 'bridgeai_memory_outbox_backlog')).toBe(1500);
  });

  it('merges two cluster workers sensibly: counts add up, pool capacity adds up, utilization and backlog are not', async () => {
    const workers = [createMetrics({ defaultMetrics: false }), createMetrics({ defaultMetrics: false })];
    workers[0].observePool(() => ({ size: 30, checkedOut: 27, waiting: 4 }));
    workers[1].observePool(() => ({ size: 30, checkedOut: 3, waiting: 0 }));
    for (const worker of workers) worker.observeOutboxBacklog(() => 120);
    workers[0].loginFailures.inc(2);
    workers[1].loginFailures.inc(3);
    workers[0].httpRequestDuration.observe({ route: '/graphql', method: 'POST', status: '200' }, 0.05);
    workers[1].httpRequestDuration.observe({ route: '/graphql', method: 'POST', status: '200' }, 0.5);

    // What the cluster's primary does with the registries its workers send (src/observability/clusterMetrics.ts).
    const merged = await AggregatorRegistry.aggregate(await Promise.all(workers.map((worker) => worker.registry.getMetricsAsJSON()))).metrics();

    expect(sample(merged, 'bridgeai_login_failures_total')).toBe(5);
    expect(merged).toContain('bridgeai_http_request_duration_seconds_count{route="/graphql",method="POST",status="200"} 2');
    expect(merged).toContain('bridgeai_http_request_duration_seconds_bucket{le="0.1",route="/graphql",method="POST",status="200"} 1');
    expect(sample(merged, 'bridgeai_db_pool_size')).toBe(60);
    expect(sample(merged, 'bridgeai_db_pool_checked_out')).toBe(30);
    expect(sample(merged, 'bridgeai_db_pool_waiting')).toBe(4);
    // The fullest pool, not 0.9 + 0.1.
    expect(sample(merged, 'bridgeai_db_pool_utilization_ratio')).toBeCloseTo(0.9);
    // One table counted twice is still 120.
    expect(sample(merged, 'bridgeai_memory_outbox_backlog')).toBe(120);
  });

  it('uses the specified buckets for SQL statements per request', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.sqlStatementsPerRequest.observe({ operation_name: 'projects' }, 12);
    const text = await metrics.metricsText();
    const les = [...text.matchAll(/^bridgeai_sql_statements_per_request_bucket\{le="([^"]+)"/gm)].map((m) => m[1]);
    expect(les).toEqual(['0', '1', '2', '3', '5', '8', '10', '15', '20', '50', '100', '500', '+Inf']);
    expect(text).toContain('bridgeai_sql_statements_per_request_bucket{le="10",operation_name="projects"} 0');
    expect(text).toContain('bridgeai_sql_statements_per_request_bucket{le="15",operation_name="projects"} 1');
    expect(text).toContain('bridgeai_sql_statements_per_request_sum{operation_name="projects"} 12');
  });
});
