import type { CursorCodec, CursorKind } from './cursor';

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Builds a keyset connection from `rows` fetched with LIMIT first + 1: the extra row, if any,
 * only says that a next page exists. Cursors are signed (an HMAC each) only when a client reads
 * them: most pages ask for `pageInfo.endCursor` alone, not for a cursor per edge.
 */
export function toConnection<T extends { id: number }>(
  rows: readonly T[],
  first: number,
  kind: CursorKind,
  timeOf: (row: T) => Date,
  cursors: CursorCodec,
): Connection<T> {
  const page = rows.length > first ? rows.slice(0, first) : rows;
  const edges = page.map((node) => new Edge(node, kind, timeOf(node), cursors));
  const last = edges.at(-1);
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      get endCursor() {
        return last?.cursor ?? null;
      },
    },
  };
}

class Edge<T extends { id: number }> {
  readonly node: T;
  readonly #kind: CursorKind;
  readonly #time: Date;
  readonly #cursors: CursorCodec;

  constructor(node: T, kind: CursorKind, time: Date, cursors: CursorCodec) {
    this.node = node;
    this.#kind = kind;
    this.#time = time;
    this.#cursors = cursors;
  }

  get cursor(): string {
    return this.#cursors.encode(this.#kind, { time: this.#time, id: this.node.id });
  }
}
