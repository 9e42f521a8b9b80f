import { isScaleName, scaleNames, type ScaleName } from './scales';

export interface SeedArguments {
  readonly scale: ScaleName;
  readonly reset: boolean;
}

export const seedUsage = `usage: npm run seed -- --scale ${scaleNames.join('|')} [--reset]`;

/** A command line the seed cannot act on; its message is one line. */
export class SeedArgumentError extends Error {
  override name = 'SeedArgumentError';
}

/**
 * Reads `--scale NAME` (or `--scale=NAME`, default demo) and `--reset` from the arguments after
 * the script name; anything else is an error.
 */
export function parseSeedArguments(args: readonly string[]): SeedArguments {
  let scale: string | undefined;
  let reset = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--reset') reset = true;
    else if (arg === '--scale') {
      scale = args[++i];
      if (scale === undefined || scale.startsWith('--')) throw new SeedArgumentError(`--scale needs a value (${scaleNames.join(', ')})`);
    } else if (arg.startsWith('--scale=')) scale = arg.slice('--scale='.length);
    else throw new SeedArgumentError(`unknown argument "${arg}"; ${seedUsage}`);
  }
  scale ??= 'demo';
  if (!isScaleName(scale)) throw new SeedArgumentError(`unknown scale "${scale}" (expected ${scaleNames.join(', ')})`);
  return { scale, reset };
}
