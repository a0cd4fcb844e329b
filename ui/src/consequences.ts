// What a clear means in plain words, before the storage rows: which threads,
// account and gateways go, which secrets stay, and what XWorkmate shows next
// time. Computed from the plan and the inspection the UI already holds; a core
// that sends `consequences` with its ClearPlan replaces the computation
// (`clearConsequences` prefers it), so the dialog does not change.

import type { ClearConsequences as CoreConsequences } from './bindings/ClearConsequences';
import type { ClearPlan } from './bindings/ClearPlan';
import type { ClearScope } from './bindings/ClearScope';
import type { GenerationId } from './bindings/GenerationId';
import type { Inspection } from './bindings/Inspection';
import { formatList } from './format';
import { type Lang, type MessageKey, plural, type Translate } from './i18n';
import { secretWord } from './words';

/** The consequences of one clear plan (the shape a core `ClearPlan.consequences` would have). */
export interface ClearConsequences {
  generation: GenerationId;
  /** What the clear takes: everything, or a part (generation A). */
  scope: ClearScope;
  /** Nothing is removed at all. */
  nothing: boolean;
  /** Threads removed: a count, `null` when they are removed but cannot be counted (sealed or unreadable), 0 when none. */
  threads: number | null;
  /** Their messages, when counted. */
  messages: number | null;
  /** The settings are removed. */
  settings: boolean;
  /** The account in those settings, when read. */
  account: string | null;
  /** Gateway profiles in those settings, when read. */
  gateways: number | null;
  /** Secrets kept, by name (diagnostics names, or storage keys for B–D). */
  keptSecrets: string[];
  /** Threads that stay (a clear of a part of the threads). */
  threadsKept: number;
  /** Old sealed data goes too: it can no longer be recovered. */
  sealedGone: boolean;
  /** What the installed XWorkmate shows at its next start. */
  afterwards:
    | { kind: 'fresh'; threads: boolean; settings: boolean }
    /** Another generation is in use: what it shows does not change. */
    | { kind: 'not-shown'; versions: string }
    /** Part of the data stays (a damaged database is left as it is): no promise. */
    | { kind: 'unsure' };
}

const THREADS_KEY = 'xworkmate.assistant.threads';
const SETTINGS_KEY = 'xworkmate.settings.snapshot';
const base = (path: string) => path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? path;

/**
 * The consequences of `plan`: the core's counts (`plan.consequences`, read
 * from the stored documents) over what the UI can tell from the inspection —
 * which also says what it cannot count (sealed threads) and what the XWorkmate
 * in use shows afterwards.
 */
export function clearConsequences(plan: ClearPlan, inspection: Inspection | null): ClearConsequences {
  const computed = computeConsequences(plan, inspection);
  const core: CoreConsequences | undefined = plan.consequences;
  if (!core) return computed;
  const threadsGo = core.threads > 0;
  const merged: ClearConsequences = {
    ...computed,
    threads: threadsGo ? core.threads : computed.threads,
    messages: threadsGo ? core.messages : computed.messages,
    settings: core.settingsReset,
    account: core.account ?? computed.account,
    gateways: core.settingsReset ? core.gatewayProfiles : computed.gateways,
    threadsKept: core.threadsKept,
    sealedGone: core.sealedStateRemoved || computed.sealedGone,
  };
  return { ...merged, afterwards: afterwardsOf(merged, computed.afterwards) };
}

/** "Shows no threads" only when no thread stays; "default settings" only when they go. */
function afterwardsOf(c: ClearConsequences, was: ClearConsequences['afterwards']): ClearConsequences['afterwards'] {
  if (was.kind !== 'fresh') return was;
  return { kind: 'fresh', threads: c.threads !== 0 && c.threadsKept === 0, settings: c.settings };
}

