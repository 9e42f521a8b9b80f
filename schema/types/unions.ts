import { createUnionType } from 'type-graphql';
import { Comment } from './Comment';
import { CrsDocument } from './CrsDocument';
import { Invitation } from './Invitation';
import { Project } from './Project';
import { Team } from './Team';
import { Message } from './Message';

/** A row handed to a union field carries the name of its GraphQL type. */
export type Typed<T> = T & { __typename: string };

/** Union members are plain rows tagged with `__typename` by the resolver that returns them. */
function typeNameOf(value: object): string | undefined {
  return (value as { __typename?: string }).__typename;
}

export const NotificationSubject = createUnionType({
  name: 'NotificationSubject',
  types: () => [Project, Team, CrsDocument, Comment, Invitation] as const,
  resolveType: typeNameOf,
});

export const MemorySource = createUnionType({
  name: 'MemorySource',
  types: () => [CrsDocument, Comment, Message] as const,
  resolveType: typeNameOf,
});
