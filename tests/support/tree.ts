import { sql } from 'kysely';
import type { Db } from '../../src/db/database';
import { Fixtures } from './fixtures';

export interface Tree {
  viewerEmail: string;
  teamIds: number[];
  outsiderTeamId: number;
}

/**
 * A viewer in `breadth` teams, each with `breadth` projects, each project with 2 CRS
 * documents of 2 comments each, written with multi-row INSERTs. One more team the viewer is
 * not in holds the same shape.
 */
export async function buildTree(db: Db, breadth: number, label: string): Promise<Tree> {
  const fixtures = new Fixtures(db);
  const viewerId = await fixtures.user(`viewer-${label}@example.com`, 'Viewer');
  const otherId = await fixtures.user(`member-${label}@example.com`, 'Other Member');
  const outsiderId = await fixtures.user(`outsider-${label}@example.com`, 'Outsider');
  const teamIds: number[] = [];
  for (let t = 0; t < breadth; t += 1) {
    const teamId = await fixtures.team(viewerId, `Team ${t}`);
    await fixtures.member(teamId, otherId, 'MEMBER');
    teamIds.push(teamId);
  }
  const outsiderTeamId = await fixtures.team(outsiderId, 'Outsider team');
  const at = new Date(Date.UTC(2026, 1, 1));
  for (const teamId of [...teamIds, outsiderTeamId]) {
    const creator = teamId === outsiderTeamId ? outsiderId : otherId;
    for (let p = 0; p < breadth; p += 1) {
      const project = await db
        .insertInto('projects')
        .values({ teamId, createdBy: creator, name: `P${teamId}.${p}`, description: null, status: 'APPROVED', createdAt: at, updatedAt: at })
        .executeTakeFirstOrThrow();
      const projectId = Number(project.insertId);
      await db
        .insertInto('crsDocuments')
        .values([0, 1].map((c) => ({ projectId, createdBy: creator, title: `CRS ${projectId}.${c}`, content: 'Text', status: 'DRAFT' as const, version: 1, createdAt: at, updatedAt: at })))
        .execute();
    }
  }
  await sql`INSERT INTO comments (crs_id, author_id, content, created_at)
    SELECT c.id, c.created_by, CONCAT('Comment ', n.n, ' on ', c.id), ${at}
    FROM crs_documents c CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) n
    WHERE c.project_id IN (SELECT id FROM projects WHERE team_id IN (${sql.join([...teamIds, outsiderTeamId])}))`.execute(db);
  return { viewerEmail: `viewer-${label}@example.com`, teamIds, outsiderTeamId };
}
