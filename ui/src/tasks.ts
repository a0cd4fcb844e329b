// What the user came for, computed from the reports the UI already holds: the
// one status the panel opens with (and which findings it already tells), the
// state of the threads, and the thread list helpers (newest first, filter).
// Pure functions: no DOM, no words (view.ts words them).

import type { FindingCode } from './bindings/FindingCode';
import type { GenerationId } from './bindings/GenerationId';
import type { Inspection } from './bindings/Inspection';
import type { LockReason } from './bindings/LockReason';
import type { LockedRecoveryReport } from './bindings/LockedRecoveryReport';
import type { ThreadSummary } from './bindings/ThreadSummary';

export type StatusKind =
  | 'loading'
  /** Everything the installed XWorkmate reads is readable. */
  | 'ok'
  /** Nothing is saved in the folder (or it does not exist). */
  | 'empty'
  /** Older (sealed) data can be opened and recovered. */
  | 'recoverable'
  /** Older data is sealed and no key at hand opens it. */
  | 'locked'
  /** The database is damaged. */
  | 'damaged'
  /** The database cannot be read now (held by another program, or no permission): not damage. */
  | 'db-unavailable'
  /** A later XWorkmate is in use and does not show the threads an earlier one left. */
  | 'left-behind'
  /** Recovery could not even look (a read error). */
  | 'failed';

/** Where a document of generation A can still be read when the database cannot. */
export type MirrorState = 'plain' | 'sealed' | 'unreadable' | 'missing';

export interface TaskStatus {
  kind: StatusKind;
  /** The findings this status already tells (not repeated as notes under it). */
  covers: FindingCode[];
  /** damaged: each mirror file's state. */
  mirrors?: { settings: MirrorState; threads: MirrorState };
  /** damaged: threads readable from the mirror file. */
  mirrorThreads?: number;
  /** locked: the reasons of the locked sources, in order, once each. */
  reasons?: LockReason[];
  /** left-behind: the version in use, and the earlier ones with threads it does not show. */
  current?: { id: GenerationId; versions: string };
  older?: Array<{ id: GenerationId; versions: string; threads: number }>;
  /** db-unavailable: the finding that says why. */
  finding?: FindingCode;
}

const THREADS_KEY = 'xworkmate.assistant.threads';
const SETTINGS_KEY = 'xworkmate.settings.snapshot';

function mirrorState(i: Inspection, storageKey: string): MirrorState {
  const row = i.storage.find((s) => s.storageKey === storageKey);
  const form = row?.mirror?.form ?? 'missing';
  return form;
}

/** The one status the panel opens with. */
export function taskStatus(i: Inspection | null, r: LockedRecoveryReport | null): TaskStatus {
  if (!i) return { kind: 'loading', covers: [] };
  const always: FindingCode[] = ['xworkmate_running'];
  const current = i.generations.find((g) => g.current);
  const currentIsA = !current || current.id === 'A';
  const integrity = i.database.integrity;
  if (currentIsA && integrity === 'corrupt') {
    const mirrors = { settings: mirrorState(i, SETTINGS_KEY), threads: mirrorState(i, THREADS_KEY) };
    const covers: FindingCode[] = [...always, 'database_corrupt'];
    if (mirrors.settings === 'unreadable' || mirrors.threads === 'unreadable') covers.push('unreadable_value');
    const status: TaskStatus = { kind: 'damaged', covers, mirrors };
    if (i.threads.present && i.threads.source === 'mirror') status.mirrorThreads = i.threads.count;
    return status;
  }
  if (currentIsA && (integrity === 'locked' || integrity === 'unreadable')) {
    const finding: FindingCode = integrity === 'locked' ? 'database_locked' : 'database_unreadable';
    return { kind: 'db-unavailable', covers: [...always, finding], finding };
  }
  if (r?.status === 'locked_legacy_state') {
    const reasons: LockReason[] = [];
    for (const s of r.sources) {
      if (s.state === 'locked' && s.reason && !reasons.includes(s.reason)) reasons.push(s.reason);
    }
    return { kind: 'locked', covers: [...always, 'sealed_legacy'], reasons };
  }
  if (r?.status === 'recoverable') return { kind: 'recoverable', covers: [...always, 'sealed_legacy'] };
  if (r?.status === 'failed') return { kind: 'failed', covers: always };
  if (current && current.id !== 'A') {
    const older = i.generations
      .filter((g) => !g.current && g.threads.stored > 0)
      .map((g) => ({ id: g.id, versions: g.versions, threads: g.threads.stored }));
    if (older.length > 0) {
      return {
        kind: 'left-behind',
        covers: [...always, 'threads_left_behind'],
        current: { id: current.id, versions: current.versions },
        older,
      };
    }
  }
  const nothingSaved =
    !i.dataDirExists ||
    (i.generations.length === 0 && !i.settings.present && !i.threads.present && integrity === 'missing');
  if (nothingSaved) return { kind: 'empty', covers: [...always, 'data_dir_missing'] };
  return { kind: 'ok', covers: always };
}

