import { CamelCasePlugin, type QueryId } from 'kysely';
import { CamelCaseRowsPlugin } from '../../src/db/camelCaseRows';

describe('CamelCaseRowsPlugin', () => {
  const plugin = new CamelCaseRowsPlugin();
  const queryId = { queryId: 'test' } as QueryId;
  const transform = (rows: Record<string, unknown>[]) => plugin.transformResult({ queryId, result: { rows } });

  it('renames snake_case columns, as CamelCasePlugin does', async () => {
    const rows = [{ crs_id: 1, created_at: new Date(0), content: 'a' }];
    const result = await transform(rows);
    expect(result.rows).toEqual([{ crsId: 1, createdAt: new Date(0), content: 'a' }]);
    expect(result.rows[0]).not.toBe(rows[0]);
  });

  it('passes rows that already have camelCase names on without copying them', async () => {
    const rows = [
      { id: 1, crsId: 2, createdAt: new Date(0), authorFullName: 'Ada' },
      { id: 2, crsId: 2, createdAt: new Date(1), authorFullName: 'Bo' },
    ];
    const result = await transform(rows);
    expect(result.rows).toBe(rows);
    // What Kysely's own plugin would have made of them: equal rows.
    expect((await new CamelCasePlugin().transformResult({ queryId, result: { rows } })).rows).toEqual(rows);
  });

  it('still renames inside nested objects, which the first row check must not skip', async () => {
    const rows = [{ id: 1, payload: { team_id: 3 } }];
    const result = await transform(rows);
    expect(result.rows).toEqual([{ id: 1, payload: { teamId: 3 } }]);
  });

  it('leaves a result without rows alone', async () => {
    await expect(plugin.transformResult({ queryId, result: { rows: [], numAffectedRows: 1n } })).resolves.toEqual({ rows: [], numAffectedRows: 1n });
  });
});
