import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext, RequestTimings } from '../../schema/context';

/** A request's timed parts (ctx.timings). */
export class ServerTimings implements RequestTimings {
  readonly #milliseconds = new Map<string, number>();

  add(name: string, milliseconds: number): void {
    this.#milliseconds.set(name, (this.#milliseconds.get(name) ?? 0) + milliseconds);
  }

  entries(): [string, number][] {
    return [...this.#milliseconds];
  }
}

/**
 * Sends the parts of work a request timed (ctx.timings: a search's embedding and Chroma query) in
 * a `Server-Timing` header (W3C Server Timing), e.g. `embedding;dur=31.2, chroma;dur=11.0`, so a
 * client or a benchmark can tell them from the rest of the request. Requests that timed nothing
 * get no header.
 */
export function serverTimingPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const timed = contextValue.timings.entries();
          if (timed.length > 0) response.http.headers.set('server-timing', timed.map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(', '));
        },
      };
    },
  };
}
