import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects `fieldName` directly under it, through inline
 * fragments and named fragment spreads too. `@skip`/`@include` are not evaluated, so the answer
 * may be a false "yes": use it to choose how to load, never to decide what is returned.
 */
export function selectsField(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, fieldName: string): boolean {
  const visited = new Set<string>();
  const search = (selectionSet: SelectionSetNode | undefined): boolean =>
    selectionSet?.selections.some((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return selection.name.value === fieldName;
        case Kind.INLINE_FRAGMENT:
          return search(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          if (visited.has(name)) return false;
          visited.add(name);
          return search(info.fragments[name]?.selectionSet);
        }
        default:
          return false;
      }
    }) ?? false;
  return info.fieldNodes.some((node) => search(node.selectionSet));
}
