import { GraphQLError, type ValidationContext, type ASTVisitor } from 'graphql';

/**
 * Validation rule: an operation's type must have a root type in the schema. graphql-js only
 * finds out at execution ("Schema is not configured to execute subscription operation"), an
 * error without a code that would reach the client as INTERNAL_SERVER_ERROR; as a validation
 * error it is the client's GRAPHQL_VALIDATION_FAILED.
 */
export function ExecutableOperationsRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (!context.getSchema().getRootType(node.operation)) {
        context.reportError(new GraphQLError(`This API has no ${node.operation} operations.`, { nodes: node }));
      }
    },
  };
}
