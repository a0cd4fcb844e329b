import { describe, expect, it } from 'vitest';

import type { ClearPlan } from './bindings/ClearPlan';
import { isoDate, planMatches, SCOPE_KINDS, scopeOf, startOfDate } from './clear-scope';

const planOf = (scope: ClearPlan['scope']) => ({ scope }) as ClearPlan;

describe('the choice of what to clear', () => {
  it('offers everything first', () => {
    expect(SCOPE_KINDS).toEqual(['all', 'threads', 'settings', 'archivedThreads', 'threadsBefore']);
  });

  it('reads a date as the start of that day, local time', () => {
    expect(startOfDate('2025-11-12')).toBe(new Date(2025, 10, 12).getTime());
    expect(startOfDate(' 2025-11-12 ')).toBe(new Date(2025, 10, 12).getTime());
    for (const bad of ['', '2025-13-01', '2025-02-30', '12/11/2025', '2025-1-1']) expect(startOfDate(bad)).toBeNull();
    expect(isoDate(new Date(2025, 0, 5, 23, 59).getTime())).toBe('2025-01-05');
    expect(startOfDate(isoDate(Date.UTC(2024, 1, 29, 12)))).not.toBeNull();
  });

  it('means a scope, or none when "before a date" has no date', () => {
    expect(scopeOf({ scope: 'all', before: '' })).toEqual({ kind: 'all' });
    expect(scopeOf({ scope: 'archivedThreads', before: 'x' })).toEqual({ kind: 'archivedThreads' });
    expect(scopeOf({ scope: 'threadsBefore', before: '2025-11-12' })).toEqual({
      kind: 'threadsBefore',
      beforeMs: new Date(2025, 10, 12).getTime(),
    });
    expect(scopeOf({ scope: 'threadsBefore', before: '' })).toBeNull();
  });

  it('can be confirmed only with the plan of that very choice', () => {
    const day = new Date(2025, 10, 12).getTime();
    const choice = (scope: 'all' | 'threads' | 'threadsBefore', plan: ClearPlan | null, before = '2025-11-12') => ({
      scope,
      before,
      plan,
      refused: null,
    });
    expect(planMatches(choice('all', planOf({ kind: 'all' })))).toBe(true);
    expect(planMatches(choice('all', { scope: undefined } as unknown as ClearPlan))).toBe(true);
    expect(planMatches(choice('threads', planOf({ kind: 'all' })))).toBe(false);
    expect(planMatches(choice('threadsBefore', planOf({ kind: 'threadsBefore', beforeMs: day })))).toBe(true);
    expect(planMatches(choice('threadsBefore', planOf({ kind: 'threadsBefore', beforeMs: day + 1 })))).toBe(false);
    expect(planMatches(choice('threadsBefore', planOf({ kind: 'threadsBefore', beforeMs: day }), ''))).toBe(false);
    expect(planMatches(choice('all', null))).toBe(false);
    expect(planMatches({ ...choice('all', planOf({ kind: 'all' })), refused: new Error('no') })).toBe(false);
  });
});
