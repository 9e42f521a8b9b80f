import type { NestedShape } from '../queries';

/**
 * The nested query's data as ONE SQL statement (MariaDB 10.5+): JSON_OBJECT per row and
 * JSON_ARRAYAGG(… ORDER BY … LIMIT n) per list, in correlated subqueries, in exactly the order
 * and shape the GraphQL server returns (ids as strings, DateTime as ISO-8601 with milliseconds).
 * `JSON_EXTRACT(…, '$')` keeps a subquery's JSON from being quoted as a string, and
 * `SET STATEMENT group_concat_max_len` lifts the 1 MB cap JSON_ARRAYAGG inherits from
 * GROUP_CONCAT, for this statement only. Visibility is the contract's: the viewer's active teams.
 * Its one parameter is the viewer's user id; the result is one row, one column `teams`.
 */
export function floorStatement(shape: NestedShape): string {
  const limit = (value: number) => {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`bad limit ${value}`);
    return value;
  };
  const list = (inner: string) => `JSON_EXTRACT(COALESCE(${inner}, '[]'), '$')`;
  return `SET STATEMENT group_concat_max_len = 1073741824 FOR
SELECT JSON_ARRAYAGG(JSON_OBJECT(
  'id', CAST(t.id AS CHAR), 'name', t.name,
  'projects', (SELECT ${list(`JSON_ARRAYAGG(JSON_OBJECT(
      'id', CAST(p.id AS CHAR), 'name', p.name, 'status', p.status,
      'crsDocuments', (SELECT ${list(`JSON_ARRAYAGG(JSON_OBJECT(
          'id', CAST(d.id AS CHAR), 'title', d.title, 'status', d.status,
          'comments', (SELECT ${list(`JSON_ARRAYAGG(JSON_OBJECT(
              'id', CAST(c.id AS CHAR), 'content', c.content,
              'createdAt', CONCAT(LEFT(DATE_FORMAT(c.created_at, '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z'),
              'author', JSON_OBJECT('id', CAST(u.id AS CHAR), 'fullName', u.full_name))
            ORDER BY c.created_at, c.id LIMIT ${limit(shape.comments)})`)}
            FROM comments c JOIN users u ON u.id = c.author_id WHERE c.crs_id = d.id))
        ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit(shape.crsDocuments)})`)}
        FROM crs_documents d WHERE d.project_id = p.id))
    ORDER BY p.created_at DESC, p.id DESC LIMIT ${limit(shape.projects)})`)}
    FROM projects p WHERE p.team_id = t.id))
  ORDER BY t.id LIMIT ${limit(shape.teams)}) AS teams
FROM team_members m JOIN teams t ON t.id = m.team_id
WHERE m.user_id = ? AND m.is_active = 1`;
}
