import { describe, expect, it } from 'vitest';

import type { ThreadSummary } from './bindings/ThreadSummary';
import { FakeBackend, SAMPLE_APP_INFO, sampleThreads, type Scenario } from './fake-backend';
import {
  filterThreads,
  MAX_LISTED_THREADS,
  newestFirst,
  NEWEST_THREADS,
  taskStatus,
  threadListView,
  threadsState,
} from './tasks';

async function reports(scenario: Scenario, threadCount?: number) {
  const b = new FakeBackend(SAMPLE_APP_INFO, undefined, { scenario, delayMs: 0, threadCount });
  return { inspection: await b.inspect(), locked: await b.lockedReport() };
}

describe('taskStatus', () => {
  it('is loading until the inspection is there', () => {
    expect(taskStatus(null, null).kind).toBe('loading');
  });

  it.each<[Scenario, string]>([
    ['healthy', 'ok'],
    ['keyring-down', 'ok'],
    ['xworkmate-running', 'ok'],
    ['empty', 'empty'],
    ['sealed', 'recoverable'],
    ['locked-key-missing', 'locked'],
    ['locked-key-mismatch', 'locked'],
    ['locked-key-invalid', 'locked'],
    ['locked-malformed', 'locked'],
    ['corrupt', 'damaged'],
    ['corrupt-mirrors', 'damaged'],
    ['upgraded', 'left-behind'],
  ])('%s → %s', async (scenario, kind) => {
    const { inspection, locked } = await reports(scenario);
    expect(taskStatus(inspection, locked).kind).toBe(kind);
  });

  it('says which findings it tells itself, so they are not repeated under it', async () => {
    const sealed = await reports('sealed');
    expect(taskStatus(sealed.inspection, sealed.locked).covers).toContain('sealed_legacy');
    const healthy = await reports('keyring-down');
    expect(taskStatus(healthy.inspection, healthy.locked).covers).not.toContain('keyring_unavailable');
    const corrupt = await reports('corrupt');
    expect(taskStatus(corrupt.inspection, corrupt.locked).covers).toEqual(
      expect.arrayContaining(['database_corrupt', 'unreadable_value']),
    );
  });

  it('knows the lock reasons, once each', async () => {
    const { inspection, locked } = await reports('locked-key-mismatch');
    expect(taskStatus(inspection, locked).reasons).toEqual(['key_mismatch']);
    const malformed = await reports('locked-malformed');
    expect(taskStatus(malformed.inspection, malformed.locked).reasons).toEqual(['malformed']);
  });

  it('a damaged database: where the data still is', async () => {
    const mirrors = await reports('corrupt-mirrors');
    expect(taskStatus(mirrors.inspection, mirrors.locked)).toMatchObject({
      kind: 'damaged',
      mirrors: { settings: 'plain', threads: 'plain' },
      mirrorThreads: 2,
    });
    const corrupt = await reports('corrupt');
    const status = taskStatus(corrupt.inspection, corrupt.locked);
    expect(status.mirrors).toEqual({ settings: 'plain', threads: 'unreadable' });
    expect(status.mirrorThreads).toBeUndefined();
  });

  it('an upgraded install: the version in use and the threads it does not show', async () => {
    const { inspection, locked } = await reports('upgraded');
    expect(taskStatus(inspection, locked)).toMatchObject({
      current: { id: 'C', versions: '1.0.0-beta.2 – 1.1.7' },
      older: [{ id: 'A', versions: '0.5 – 0.6.1', threads: 2 }],
    });
  });

  it('a database held by another program is not damage', async () => {
    const { inspection, locked } = await reports('healthy');
    inspection.database.integrity = 'locked';
    expect(taskStatus(inspection, locked)).toMatchObject({ kind: 'db-unavailable', finding: 'database_locked' });
  });

  it('a recovery that could not look', async () => {
    const { inspection, locked } = await reports('healthy');
    expect(taskStatus(inspection, { ...locked, status: 'failed' }).kind).toBe('failed');
  });
});

describe('threadsState', () => {
  it.each<[Scenario, string]>([
    ['healthy', 'readable'],
    ['empty', 'none'],
    ['sealed', 'sealed'],
    ['locked-key-missing', 'sealed'],
    ['corrupt', 'unreadable'],
    ['corrupt-mirrors', 'readable'],
  ])('%s → %s (never "no threads" when they cannot be read)', async (scenario, state) => {
    const { inspection } = await reports(scenario);
    expect(threadsState(inspection)).toBe(state);
  });
});

const thread = (title: string | null, updatedAtMs: number | null): ThreadSummary => ({
  sessionKey: title ?? 'x',
  title,
  archived: false,
  messageCount: 1,
  updatedAtMs,
});

describe('thread list', () => {
  it('is newest first, undated last in their order', () => {
    const list = [thread('a', 1), thread('b', null), thread('c', 3), thread('d', null), thread('e', 2)];
    expect(newestFirst(list).map((t) => t.title)).toEqual(['c', 'e', 'a', 'b', 'd']);
  });

  it('filters on the title, any case, and finds untitled ones by their word', () => {
    const list = [thread('Release notes', 1), thread('周报 3', 2), thread(null, 3)];
    expect(filterThreads(list, '  RELEASE ', 'Untitled').map((t) => t.title)).toEqual(['Release notes']);
    expect(filterThreads(list, '周报', 'Untitled')).toHaveLength(1);
    expect(filterThreads(list, 'untit', 'Untitled').map((t) => t.title)).toEqual([null]);
    expect(filterThreads(list, '', 'Untitled')).toHaveLength(3);
  });

  it('shows the newest few of 4,500, then all that match, capped', () => {
    const all = sampleThreads(4500);
    const few = threadListView(all, { all: false, filter: 'x', untitled: 'Untitled' });
    expect(few.shown).toHaveLength(NEWEST_THREADS);
    expect(few.shown[0]!.title).toBe('本地线程');
    expect(few).toMatchObject({ matching: 4500, total: 4500, more: true });
    const every = threadListView(all, { all: true, filter: '', untitled: 'Untitled' });
    expect(every.shown).toHaveLength(MAX_LISTED_THREADS);
    expect(every.matching).toBe(4500);
    const some = threadListView(all, { all: true, filter: 'release notes 44', untitled: 'Untitled' });
    const expected = all.filter((t) => t.title?.startsWith('Release notes 44')).length;
    expect(some.matching).toBe(expected);
    expect(some.shown).toHaveLength(expected);
    expect(some.shown.slice(0, 3).map((t) => t.title)).toEqual(['Release notes 441', 'Release notes 449', 'Release notes 4401']);
  });

  it('offers no "Show all" for a short list', () => {
    const view = threadListView(sampleThreads(2), { all: true, filter: 'zzz', untitled: 'Untitled' });
    expect(view).toMatchObject({ more: false, matching: 2 });
    expect(view.shown).toHaveLength(2);
  });
});
