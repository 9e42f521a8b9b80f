import { buildSchema, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { measureOperation } from '../../src/http/limits/operationShape';
import { OperationShapes } from '../../src/http/limits/operationShapes';

const schema = buildSchema(`
  type Query { project(id: ID!): Project, projects(first: Int = 20): [Project!]! }
  type Project { id: ID!, comments(first: Int = 20): [Comment!]! }
  type Comment { id: ID!, author: User! }
  type User { id: ID! }
`);

const operationOf = (document: DocumentNode) => document.definitions[0] as OperationDefinitionNode;
/** What measuring afresh answers: the cache must answer the same. */
const measured = (document: DocumentNode, variables: Record<string, unknown> | undefined) =>
  measureOperation(schema, document, operationOf(document), variables, 200);

describe('OperationShapes', () => {
  const document = parse(`query ($id: ID!, $n: Int) { project(id: $id) { comments(first: $n) { author { id } } } projects { ...P } }
    fragment P on Project { comments(first: 3) { id } }`);
  const operation = operationOf(document);

  it('measures an operation once per page size, whatever its other variables', () => {
    const shapes = new OperationShapes(schema, 200);
    const ten = shapes.shapeOf(document, operation, { id: '1', n: 10 });
    // project 1 + (comments 1 + 10 × author 1) + projects 1 + 20 × (comments 1)
    expect(ten).toMatchObject({ depth: 3, rootFields: 2, cost: 1 + 1 + 10 + 1 + 20 });
    expect(shapes.shapeOf(document, operation, { id: '2', n: 10 })).toBe(ten);
    const five = shapes.shapeOf(document, operation, { id: '1', n: 5 });
    expect(five).not.toBe(ten);
    expect(five).toEqual(measured(document, { id: '1', n: 5 }));
    // No value and null both leave the argument's default.
    expect(shapes.shapeOf(document, operation, { id: '1' })).toEqual(measured(document, { id: '1' }));
    expect(shapes.shapeOf(document, operation, { id: '1', n: null })).toBe(shapes.shapeOf(document, operation, { id: '1' }));
  });

  it('keeps variables that did not coerce apart, and a bad page size with its shape', () => {
    const shapes = new OperationShapes(schema, 200);
    const uncoerced = shapes.shapeOf(document, operation, undefined);
    expect(uncoerced).toEqual(measured(document, undefined));
    expect(shapes.shapeOf(document, operation, { id: '1', n: 500 }).badPageSize).toEqual({ field: 'Project.comments', value: 500 });
    expect(shapes.shapeOf(document, operation, undefined)).toBe(uncoerced);
  });

  it('answers as measuring afresh does past the number of shapes it keeps', () => {
    const shapes = new OperationShapes(schema, 200);
    for (const n of [...Array(201).keys(), -1, 201, 10, 150]) {
      expect(shapes.shapeOf(document, operation, { id: '1', n })).toEqual(measured(document, { id: '1', n }));
    }
  });

  it('measures each parse of a text on its own, to the same shape', () => {
    const shapes = new OperationShapes(schema, 200);
    const text = '{ projects(first: 7) { comments { author { id } } } }';
    const [one, two] = [parse(text), parse(text)];
    expect(shapes.shapeOf(one, operationOf(one), {})).not.toBe(shapes.shapeOf(two, operationOf(two), {}));
    expect(shapes.shapeOf(one, operationOf(one), {})).toEqual(shapes.shapeOf(two, operationOf(two), {}));
    expect(shapes.shapeOf(one, operationOf(one), {}).cost).toBe(1 + 7 * (1 + 20 * 1));
  });
});
