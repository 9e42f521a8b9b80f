import { GraphQLError, GraphQLScalarType } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';

const dateTime = GraphQLDateTime.toConfig();

/**
 * The contract's `DateTime`: graphql-scalars' scalar (its name, description and input parsing),
 * except that a value leaves execution as its RFC 3339 string (`Date.prototype.toISOString`,
 * e.g. `2024-11-29T05:31:16.948Z`) instead of as the Date itself.
 *
 * The response text is the same either way, because JSON.stringify writes a Date through its
 * `toJSON`, which is `toISOString`. But a Date left in the result makes JSON.stringify leave its
 * fast path and call back into JavaScript for every value: for the nested query's 15,000
 * comments that was ~45 of ~70 ms of stringifying (bench/FINDINGS.md).
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  ...dateTime,
  serialize(value: unknown): string {
    const date = dateTime.serialize(value) as Date;
    // graphql-scalars turns a number into a Date without checking it.
    if (Number.isNaN(date.getTime())) throw new GraphQLError(`DateTime cannot represent ${String(value)}: it is not a valid time.`);
    return date.toISOString();
  },
});
