import type { Random } from './prng';

/**
 * Children spread over parents, each parent's children holding consecutive ids (so a parent's
 * children are a range, found without reading anything back): the children of parent p are
 * ids `first(p)` … `first(p) + count(p) - 1`. Ids of both start at 1.
 */
export class ChildRanges {
  readonly #start: Uint32Array;
  readonly #parentOf: Uint32Array;

  constructor(counts: Uint32Array) {
    const parents = counts.length - 1;
    this.#start = new Uint32Array(parents + 2);
    let next = 1;
    for (let parent = 1; parent <= parents; parent++) {
      this.#start[parent] = next;
      next += counts[parent]!;
    }
    this.#start[parents + 1] = next;
    this.#parentOf = new Uint32Array(next);
    for (let parent = 1; parent <= parents; parent++) {
      this.#parentOf.fill(parent, this.#start[parent], this.#start[parent + 1]);
    }
  }

  get childCount(): number {
    return this.#parentOf.length - 1;
  }

  first(parent: number): number {
    return this.#start[parent]!;
  }

  count(parent: number): number {
    return this.#start[parent + 1]! - this.#start[parent]!;
  }

  parentOf(child: number): number {
    return this.#parentOf[child]!;
  }

  /** A random child of `parent`, or undefined when it has none. */
  pickChild(random: Random, parent: number): number | undefined {
    const count = this.count(parent);
    return count === 0 ? undefined : this.first(parent) + random.below(count);
  }
}

/**
 * Spreads `childCount` children over parents 1…`parentCount`: parents for which `fixedCount`
 * returns a number get exactly that many, the others share the rest uniformly at random.
 */
export function distribute(
  random: Random,
  parentCount: number,
  childCount: number,
  fixedCount: (parent: number) => number | undefined,
): ChildRanges {
  const counts = new Uint32Array(parentCount + 1);
  const freeParents: number[] = [];
  let remaining = childCount;
  for (let parent = 1; parent <= parentCount; parent++) {
    const fixed = fixedCount(parent);
    if (fixed === undefined) freeParents.push(parent);
    else {
      counts[parent] = fixed;
      remaining -= fixed;
    }
  }
  if (remaining < 0 || (remaining > 0 && freeParents.length === 0)) {
    throw new RangeError(`cannot spread ${childCount} children over ${parentCount} parents with the fixed shares given`);
  }
  for (let i = 0; i < remaining; i++) counts[freeParents[random.below(freeParents.length)]!]! += 1;
  return new ChildRanges(counts);
}
