import type { CursorCodec, CursorKind } from './cursor';

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Builds a keyset connection from `rows` fetched with LIMIT first + 1: the extra row, if any,
 * only says that a next page exists.
 */
export function toConnection<T extends { id: number }>(
  rows: readonly T[],
  first: number,
  kind: CursorKind,
  timeOf: (row: T) => Date,
  cursors: CursorCodec,
): Connection<T> {
  const page = rows.length > first ? rows.slice(0, first) : rows;
  const edges = page.map((node) => ({ cursor: cursors.encode(kind, { time: timeOf(node), id: node.id }), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null },
  };
}
