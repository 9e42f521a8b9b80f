/**
 * Measures every side once per repetition, rotating which side goes first (A B, B A, A B for
 * two sides), so that a shared machine's drift falls on all sides alike. Returns each side's
 * results in repetition order, ready for stats.pairedRatios.
 */
export async function alternate<S extends string, T>(
  sides: readonly S[],
  repetitions: number,
  measure: (side: S, repetition: number) => Promise<T>,
): Promise<Record<S, T[]>> {
  const results = Object.fromEntries(sides.map((side) => [side, [] as T[]])) as Record<S, T[]>;
  for (let repetition = 0; repetition < repetitions; repetition++) {
    const order = repetition % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) results[side].push(await measure(side, repetition));
  }
  return results;
}
