import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../../schema/context';

/** The contract's mutations that write memory (they call enqueueMemory in their transaction). */
const MEMORY_WRITING_MUTATIONS: ReadonlySet<string> = new Set([
  'createCrsDocument',
  'updateCrsDocument',
  'addComment',
  'postMessage',
]);

/**
 * Wakes the memory outbox worker once a mutation that writes memory has committed, so new text
 * becomes searchable within a batch instead of at the next poll. Other operations (logins,
 * queries) leave the worker asleep.
 */
export function outboxWakeUpPlugin(worker: { notify(): void }): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation }) {
          if (operation?.operation !== 'mutation') return;
          const writesMemory = operation.selectionSet.selections.some(
            (selection) => selection.kind === 'Field' && MEMORY_WRITING_MUTATIONS.has(selection.name.value),
          );
          if (writesMemory) worker.notify();
        },
      };
    },
  };
}
