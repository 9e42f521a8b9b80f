import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects the path of fields `fieldNames` under it (one name:
 * a direct subfield; `'edges', 'node', 'subject'`: that field of a connection's nodes), through
 * inline fragments and named fragment spreads too. `@skip`/`@include` are not evaluated, so the
 * answer may be a false "yes": use it to choose how to load, never to decide what is returned.
 */
export function selectsField(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, ...fieldNames: string[]): boolean {
  const fieldsNamed = (selectionSet: SelectionSetNode | undefined, name: string, visited: Set<string>): FieldNode[] =>
    selectionSet?.selections.flatMap((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return selection.name.value === name ? [selection] : [];
        case Kind.INLINE_FRAGMENT:
          return fieldsNamed(selection.selectionSet, name, visited);
        case Kind.FRAGMENT_SPREAD: {
          const fragment = selection.name.value;
          if (visited.has(fragment)) return [];
          visited.add(fragment);
          return fieldsNamed(info.fragments[fragment]?.selectionSet, name, visited);
        }
        default:
          return [];
      }
    }) ?? [];
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of fieldNames) {
    level = level.flatMap((node) => fieldsNamed(node.selectionSet, name, new Set()));
    if (level.length === 0) return false;
  }
  return true;
}