/**
 * Generation A's threads: readable (and counted), none saved, sealed (in a
 * legacy value or backup: recovery may bring them back), or present but
 * unreadable (never "no threads" then).
 */
export type ThreadsState = 'readable' | 'none' | 'sealed' | 'unreadable';

export function threadsState(i: Inspection): ThreadsState {
  if (i.threads.present) return 'readable';
  const row = i.storage.find((s) => s.storageKey === THREADS_KEY);
  const forms = [row?.sqlite.form, row?.mirror?.form];
  if (forms.includes('sealed')) return 'sealed';
  if (i.legacy.backup?.sealed) return 'sealed';
  if (forms.includes('unreadable')) return 'unreadable';
  if (['corrupt', 'locked', 'unreadable'].includes(i.database.integrity)) return 'unreadable';
  return 'none';
}

/** How many threads the list shows before "Show all". */
export const NEWEST_THREADS = 5;
/** How many threads the full list shows at most (a filter narrows it). */
export const MAX_LISTED_THREADS = 200;

/** Newest first (by last update; undated ones last, in their saved order). */
export function newestFirst(threads: readonly ThreadSummary[]): ThreadSummary[] {
  return threads
    .map((t, n) => ({ t, n }))
    .sort((a, b) => {
      const x = a.t.updatedAtMs;
      const y = b.t.updatedAtMs;
      if (x === y) return a.n - b.n;
      if (x === null) return 1;
      if (y === null) return -1;
      return y - x;
    })
    .map(({ t }) => t);
}

/**
 * The threads whose title contains `query` (any case, surrounding spaces
 * ignored); an untitled thread is matched by `untitled`, the word shown for it.
 */
export function filterThreads(threads: readonly ThreadSummary[], query: string, untitled: string): ThreadSummary[] {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return [...threads];
  return threads.filter((t) => (t.title || untitled).toLocaleLowerCase().includes(q));
}

export interface ThreadListView {
  /** The threads shown, newest first. */
  shown: ThreadSummary[];
  /** How many match (all of them without a filter). */
  matching: number;
  total: number;
  /** There are more than the newest few: "Show all" is offered. */
  more: boolean;
}

/** What the thread list shows: the newest few, or (all = true) every match of the filter, capped. */
export function threadListView(
  threads: readonly ThreadSummary[],
  options: { all: boolean; filter: string; untitled: string },
): ThreadListView {
  const sorted = newestFirst(threads);
  const more = sorted.length > NEWEST_THREADS;
  if (!options.all || !more) {
    return { shown: sorted.slice(0, NEWEST_THREADS), matching: sorted.length, total: sorted.length, more };
  }
  const matching = filterThreads(sorted, options.filter, options.untitled);
  return { shown: matching.slice(0, MAX_LISTED_THREADS), matching: matching.length, total: sorted.length, more };
}