export function computeConsequences(plan: ClearPlan, inspection: Inspection | null): ClearConsequences {
  const keptSecrets = plan.kept.secrets.flatMap((g) => g.names);
  const rewrite = plan.rewrite ?? null;
  // A part of the threads goes by writing the thread list again: no removal, but not nothing.
  const nothing = plan.removals.length === 0 && !(rewrite && rewrite.removed > 0);
  const scope: ClearScope = plan.scope ?? { kind: 'all' };
  const current = inspection?.generations.find((g) => g.current);
  const isCurrent = !current || current.id === plan.generation;
  const partial = plan.warnings.some((w) => w.code === 'database_rows');
  const sealedGone = plan.removals.some(
    (r) => r.kind === 'preference' || base(r.path) === 'assistant-state-backup.json',
  );
  const common = { generation: plan.generation, scope, nothing, keptSecrets, threadsKept: rewrite?.kept ?? 0, sealedGone };

  let threads: number | null = 0;
  let messages: number | null = null;
  let settings = false;
  let account: string | null = null;
  let gateways: number | null = null;

  if (plan.generation === 'A' && rewrite) {
    threads = rewrite.removed;
    messages = rewrite.messagesRemoved;
  } else if (plan.generation === 'A') {
    const removes = (storageKey: string, file: string) =>
      plan.removals.some(
        (r) => r.storageKey === storageKey || base(r.path) === file || base(r.path) === 'assistant-state-backup.json',
      );
    if (removes(THREADS_KEY, 'assistant-threads.json')) {
      const t = inspection?.threads;
      threads = t?.present ? t.count : null;
      messages = t?.present ? t.messages : null;
    }
    if (removes(SETTINGS_KEY, 'settings-snapshot.json')) {
      settings = true;
      const sum = inspection?.settings.summary ?? null;
      account = sum?.accountUsername ?? null;
      gateways = sum ? sum.gatewayProfiles.length : null;
    }
  } else if (!nothing) {
    const g = inspection?.generations.find((x) => x.id === plan.generation);
    const removed = new Set(plan.removals.map((r) => r.path));
    const inPlan = (rel: string) => [...removed].some((p) => p.endsWith(`/${rel}`) || p.endsWith(`\\${rel}`) || p === rel);
    threads = g ? (g.threads.files.some(inPlan) || g.threads.files.length === 0 ? g.threads.stored : 0) : null;
    settings = g ? g.settings.present && inPlan(g.settings.path) : true;
  }

  let afterwards: ClearConsequences['afterwards'];
  if (!isCurrent && current) afterwards = { kind: 'not-shown', versions: current.versions };
  else if (partial) afterwards = { kind: 'unsure' };
  else afterwards = { kind: 'fresh', threads: threads !== 0 && common.threadsKept === 0, settings };

  return { ...common, threads, messages, settings, account, gateways, afterwards };
}

/**
 * A list in the language: en "a, b, and c"; zh "a、b 和 c", with a space
 * beside 和 only where a Latin letter or digit meets it.
 */
export function listOf(items: string[], lang: Lang): string {
  if (lang !== 'zh' || items.length < 2) return formatList(items, lang);
  const head = items.slice(0, -1).join('、');
  const last = items[items.length - 1]!;
  const latin = /[A-Za-z0-9)]/;
  return `${head}${latin.test(head.slice(-1)) ? ' ' : ''}和${latin.test(last[0] ?? '') ? ' ' : ''}${last}`;
}

export interface ConsequenceWords {
  /** What goes ("2 threads (5 messages), the account vector-user and 2 gateway profiles will be removed."). */
  removed: string;
  /** What else to know: threads that stay, old sealed data that goes (empty when nothing). */
  also: string[];
  /** Which secrets stay, in words. */
  kept: string;
  /** What XWorkmate shows next time, when that can be said. */
  afterwards: string | null;
}

/** "Nothing will be removed", and why, for each part. */
const NOTHING: Record<ClearScope['kind'], MessageKey> = {
  all: 'consequence.nothing',
  threads: 'consequence.nothingThreads',
  settings: 'consequence.nothingSettings',
  archivedThreads: 'consequence.nothingArchived',
  threadsBefore: 'consequence.nothingBefore',
};

/** The consequences in words of the current language. */
export function describeConsequences(t: Translate, lang: Lang, c: ClearConsequences): ConsequenceWords {
  const parts: string[] = [];
  if (c.threads === null) parts.push(t('consequence.threadsUncounted'));
  else if (c.threads > 0) {
    parts.push(
      c.messages === null
        ? plural(t, 'consequence.threads', c.threads)
        : plural(t, 'consequence.threadsMessages', c.threads, {
            messages: plural(t, 'threads.messageCount', c.messages),
          }),
    );
  }
  if (c.settings) {
    if (c.account) parts.push(t('consequence.account', { name: c.account }));
    if (c.gateways) parts.push(plural(t, 'consequence.gateways', c.gateways));
    if (!c.account && !c.gateways) parts.push(t('consequence.settings'));
  }
  const sentence = (text: string) => (lang === 'en' ? text.charAt(0).toUpperCase() + text.slice(1) : text);
  const removed =
    c.nothing || parts.length === 0
      ? t(NOTHING[c.scope.kind])
      : sentence(t('consequence.removed', { what: listOf(parts, lang) }));
  const names = c.keptSecrets.map((name) => secretWord(t, name));
  const kept = names.length === 0 ? t('consequence.noSecrets') : t('consequence.kept', { secrets: listOf(names, lang) });
  let afterwards: string | null = null;
  if (!c.nothing) {
    const a = c.afterwards;
    if (a.kind === 'not-shown') afterwards = t('consequence.notShown', { versions: a.versions });
    else if (a.kind === 'fresh') {
      if (a.threads && a.settings) afterwards = t('consequence.fresh');
      else if (a.threads) afterwards = t('consequence.freshThreads');
      else if (a.settings) afterwards = t('consequence.freshSettings');
    }
  }
  const also: string[] = [];
  if (c.threadsKept > 0) also.push(plural(t, 'consequence.threadsKept', c.threadsKept));
  if (c.sealedGone && !c.nothing) also.push(t('consequence.sealedGone'));
  return { removed, also, kept, afterwards };
}
