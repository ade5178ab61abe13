import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const policy = { initialMs: 100, maxMs: 1_000 };

  it('doubles from the initial delay, with half of it jittered', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 1)).toBe(800);
  });

  it('never exceeds the maximum, however many attempts', () => {
    expect(backoffDelay(50, policy, () => 1)).toBe(1_000);
    expect(backoffDelay(10_000, policy, () => 0.5)).toBe(750);
  });
});
