import { GraphQLError, GraphQLObjectType, GraphQLSchema, parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema } from '../../schema/buildSchema';
import { DateTimeScalar, isoTimestamp } from '../../schema/dateTimeScalar';

describe('DateTime scalar', () => {
  const when = new Date('2024-11-29T05:31:16.948Z');

  it('serializes a Date to the string JSON.stringify would have written for it', () => {
    const serialized = DateTimeScalar.serialize(when);
    expect(typeof serialized).toBe('string');
    expect(serialized).toBe('2024-11-29T05:31:16.948Z');
    expect(JSON.stringify({ at: serialized })).toBe(JSON.stringify({ at: when }));
  });

  it('serializes what graphql-scalars accepts the same way, as a string', () => {
    for (const value of ['2024-11-29T06:31:16.948+01:00', when.getTime()]) {
      expect(DateTimeScalar.serialize(value)).toBe(JSON.parse(JSON.stringify(GraphQLDateTime.serialize(value))));
    }
  });

  it('refuses invalid times with a GraphQL error instead of writing null or throwing a RangeError', () => {
    expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow(GraphQLError);
    expect(() => DateTimeScalar.serialize(Number.NaN)).toThrow(GraphQLError);
    expect(() => DateTimeScalar.serialize('yesterday')).toThrow(GraphQLError);
  });

  it("keeps graphql-scalars' name, description and input parsing (a Date for resolvers)", () => {
    expect(DateTimeScalar.name).toBe('DateTime');
    expect(DateTimeScalar.description).toBe(GraphQLDateTime.description);
    expect(DateTimeScalar.parseValue('2024-11-29T05:31:16.948Z')).toEqual(when);
  });

  it('formats every time as toISOString does', () => {
    const edges = ['0000-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '2024-02-29T12:05:09.007Z', '9999-12-31T23:59:59.999Z'];
    const times = edges.map((text) => Date.parse(text));
    // Spread over years 0–9999, and beyond them (six-digit years, which toISOString writes itself).
    for (let i = 0; i < 20_000; i++) times.push(Math.round(-62_167_219_200_000 + ((i * 7_919) % 20_000) * 15_778_800_000 + i * 86_399_001));
    times.push(Date.parse('-000001-06-01T00:00:00.000Z'), Date.parse('+010000-01-01T00:00:00.000Z'));
    const differing = times.filter((time) => isoTimestamp(new Date(time)) !== new Date(time).toISOString());
    expect(differing.map((time) => [isoTimestamp(new Date(time)), new Date(time).toISOString()])).toEqual([]);
    expect(times.length).toBeGreaterThan(20_000);
  });

  it("is the schema's DateTime", () => {
    expect(buildSchema().getType('DateTime')).toBe(DateTimeScalar);
  });

  it('leaves a string (not a Date) in the result of compiled execution', async () => {
    const schema = new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { at: { type: DateTimeScalar } } }) });
    const compiled = compileQuery(schema, parse('{ at }'));
    if (!isCompiledQuery(compiled)) throw new Error(JSON.stringify(compiled));
    const result = await compiled.query({ at: when }, {}, {});
    expect(result).toEqual({ data: { at: '2024-11-29T05:31:16.948Z' } });
  });
});
