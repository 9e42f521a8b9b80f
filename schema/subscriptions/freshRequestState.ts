import type { GraphQLContext } from '../context';

/**
 * A subscription keeps one context for its whole life, so before each row it sends it drops what
 * the previous one loaded: the loaders' rows and the viewer's record, which the next visibility
 * check takes from the process's viewer cache again (no statement while memberships are unchanged;
 * membership writes invalidate the cache on every instance).
 */
export function forgetLoaded(ctx: GraphQLContext): void {
  for (const loader of Object.values(ctx.loaders)) loader.clearAll();
  ctx.viewer.forgetMemberships();
}
