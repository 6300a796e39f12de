import { describe, expect, it } from 'vitest';
import { eachLimited } from '../src/parallel.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('eachLimited', () => {
  it.each([1, 2, 5])('keeps the order and at most %i at a time', async (limit) => {
    let running = 0;
    let most = 0;
    const results = await eachLimited([1, 2, 3, 4], limit, async (n) => {
      most = Math.max(most, ++running);
      await tick();
      running--;
      return n * 10;
    });
    expect(results).toEqual([10, 20, 30, 40]);
    expect(most).toBe(Math.min(limit, 4));
  });

  it('starts nothing after a failure, awaits what runs, and throws the failure', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    await expect(
      eachLimited([1, 2, 3, 4], 2, async (n) => {
        started.push(n);
        if (n === 1) throw new Error('one failed');
        await tick();
        finished.push(n);
        return n;
      }),
    ).rejects.toThrow('one failed');
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([2]);
  });
});
