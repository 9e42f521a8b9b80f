import {
  getArgumentValues,
  getNamedType,
  isCompositeType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** What the limits look at in one operation, with fragments counted once per spread. */
export interface OperationShape {
  /** Levels of nested object/list fields (`{ teams { projects { id } } }` is 2). */
  readonly depth: number;
  /** Aliased fields. */
  readonly aliases: number;
  /** Fields selected at the operation's top level. */
  readonly rootFields: number;
  /** The contract's query cost (schema.graphql's header). */
  readonly cost: number;
  /** The first `first` argument outside 0..MAX_PAGE_SIZE, if any. */
  readonly badPageSize?: { readonly field: string; readonly value: unknown };
}

/** Arguments that size a list field, in the order they are looked for. */
export const PAGE_SIZE_ARGUMENTS = ['first', 'limit'] as const;

interface Measure {
  depth: number;
  aliases: number;
  fields: number;
  /** Cost of this selection set when its parent is fetched once. */
  cost: number;
}

/**
 * Measures an operation for the request limits, from the validated document and the request's
 * coerced variable values (`undefined` when they did not coerce: argument values are then not
 * read, sizes fall back to the schema's defaults and `badPageSize` is left to execution).
 *
 * Query cost, as schema.graphql's header defines it: every field that returns an object or a
 * list costs 1, multiplied by the `first` (or its default) of each enclosing list field;
 * scalars are free. A field with a `first` (or `limit`) argument multiplies its children by
 * that value, whether it returns a list or a connection object; a list without one (a
 * connection's `edges`) multiplies by 1, its length being bounded by the enclosing `first`.
 * Every occurrence of a field counts, also when two would merge in the response, and every
 * branch of a union's inline fragments counts, so the cost is an upper bound.
 *
 * Introspection fields (`__schema`, `__type`) touch no data and are left out of depth and
 * cost; graphql-js's MaxIntrospectionDepthRule bounds them instead.
 *
 * Fragments are measured once and reused at every spread (a cost is linear in its parent's
 * multiplier), so a document that spreads fragments exponentially is measured in linear time.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  maxPageSize: number,
): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measuredFragments = new Map<string, Measure>();
  let badPageSize: OperationShape['badPageSize'];

  const pageSizeOf = (field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, fieldName: string): number => {
    for (const name of PAGE_SIZE_ARGUMENTS) {
      const definition = field.args.find((arg) => arg.name === name);
      if (!definition) continue;
      const value = args[name] ?? definition.defaultValue;
      if (name === 'first' && value !== null && value !== undefined && !isPageSize(value, maxPageSize)) {
        badPageSize ??= { field: fieldName, value };
        return 0;
      }
      return typeof value === 'number' && value >= 0 ? value : 1;
    }
    return 1;
  };

  const measureSelectionSet = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType): Measure => {
    const total: Measure = { depth: 0, aliases: 0, fields: 0, cost: 0 };
    const add = (part: Measure) => {
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.fields += part.fields;
      total.cost += part.cost;
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total.fields += 1;
        if (selection.alias) total.aliases += 1;
        const name = selection.name.value;
        if (name.startsWith('__') || !('getFields' in parentType)) continue;
        const field = parentType.getFields()[name];
        if (!field || !selection.selectionSet) continue;
        const returnType = getNamedType(field.type);
        if (!isCompositeType(returnType)) continue;
        const size = pageSizeOf(field, argumentsOf(field, selection, variables), `${parentType.name}.${name}`);
        const children = measureSelectionSet(selection.selectionSet, returnType);
        total.depth = Math.max(total.depth, 1 + children.depth);
        total.aliases += children.aliases;
        total.cost += 1 + size * children.cost;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parentType;
        if (type && isCompositeType(type)) add(measureSelectionSet(selection.selectionSet, type));
      } else {
        add(measureFragment(selection.name.value));
      }
    }
    return total;
  };

  const measureFragment = (name: string): Measure => {
    const known = measuredFragments.get(name);
    if (known) return known;
    const none: Measure = { depth: 0, aliases: 0, fields: 0, cost: 0 };
    // Marked before measuring, so a cycle (which validation already refuses) cannot recurse forever.
    measuredFragments.set(name, none);
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    const measured = fragment && type && isCompositeType(type) ? measureSelectionSet(fragment.selectionSet, type) : none;
    measuredFragments.set(name, measured);
    return measured;
  };

  const rootType = schema.getRootType(operation.operation);
  const root = rootType ? measureSelectionSet(operation.selectionSet, rootType) : { depth: 0, aliases: 0, fields: 0, cost: 0 };
  return { depth: root.depth, aliases: root.aliases, rootFields: root.fields, cost: root.cost, badPageSize };
}

/** The field's argument values as execution will see them; none when variables did not coerce. */
function argumentsOf(
  field: GraphQLField<unknown, unknown>,
  node: Parameters<typeof getArgumentValues>[1],
  variables: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (variables === undefined) return {};
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    // Execution reports the same argument error itself, before any resolver runs.
    return {};
  }
}

function isPageSize(value: unknown, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}
