import { createUnionType } from 'type-graphql';
import { Comment } from './Comment';
import { CrsDocument } from './CrsDocument';
import { Invitation } from './Invitation';
import { Project } from './Project';
import { Team } from './Team';
import { Message } from './Message';

/**
 * A row handed to a union field carries the name of its GraphQL type, which the executor's
 * default type resolution reads (schema/buildSchema.ts removes TypeGraphQL's resolveType).
 */
export type Typed<T> = T & { __typename: string };

export const NotificationSubject = createUnionType({
  name: 'NotificationSubject',
  types: () => [Project, Team, CrsDocument, Comment, Invitation] as const,
});

export const MemorySource = createUnionType({
  name: 'MemorySource',
  types: () => [CrsDocument, Comment, Message] as const,
});
