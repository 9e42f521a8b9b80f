import { CostBudget } from '../../src/http/limits/costBudget';

/** Lets every promise callback that is ready run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CostBudget', () => {
  it('lets operations run together while their costs fit, and makes the next one wait', async () => {
    const budget = new CostBudget(100);
    const first = await budget.acquire(60);
    const second = await budget.acquire(40);
    expect(budget.inFlight).toBe(100);

    let thirdStarted = false;
    const third = budget.acquire(30).then((release) => ((thirdStarted = true), release));
    await settle();
    expect(thirdStarted).toBe(false);
    expect(budget.waiting).toBe(1);

    first();
    await settle();
    expect(thirdStarted).toBe(true);
    expect(budget.inFlight).toBe(70);
    second();
    (await third)();
    expect(budget.inFlight).toBe(0);
  });

  it('runs an operation costing more than the budget, alone', async () => {
    const budget = new CostBudget(100);
    const small = await budget.acquire(10);
    let bigStarted = false;
    const big = budget.acquire(250).then((release) => ((bigStarted = true), release));
    await settle();
    expect(bigStarted).toBe(false);
    small();
    await settle();
    expect(bigStarted).toBe(true);
    expect(budget.inFlight).toBe(250);
    (await big)();
    expect(budget.inFlight).toBe(0);
  });

  it('keeps arrival order: a cheap operation does not overtake an expensive one waiting', async () => {
    const budget = new CostBudget(100);
    const running = await budget.acquire(90);
    const started: string[] = [];
    const expensive = budget.acquire(50).then((release) => (started.push('expensive'), release));
    const cheap = budget.acquire(5).then((release) => (started.push('cheap'), release));
    await settle();
    expect(started).toEqual([]);
    running();
    await settle();
    expect(started).toEqual(['expensive', 'cheap']);
    (await expensive)();
    (await cheap)();
  });

  it('gives a cost back once, however often it is released', async () => {
    const budget = new CostBudget(100);
    const release = await budget.acquire(30);
    const other = await budget.acquire(20);
    release();
    release();
    expect(budget.inFlight).toBe(20);
    other();
    expect(budget.inFlight).toBe(0);
  });
});
