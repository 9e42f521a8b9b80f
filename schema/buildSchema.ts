import 'reflect-metadata';
import { GraphQLSchema, GraphQLUnionType, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchemaSync, type NonEmptyArray, type PubSub } from 'type-graphql';
import { DateTimeScalar } from './dateTimeScalar';
import { AuthResolver } from './resolvers/AuthResolver';
import { ChatMutationResolver } from './resolvers/ChatMutationResolver';
import { ChatSessionResolver } from './resolvers/ChatSessionResolver';
import { CommentMutationResolver } from './resolvers/CommentMutationResolver';
import { CommentResolver } from './resolvers/CommentResolver';
import { CrsDocumentResolver } from './resolvers/CrsDocumentResolver';
import { CrsMutationResolver } from './resolvers/CrsMutationResolver';
import { InvitationMutationResolver } from './resolvers/InvitationMutationResolver';
import { InvitationResolver } from './resolvers/InvitationResolver';
import { MemberMutationResolver } from './resolvers/MemberMutationResolver';
import { MemoryResolver } from './resolvers/MemoryResolver';
import { MessageResolver } from './resolvers/MessageResolver';
import { NotificationMutationResolver } from './resolvers/NotificationMutationResolver';
import { NotificationConnectionResolver, NotificationResolver } from './resolvers/NotificationResolver';
import { ProjectMutationResolver } from './resolvers/ProjectMutationResolver';
import { ProjectResolver } from './resolvers/ProjectResolver';
import { QueryResolver } from './resolvers/QueryResolver';
import { SubscriptionResolver } from './resolvers/SubscriptionResolver';
import { TeamMemberResolver } from './resolvers/TeamMemberResolver';
import { TeamMutationResolver } from './resolvers/TeamMutationResolver';
import { TeamResolver } from './resolvers/TeamResolver';
import { UserResolver } from './resolvers/UserResolver';

// eslint-disable-next-line @typescript-eslint/ban-types
const resolvers: NonEmptyArray<Function> = [
  QueryResolver,
  AuthResolver,
  TeamMutationResolver,
  InvitationMutationResolver,
  MemberMutationResolver,
  ProjectMutationResolver,
  CrsMutationResolver,
  CommentMutationResolver,
  NotificationMutationResolver,
  ChatMutationResolver,
  UserResolver,
  TeamResolver,
  TeamMemberResolver,
  ProjectResolver,
  CrsDocumentResolver,
  CommentResolver,
  InvitationResolver,
  NotificationResolver,
  NotificationConnectionResolver,
  ChatSessionResolver,
  MessageResolver,
  MemoryResolver,
  SubscriptionResolver,
];

let built: GraphQLSchema | undefined;

const unusedPubSub: PubSub = {
  publish: () => {
    throw new Error('Subscriptions publish through src/events/liveEvents.ts, not TypeGraphQL\'s PubSub.');
  },
  subscribe: () => {
    throw new Error('Subscriptions bring their own subscribe function (schema/subscriptions/).');
  },
};

/** The executable schema, built once per process (TypeGraphQL's metadata is global anyway). */
export function buildSchema(): GraphQLSchema {
  built ??= withSynchronousTypeResolution(
    buildSchemaSync({
      resolvers,
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
      // Inputs are checked by the resolvers themselves, with messages that name the field.
      validate: false,
      // TypeGraphQL wants a PubSub once there are subscriptions; ours all bring their own
      // `subscribe` (schema/subscriptions/), so nothing ever calls it.
      pubSub: unusedPubSub,
    }),
  );
  return built;
}

/**
 * Union members are rows tagged with `__typename` (schema/types/unions.ts), which both executors'
 * default type resolution reads synchronously. TypeGraphQL's own resolveType (an async function,
 * or an `instanceof` test of its classes) would cost a promise per union value, fail on plain
 * rows, and is not awaited by graphql-jit; so the unions keep none.
 */
function withSynchronousTypeResolution(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type instanceof GraphQLUnionType) type.resolveType = undefined;
  }
  return schema;
}

/** The SDL committed as schema/schema.graphql, sorted so diffs stay readable. */
export function printSchemaSdl(schema: GraphQLSchema = buildSchema()): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
