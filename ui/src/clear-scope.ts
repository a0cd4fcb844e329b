// The clear dialog's choice of what to clear (generation A): everything, the
// threads or the settings only, the archived threads, or the threads last
// updated before a date — and whether the plan shown is the plan of that choice.

import type { ClearPlan } from './bindings/ClearPlan';
import type { ClearScope } from './bindings/ClearScope';

export type ScopeKind = ClearScope['kind'];
/** In the order the dialog offers them; everything first (the default). */
export const SCOPE_KINDS: readonly ScopeKind[] = ['all', 'threads', 'settings', 'archivedThreads', 'threadsBefore'];

/** The dialog's choice: a part, and the date of "last updated before" (`YYYY-MM-DD`, local; '' when empty). */
export interface PartChoice {
  scope: ScopeKind;
  before: string;
}

/** The local date `YYYY-MM-DD` of `ms`. */
export function isoDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The start (local midnight) of the date `YYYY-MM-DD`, or `null` when it is not one. */
export function startOfDate(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(y, mo - 1, d);
  if (at.getFullYear() !== y || at.getMonth() !== mo - 1 || at.getDate() !== d) return null;
  return at.getTime();
}

/** The scope the dialog's choice means, or `null` when it needs a date it does not have. */
export function scopeOf(c: PartChoice): ClearScope | null {
  if (c.scope !== 'threadsBefore') return { kind: c.scope };
  const beforeMs = startOfDate(c.before);
  return beforeMs === null ? null : { kind: 'threadsBefore', beforeMs };
}

/** True when the plan shown is the plan of the part chosen (only then can it be confirmed). */
export function planMatches(c: PartChoice & { plan: ClearPlan | null; refused: unknown }): boolean {
  if (!c.plan || c.refused) return false;
  const wanted = scopeOf(c);
  const shown = c.plan.scope ?? { kind: 'all' };
  if (!wanted) return false;
  if (wanted.kind !== shown.kind) return false;
  return wanted.kind !== 'threadsBefore' || (shown.kind === 'threadsBefore' && shown.beforeMs === wanted.beforeMs);
}

