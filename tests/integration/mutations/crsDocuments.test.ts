import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';
import { contentHashOf } from '../../../src/memory/outbox';
import { buildWorld, expectData, expectError, notificationsAbout, outboxRows, rowCounts, type World } from './world';

const CREATE = `mutation ($input: CreateCrsInput!) {
  createCrsDocument(input: $input) {
    id title content status version createdAt updatedAt
    creator { email }
    project { id crsDocuments { id title } }
  }
}`;
const UPDATE = `mutation ($input: UpdateCrsInput!) {
  updateCrsDocument(input: $input) { id content version status updatedAt project { crsDocuments { id version content } } }
}`;
const SET_STATUS = `mutation ($id: ID!, $status: CrsStatus!) {
  setCrsStatus(id: $id, status: $status) { id status version updatedAt project { crsDocuments(status: [UNDER_REVIEW]) { id } } }
}`;

describe('createCrsDocument, updateCrsDocument and setCrsStatus', () => {
  let database: TestDatabase;
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    database = await createTestDatabase('mut_crs');
    server = await startTestServer(database.url, { DB_POOL_SIZE: '25' });
    world = await buildWorld(database.db, server);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const create = (input: Record<string, unknown>, token?: string) =>
    server.graphql(CREATE, { input: { projectId: String(world.ids.projectA), title: 'Refunds', content: 'Refund within 14 days.', ...input } }, token);

  describe('createCrsDocument', () => {
    it('creates a DRAFT at version 1, shown in its project in the same response', async () => {
      const result = await create({ title: '  Refunds  ' }, world.tokens.member);
      const crs = expectData(result).createCrsDocument;
      expect(crs).toMatchObject({
        title: 'Refunds',
        content: 'Refund within 14 days.',
        status: 'DRAFT',
        version: 1,
        creator: { email: 'mia@example.com' },
        project: { id: String(world.ids.projectA) },
      });
      expect(crs.project.crsDocuments[0]).toEqual({ id: crs.id, title: 'Refunds' });
      const row = await database.db.selectFrom('crsDocuments').selectAll().where('id', '=', Number(crs.id)).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ projectId: world.ids.projectA, createdBy: world.ids.member, version: 1, status: 'DRAFT' });
      expect(row.createdAt.toISOString()).toBe(crs.createdAt);
    });

    it('notifies every other active member once (VIEWERs too), not the author and not former members', async () => {
      const { ids, tokens } = world;
      const crs = expectData(await create({ title: 'Chargebacks' }, tokens.member)).createCrsDocument;
      const notified = await notificationsAbout(database.db, 'CRS_CREATED', Number(crs.id));
      expect(notified).toEqual(new Map([[ids.owner, 1], [ids.admin, 1], [ids.viewer, 1]]));
      const inbox = await server.graphql(
        '{ notifications(first: 1) { edges { node { type title message subject { ... on CrsDocument { id title } } } } } }',
        {},
        tokens.viewer,
      );
      expect(expectData(inbox).notifications.edges[0].node).toEqual({
        type: 'CRS_CREATED',
        title: 'Mia Member created "Chargebacks"',
        message: 'Mia Member created the CRS document "Chargebacks" in project "Payments".',
        subject: { id: crs.id, title: 'Chargebacks' },
      });
    });

    it('leaves exactly one pending outbox row for the document, with its project', async () => {
      const crs = expectData(await create({ title: 'Remembered', content: 'Keep this.' }, world.tokens.member)).createCrsDocument;
      const rows = await outboxRows(database.db, 'CRS', Number(crs.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ projectId: world.ids.projectA, status: 'pending', embeddingId: `crs-${crs.id}`, contentHash: contentHashOf('Remembered\n\nKeep this.') });
    });

    it.each([
      ['an empty title', { title: '' }, /^input\.title: must not be empty\.$/],
      ['a title over 300 characters', { title: 't'.repeat(301) }, /^input\.title: must be at most 300 characters/],
      ['blank content', { content: ' \n ' }, /^input\.content: must not be empty\.$/],
      ['content over 100 kB', { content: 'é'.repeat(51 * 1024) }, /^input\.content: must be at most 102400 bytes \(got 104448\)\.$/],
      ['a malformed project id', { projectId: '1.5' }, /^input\.projectId: "1\.5" is not an id/],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_name, change, message) => {
      const before = await rowCounts(database.db);
      expectError(await create(change, world.tokens.member), 'BAD_USER_INPUT', message);
      expect(await rowCounts(database.db)).toEqual(before);
    });

    it('is NOT_FOUND outside the team, FORBIDDEN for a VIEWER, UNAUTHENTICATED without a token; writes nothing', async () => {
      const before = await rowCounts(database.db);
      expectError(await create({ projectId: String(world.ids.projectB) }, world.tokens.member), 'NOT_FOUND', `Project "${world.ids.projectB}" was not found.`);
      expectError(await create({ projectId: '999999' }, world.tokens.member), 'NOT_FOUND', 'Project "999999" was not found.');
      expectError(await create({}, world.tokens.outsider), 'NOT_FOUND', `Project "${world.ids.projectA}" was not found.`);
      expectError(await create({}, world.tokens.viewer), 'FORBIDDEN', /VIEWER, which may only read; creating a CRS document needs/);
      expectError(await create({}), 'UNAUTHENTICATED');
      expect(await rowCounts(database.db)).toEqual(before);
    });
  });

  describe('updateCrsDocument', () => {
    it('replaces the content, adds exactly 1 to the version, and shows both in the same response', async () => {
      const crsId = await world.fixtures.crs(world.ids.projectA, world.ids.member, 'Invoices', 'DRAFT', 'Old text');
      // The first mutation field reads the document and its project's list into this request's loaders;
      // the update's response must not be answered from those reads.
      const result = await server.graphql(
        `mutation ($id: ID!, $input: UpdateCrsInput!) {
          seen: addComment(crsId: $id, content: "Before the edit") { crs { version project { crsDocuments { id version } } } }
          updateCrsDocument(input: $input) { id content version project { crsDocuments { id version content } } }
        }`,
        { id: String(crsId), input: { id: String(crsId), content: 'New text', expectedVersion: 1 } },
        world.tokens.admin,
      );
      const data = expectData(result);
      expect(data.seen.crs.version).toBe(1);
      expect(data.seen.crs.project.crsDocuments).toContainEqual({ id: String(crsId), version: 1 });
      expect(data.updateCrsDocument).toMatchObject({ id: String(crsId), content: 'New text', version: 2 });
      expect(data.updateCrsDocument.project.crsDocuments).toContainEqual({ id: String(crsId), version: 2, content: 'New text' });
      const row = await database.db.selectFrom('crsDocuments').selectAll().where('id', '=', crsId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ content: 'New text', version: 2 });
      expect(row.updatedAt.getTime()).toBeGreaterThan(row.createdAt.getTime());

      const again = expectData(await server.graphql(UPDATE, { input: { id: String(crsId), content: 'Newer', expectedVersion: 2 } }, world.tokens.member));
      expect(again.updateCrsDocument).toMatchObject({ content: 'Newer', version: 3 });
      // One outbox row per document, pending again with the new text's hash.
      const rows = await outboxRows(database.db, 'CRS', crsId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ projectId: world.ids.projectA, status: 'pending', contentHash: contentHashOf('Invoices\n\nNewer') });
    });

    it('refuses a stale expectedVersion with CONFLICT and changes nothing', async () => {
      const crsId = await world.fixtures.crs(world.ids.projectA, world.ids.member, 'Taxes', 'DRAFT', 'Original');
      expectData(await server.graphql(UPDATE, { input: { id: String(crsId), content: 'First edit', expectedVersion: 1 } }, world.tokens.member));
      const before = await rowCounts(database.db);
      const stale = await server.graphql(UPDATE, { input: { id: String(crsId), content: 'Lost edit', expectedVersion: 1 } }, world.tokens.admin);
      expectError(stale, 'CONFLICT', /^input\.expectedVersion: CRS document "\d+" is no longer at version 1/);
      const row = await database.db.selectFrom('crsDocuments').selectAll().where('id', '=', crsId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ content: 'First edit', version: 2 });
      expect(await rowCounts(database.db)).toEqual(before);
      expect((await outboxRows(database.db, 'CRS', crsId))[0].contentHash).toBe(contentHashOf('Taxes\n\nFirst edit'));
    });

    it('lets exactly one of 20 concurrent updates from the same version win; the other 19 are CONFLICT', async () => {
      const crsId = await world.fixtures.crs(world.ids.projectA, world.ids.member, 'Race', 'DRAFT', 'Start');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          server.graphql(UPDATE, { input: { id: String(crsId), content: `Edit ${i}`, expectedVersion: 1 } }, i % 2 ? world.tokens.member : world.tokens.admin),
        ),
      );
      const winners = results.filter((result) => result.data?.updateCrsDocument);
      const conflicts = results.filter((result) => result.errors?.[0].extensions?.code === 'CONFLICT');
      expect(winners).toHaveLength(1);
      expect(conflicts).toHaveLength(19);
      const row = await database.db.selectFrom('crsDocuments').selectAll().where('id', '=', crsId).executeTakeFirstOrThrow();
      expect(row.version).toBe(2);
      expect(row.content).toBe(winners[0].data.updateCrsDocument.content);
      expect(await outboxRows(database.db, 'CRS', crsId)).toHaveLength(1);
    });

    it.each([
      ['blank content', { content: '' }, /^input\.content: must not be empty/],
      ['content over 100 kB', { content: 'x'.repeat(100 * 1024 + 1) }, /^input\.content: must be at most 102400 bytes/],
      ['a version below 1', { expectedVersion: 0 }, /^input\.expectedVersion: must be a version number of at least 1/],
      ['a malformed id', { id: 'abc' }, /^input\.id: "abc" is not an id/],
    ])('refuses %s with BAD_USER_INPUT', async (_name, change, message) => {
      const before = await rowCounts(database.db);
      const input = { id: String(world.ids.crsA), content: 'Valid', expectedVersion: 1, ...change };
      expectError(await server.graphql(UPDATE, { input }, world.tokens.member), 'BAD_USER_INPUT', message);
      expect(await rowCounts(database.db)).toEqual(before);
    });

    it('is NOT_FOUND outside the team and FORBIDDEN for a VIEWER', async () => {
      const input = (id: number) => ({ input: { id: String(id), content: 'Hijack', expectedVersion: 1 } });
      expectError(await server.graphql(UPDATE, input(world.ids.crsB), world.tokens.member), 'NOT_FOUND', `CRS document "${world.ids.crsB}" was not found.`);
      expectError(await server.graphql(UPDATE, input(999999), world.tokens.member), 'NOT_FOUND', 'CRS document "999999" was not found.');
      expectError(await server.graphql(UPDATE, input(world.ids.crsA), world.tokens.viewer), 'FORBIDDEN', /editing a CRS document needs/);
      expectError(await server.graphql(UPDATE, input(world.ids.crsA)), 'UNAUTHENTICATED');
      const row = await database.db.selectFrom('crsDocuments').selectAll().where('id', '=', world.ids.crsB).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ content: 'Requirement text.', version: 1 });
    });
  });

  describe('setCrsStatus', () => {
    it('lets a MEMBER set a status, keeps the version, and notifies the creator once', async () => {
      const { ids, tokens, fixtures } = world;
      const crsId = await fixtures.crs(ids.projectA, ids.admin, 'Disputes');
      const result = await server.graphql(SET_STATUS, { id: String(crsId), status: 'UNDER_REVIEW' }, tokens.member);
      const crs = expectData(result).setCrsStatus;
      expect(crs).toMatchObject({ id: String(crsId), status: 'UNDER_REVIEW', version: 1 });
      expect(crs.project.crsDocuments).toContainEqual({ id: String(crsId) });
      expect(await notificationsAbout(database.db, 'CRS_STATUS_CHANGED', crsId)).toEqual(new Map([[ids.admin, 1]]));
      const inbox = await server.graphql('{ notifications(first: 1) { edges { node { title message subject { ... on CrsDocument { id status } } } } } }', {}, tokens.admin);
      expect(expectData(inbox).notifications.edges[0].node).toEqual({
        title: '"Disputes" is now UNDER_REVIEW',
        message: 'Mia Member set the status of your CRS document "Disputes" to UNDER_REVIEW.',
        subject: { id: String(crsId), status: 'UNDER_REVIEW' },
      });

      // The same status again changes nothing and notifies nobody.
      const again = expectData(await server.graphql(SET_STATUS, { id: String(crsId), status: 'UNDER_REVIEW' }, tokens.owner)).setCrsStatus;
      expect(again.updatedAt).toBe(crs.updatedAt);
      expect(await notificationsAbout(database.db, 'CRS_STATUS_CHANGED', crsId)).toEqual(new Map([[ids.admin, 1]]));
    });

    it('notifies nobody when the creator changes the status', async () => {
      const crsId = await world.fixtures.crs(world.ids.projectA, world.ids.member, 'Own status');
      expectData(await server.graphql(SET_STATUS, { id: String(crsId), status: 'APPROVED' }, world.tokens.member));
      expect(await notificationsAbout(database.db, 'CRS_STATUS_CHANGED', crsId)).toEqual(new Map());
    });

    it('refuses an unknown status in GraphQL itself, and VIEWERs, outsiders and anonymous callers', async () => {
      const { ids, tokens } = world;
      const before = await rowCounts(database.db);
      const unknown = await server.graphql(`mutation { setCrsStatus(id: "${ids.crsA}", status: PUBLISHED) { id } }`, {}, tokens.member);
      expect(unknown.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const unknownVariable = await server.graphql(SET_STATUS, { id: String(ids.crsA), status: 'PUBLISHED' }, tokens.member);
      expect(unknownVariable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expectError(await server.graphql(SET_STATUS, { id: String(ids.crsA), status: 'APPROVED' }, tokens.viewer), 'FORBIDDEN');
      expectError(await server.graphql(SET_STATUS, { id: String(ids.crsB), status: 'APPROVED' }, tokens.member), 'NOT_FOUND', `CRS document "${ids.crsB}" was not found.`);
      expectError(await server.graphql(SET_STATUS, { id: 'x', status: 'APPROVED' }, tokens.member), 'BAD_USER_INPUT', /^id: /);
      expectError(await server.graphql(SET_STATUS, { id: String(ids.crsA), status: 'APPROVED' }), 'UNAUTHENTICATED');
      expect(await rowCounts(database.db)).toEqual(before);
      const row = await database.db.selectFrom('crsDocuments').select('status').where('id', '=', ids.crsA).executeTakeFirstOrThrow();
      expect(row.status).toBe('DRAFT');
    });
  });
});
