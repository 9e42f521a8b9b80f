import { createLoaders } from '../../loaders/createLoaders';
import { QueryCounter } from '../../src/db/queryCounter';
import { Fixtures } from '../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('loaders', () => {
  let database: TestDatabase;
  const ids: Record<string, number> = {};
  let crsIds: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('loaders');
    const f = new Fixtures(database.db);
    ids.user = await f.user('a@example.com');
    ids.team = await f.team(ids.user);
    ids.project = await f.project(ids.team, ids.user);
    // CRS i has i comments (0..5), so per-parent limits are visible.
    for (let i = 0; i < 6; i += 1) {
      const crs = await f.crs(ids.project, ids.user, `CRS ${i}`, i % 2 === 0 ? 'DRAFT' : 'APPROVED');
      crsIds.push(crs);
      for (let c = 0; c < i; c += 1) await f.comment(crs, ids.user, `c${i}.${c}`);
    }
  });
  afterAll(() => database?.drop());

  function fresh(optimized = true) {
    const counter = new QueryCounter();
    const loaders = createLoaders(database.db.withPlugin(counter), { optimized });
    return { loaders, counter };
  }

  it('returns by-id values in key order, with null for misses, in one statement', async () => {
    const { loaders, counter } = fresh();
    const keys = [crsIds[3], 999999, crsIds[0], crsIds[3]];
    const rows = await Promise.all(keys.map((id) => loaders.crsById.load(id)));
    expect(rows.map((row) => row?.id ?? null)).toEqual([crsIds[3], null, crsIds[0], crsIds[3]]);
    expect(rows[0]?.teamId).toBe(ids.team);
    expect(counter.count).toBe(1);
  });

  it('honours first for every parent of a batch, in one statement per set of arguments', async () => {
    const { loaders, counter } = fresh();
    const firstTwo = await Promise.all(crsIds.map((crsId) => loaders.commentsByCrsId.load({ parentId: crsId, first: 2 })));
    expect(firstTwo.map((comments) => comments.length)).toEqual([0, 1, 2, 2, 2, 2]);
    expect(firstTwo[5].map((c) => c.content)).toEqual(['c5.0', 'c5.1']);
    expect(counter.count).toBe(1);

    const [two, all] = await Promise.all([
      Promise.all(crsIds.map((crsId) => loaders.commentsByCrsId.load({ parentId: crsId, first: 3 }))),
      Promise.all(crsIds.map((crsId) => loaders.commentsByCrsId.load({ parentId: crsId, first: 50 }))),
    ]);
    expect(two.map((comments) => comments.length)).toEqual([0, 1, 2, 3, 3, 3]);
    expect(all.map((comments) => comments.length)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(counter.count).toBe(3);
  });

  it("gives each parent's rows in the window's order, whatever order the statement returns them in", async () => {
    // Two new CRS whose comments were written newest id first: created_at runs against id order.
    const f = new Fixtures(database.db);
    const project = await f.project(ids.team, ids.user);
    const parents = [await f.crs(project, ids.user, 'Reversed A'), await f.crs(project, ids.user, 'Reversed B')];
    const written: Record<number, string[]> = {};
    for (const crsId of parents) {
      written[crsId] = [];
      for (let c = 0; c < 6; c += 1) {
        const content = `${crsId}.${c}`;
        await database.db
          .insertInto('comments')
          .values({ crsId, authorId: ids.user, content, createdAt: new Date(Date.UTC(2020, 0, 1, 0, 0, 10 - c)) })
          .execute();
        written[crsId].unshift(content);
      }
    }
    const { loaders, counter } = fresh();
    const pages = await Promise.all(parents.map((crsId) => loaders.commentsByCrsId.load({ parentId: crsId, first: 4 })));
    expect(counter.count).toBe(1);
    expect(pages.map((page) => page.map((c) => c.content))).toEqual(parents.map((crsId) => written[crsId].slice(0, 4)));
  });

  it('keeps filters in the key: a status filter batches apart from the unfiltered list', async () => {
    const { loaders, counter } = fresh();
    const [drafts, everything, missing] = await Promise.all([
      loaders.crsByProjectId.load({ projectId: ids.project, statuses: ['DRAFT'], first: 50 }),
      loaders.crsByProjectId.load({ projectId: ids.project, statuses: null, first: 4 }),
      loaders.crsByProjectId.load({ projectId: 999999, statuses: null, first: 4 }),
    ]);
    expect(drafts.map((c) => c.title)).toEqual(['CRS 4', 'CRS 2', 'CRS 0']);
    expect(everything.map((c) => c.title)).toEqual(['CRS 5', 'CRS 4', 'CRS 3', 'CRS 2']);
    expect(missing).toEqual([]);
    expect(counter.count).toBe(2);
  });

  it('runs one query per call, uncached, in naive mode', async () => {
    const { loaders, counter } = fresh(false);
    const pages = await Promise.all([...crsIds, crsIds[0]].map((crsId) => loaders.commentsByCrsId.load({ parentId: crsId, first: 2 })));
    const comments = pages.reduce((sum, page) => sum + page.length, 0);
    expect(comments).toBeGreaterThan(0);
    // One statement per call, and one per comment for its author: the guide's "before".
    expect(counter.count).toBe(crsIds.length + 1 + comments);
    expect(pages.flat().every((comment) => typeof comment.author.fullName === 'string')).toBe(true);
  });

  it('does not share its cache with another request', async () => {
    const first = fresh();
    await first.loaders.crsById.load(crsIds[0]);
    await database.db.updateTable('crsDocuments').set({ title: 'Renamed' }).where('id', '=', crsIds[0]).execute();
    expect((await first.loaders.crsById.load(crsIds[0]))?.title).toBe('CRS 0');
    expect((await fresh().loaders.crsById.load(crsIds[0]))?.title).toBe('Renamed');
  });
});
