import { Kind, visit, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { measureOperation, PAGE_SIZE_ARGUMENTS, type OperationShape } from './operationShape';

/** Shapes kept per operation: one per distinct set of page sizes its variables gave. */
const MAX_SHAPES_PER_OPERATION = 32;

interface OperationEntry {
  /** Variables used directly as a `first` or `limit` argument: the only ones a shape depends on. */
  readonly pageSizeVariables: readonly string[];
  readonly shapes: Map<string, OperationShape>;
}

/**
 * measureOperation's answers, kept per parsed document and operation. Apollo Server hands every
 * request with the same query text the same parsed document (its document store), so a client
 * that sends the same operation again is measured once, not once per request.
 *
 * Depth, aliases and root fields depend on the document alone; cost and a bad page size depend
 * on the page-size arguments too, so an operation whose `first` is a variable is measured once
 * per distinct value. Other variables (ids, filters) size nothing and do not split the cache. A
 * document is dropped with its last reference (a WeakMap), and each operation keeps at most
 * {@link MAX_SHAPES_PER_OPERATION} shapes, so a client sweeping `first` costs a measure per
 * request, as before, rather than memory.
 */
export class OperationShapes {
  /** The schema every document here was validated against. */
  readonly schema: GraphQLSchema;
  readonly #maxPageSize: number;
  readonly #byDocument = new WeakMap<DocumentNode, Map<OperationDefinitionNode, OperationEntry>>();

  constructor(schema: GraphQLSchema, maxPageSize: number) {
    this.schema = schema;
    this.#maxPageSize = maxPageSize;
  }

  /** The shape of `operation` with these coerced variables (`undefined` when they did not coerce). */
  shapeOf(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): OperationShape {
    let operations = this.#byDocument.get(document);
    if (!operations) this.#byDocument.set(document, (operations = new Map()));
    let entry = operations.get(operation);
    if (!entry) operations.set(operation, (entry = { pageSizeVariables: pageSizeVariablesOf(document), shapes: new Map() }));
    const key = variables === undefined ? '' : JSON.stringify(entry.pageSizeVariables.map((name) => variables[name] ?? null));
    let shape = entry.shapes.get(key);
    if (!shape) {
      shape = measureOperation(this.schema, document, operation, variables, this.#maxPageSize);
      if (entry.shapes.size < MAX_SHAPES_PER_OPERATION) entry.shapes.set(key, shape);
    }
    return shape;
  }
}

/** The variables given directly as a page-size argument anywhere in the document (fragments included). */
function pageSizeVariablesOf(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (node.value.kind === Kind.VARIABLE && (PAGE_SIZE_ARGUMENTS as readonly string[]).includes(node.name.value)) {
        names.add(node.value.name.value);
      }
    },
  });
  return [...names].sort();
}
