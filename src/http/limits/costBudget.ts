/**
 * The cost of the operations executing at once, bounded. A request's memory follows what it
 * fetches (its rows, loaders and result tree), and the query cost (operationShape.ts) counts
 * exactly that, so bounding the cost in flight bounds memory where bounding the number of
 * requests (inFlightLimit.ts) cannot: ten requests may be ten notification pages or ten pages
 * of 15,000 comments.
 *
 * Operations wait in arrival order until their cost fits. One operation alone always runs, even
 * if it costs more than the whole budget (MAX_QUERY_COST refuses anything larger), so no request
 * waits forever; cheap operations behind an expensive one wait their turn, which keeps the order
 * fair and the expensive one from starving.
 */
export class CostBudget {
  readonly #capacity: number;
  #inFlight = 0;
  readonly #waiting: { cost: number; start: () => void }[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Cost executing now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Operations waiting for room. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Waits until `cost` fits in the budget, takes it, and returns the function that gives it
   * back (calling it more than once gives it back once).
   */
  async acquire(cost: number): Promise<() => void> {
    if (this.#waiting.length === 0 && this.#fits(cost)) {
      this.#inFlight += cost;
    } else {
      await new Promise<void>((start) => this.#waiting.push({ cost, start }));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= cost;
      this.#startWaiting();
    };
  }

  #fits(cost: number): boolean {
    return this.#inFlight === 0 || this.#inFlight + cost <= this.#capacity;
  }

  #startWaiting(): void {
    while (this.#waiting.length > 0 && this.#fits(this.#waiting[0]!.cost)) {
      const next = this.#waiting.shift()!;
      this.#inFlight += next.cost;
      next.start();
    }
  }
}
