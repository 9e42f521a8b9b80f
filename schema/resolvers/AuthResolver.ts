import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { DECOY_HASH, hashPassword, verifyPassword } from '../../src/auth/password';
import { issueToken } from '../../src/auth/tokens';
import { isDuplicateKey } from '../../src/db/errors';
import { conflict, unauthenticated } from '../../src/errors';
import type { GraphQLContext } from '../context';
import { AuthPayload } from '../types/AuthPayload';
import { requireEmail, requirePassword, requireText } from '../validation';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, {
    description:
      'Creates an account. BAD_USER_INPUT for a malformed email or a password under 8 characters; CONFLICT when the email is taken.',
  })
  async signUp(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Arg('fullName', () => String) fullName: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    const user = {
      email: requireEmail(email),
      fullName: requireText(fullName, 'fullName', 200),
      passwordHash: await hashPassword(requirePassword(password)),
    };
    let id: number;
    try {
      const result = await ctx.db.insertInto('users').values(user).executeTakeFirstOrThrow();
      id = Number(result.insertId);
    } catch (error) {
      if (isDuplicateKey(error)) throw conflict('email: an account with this email already exists; sign in instead.');
      throw error;
    }
    const row = { id, ...user, createdAt: new Date() };
    ctx.loaders.userById.prime(id, row);
    return { ...issueToken(id, ctx.jwtSecret), user: row };
  }

  @Mutation(() => AuthPayload, {
    description: 'Bad credentials are UNAUTHENTICATED with the same message for unknown email and wrong password.',
  })
  async login(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    // Refused before any lookup or hashing once this email or address failed too often.
    await ctx.loginThrottle.assertAllowed(email, ctx.clientAddress);
    const user = await ctx.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    // Compare against a decoy when the email is unknown, so both failures take as long.
    const matches = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
    if (!user || !matches) {
      await ctx.loginThrottle.recordFailure(email, ctx.clientAddress);
      throw unauthenticated('Email or password is incorrect.');
    }
    await ctx.loginThrottle.recordSuccess(email);
    ctx.loaders.userById.prime(user.id, user);
    return { ...issueToken(user.id, ctx.jwtSecret), user };
  }
}
