// The panel's markup (lit-html templates): a settings window with a sidebar and
// the Diagnostics panel's four sections. Pure functions of the state; events go
// to `actions`. Never shows a secret value: secrets appear as name, presence,
// backend and the core's mask.

import { html, nothing, svg, type TemplateResult } from 'lit-html';
import { ifDefined } from 'lit-html/directives/if-defined.js';
import { live } from 'lit-html/directives/live.js';

import type { Notice as CoreNotice } from './bindings/Notice';
import type { ActionId, Actions, ClearResult, Notice, ProgressKind, State } from './app';
import type { DocumentOutcome } from './bindings/DocumentOutcome';
import type { ClearOutcome } from './bindings/ClearOutcome';
import type { ClearPlan } from './bindings/ClearPlan';
import type { GenerationId } from './bindings/GenerationId';
import type { Inspection } from './bindings/Inspection';
import type { Kept } from './bindings/Kept';
import type { LockedRecoveryReport } from './bindings/LockedRecoveryReport';
import type { RecoveryReport } from './bindings/RecoveryReport';
import type { RebuildReport } from './bindings/RebuildReport';
import type { Removal } from './bindings/Removal';
import type { SourceReport } from './bindings/SourceReport';
import { planMatches, SCOPE_KINDS, type ScopeKind, scopeOf } from './clear-scope';
import { type ClearConsequences, clearConsequences, describeConsequences } from './consequences';
import { formatBytes, formatClock, formatList, formatNumber, formatTime, hostPort, relativeTo } from './format';
import { LANGS, type Lang, type MessageKey, plural, type Translate } from './i18n';
import type { LockReason } from './bindings/LockReason';
import {
  type MirrorState,
  NEWEST_THREADS,
  type StatusKind,
  type TaskStatus,
  taskStatus,
  type ThreadListView,
  threadListView,
  type ThreadsState,
  threadsState,
} from './tasks';
import {
  ACTION,
  DOCUMENT,
  errorText,
  FORM,
  gatewayModeName,
  INTEGRITY,
  KEY_ORIGIN,
  KEY_STATE,
  noteText,
  ORIGIN,
  REASON,
  RELATION,
  REMOVAL,
  SECRET_BACKEND,
  SECRETS_MODE,
  SOURCE,
  SOURCE_KIND,
  SOURCE_STATE,
  STATUS,
  statusWord,
  storageKeyName,
  type Tone,
  warningText,
  warningTone,
  SKIP_REASON,
} from './words';

type View = TemplateResult | typeof nothing;

// --- small pieces ------------------------------------------------------------------

const ICONS = {
  warn: svg`<path d="M12 3.5 2.5 20h19L12 3.5Z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/><path d="M12 10v4.5" stroke="currentColor" stroke-width="2" stroke-linecap="round"/><circle cx="12" cy="17.2" r="1.2" fill="currentColor"/>`,
  danger: svg`<circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2"/><path d="M12 7v6" stroke="currentColor" stroke-width="2" stroke-linecap="round"/><circle cx="12" cy="16.5" r="1.2" fill="currentColor"/>`,
  ok: svg`<circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2"/><path d="m7.5 12.5 3 3 6-6.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`,
  info: svg`<circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2"/><path d="M12 11v5.5" stroke="currentColor" stroke-width="2" stroke-linecap="round"/><circle cx="12" cy="7.8" r="1.2" fill="currentColor"/>`,
  lock: svg`<rect x="5" y="10.5" width="14" height="10" rx="2" fill="none" stroke="currentColor" stroke-width="2"/><path d="M8.5 10.5V8a3.5 3.5 0 0 1 7 0v2.5" fill="none" stroke="currentColor" stroke-width="2"/>`,
  folder: svg`<path d="M3 6.5A1.5 1.5 0 0 1 4.5 5h4.2l2 2.2h8.8A1.5 1.5 0 0 1 21 8.7v9.8a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5v-12Z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>`,
};

function icon(name: keyof typeof ICONS, extra = ''): TemplateResult {
  return html`<svg class="icon ${extra}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${ICONS[name]}</svg>`;
}

const TONE_ICON: Record<Tone, keyof typeof ICONS> = {
  ok: 'ok',
  warn: 'warn',
  danger: 'danger',
  neutral: 'info',
  info: 'info',
};

/** A status pill: colour and a word (never colour alone). */
function pill(tone: Tone, text: string): TemplateResult {
  return html`<span class="pill pill-${tone}">${text}</span>`;
}

function callout(tone: Tone, body: unknown, extra: { id?: string; code?: string; role?: string } = {}): TemplateResult {
  return html`<div
    class="callout callout-${tone}"
    id=${ifDefined(extra.id)}
    data-code=${ifDefined(extra.code)}
    role=${ifDefined(extra.role)}
  >
    ${icon(TONE_ICON[tone])}
    <div class="callout-body">${body}</div>
  </div>`;
}

interface ButtonOptions {
  id: string;
  action: ActionId;
  label: string;
  onClick: () => void;
  kind?: 'primary' | 'danger' | 'default' | 'quiet';
  disabled?: boolean;
  describedBy?: string;
}

function button(state: State, o: ButtonOptions): TemplateResult {
  const running = state.pending === o.action;
  const disabled = state.busy > 0 || Boolean(o.disabled);
  return html`<button
    type="button"
    id=${o.id}
    class="btn btn-${o.kind ?? 'default'}"
    ?disabled=${disabled}
    aria-describedby=${ifDefined(o.describedBy)}
    data-running=${running ? 'true' : 'false'}
    @click=${o.onClick}
  >
    ${running ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}<span>${o.label}</span>
  </button>`;
}

function noticeView(t: Translate, notice: Notice | null): View {
  if (!notice) return nothing;
  return html`<span class="notice notice-${notice.tone ?? 'info'}">${icon(notice.tone === 'ok' ? 'ok' : 'info')}
    <span>${t(notice.key, notice.vars)}</span></span>`;
}

/**
 * A text the core gives only in English (a core message, an OS error): kept for
 * support staff, shown muted under a localized label, never as the main sentence.
 */
function techDetail(t: Translate, text: string, extra: { id?: string; inline?: boolean; after?: unknown } = {}): TemplateResult {
  const body = html`<span class="tech-label">${t('common.techLabel')}${t('common.colon')}</span><span class="tech-text" lang="en"
      >${text}</span
    >${extra.after ?? nothing}`;
  return extra.inline
    ? html`<span class="tech-detail" id=${ifDefined(extra.id)}>${body}</span>`
    : html`<p class="tech-detail" id=${ifDefined(extra.id)}>${body}</p>`;
}

/** Core notices: each worded by its code in the current language, the English message as a detail. */
function coreNotes(t: Translate, notes: CoreNotice[], id: string, tone: Tone = 'warn'): View {
  if (notes.length === 0) return nothing;
  return html`<ul class="plain-list core-notes" id=${id}>
    ${notes.map(
      (note) =>
        html`<li data-note=${note.code}>${callout(tone, html`<p>${noteText(t, note)}</p>${techDetail(t, note.message)}`)}</li>`,
    )}
  </ul>`;
}

/** The words of each long operation's progress. */
const PROGRESS_WORDS: Record<ProgressKind, { label: MessageKey; pct: MessageKey; noSize: MessageKey; writing: MessageKey }> = {
  recover: {
    label: 'progress.label',
    pct: 'progress.reading',
    noSize: 'progress.readingNoSize',
    writing: 'progress.writing',
  },
  clear: {
    label: 'progress.clearLabel',
    pct: 'progress.clearBackup',
    noSize: 'progress.clearBackupNoSize',
    writing: 'progress.clearWriting',
  },
  export: {
    label: 'progress.exportLabel',
    pct: 'progress.export',
    noSize: 'progress.exportNoSize',
    // An export never writes to the store: it can be cancelled to its end.
    writing: 'progress.exportNoSize',
  },
  restorePlan: {
    label: 'progress.restoreLabel',
    pct: 'progress.restorePlan',
    noSize: 'progress.restorePlanNoSize',
    // Making the plan only reads.
    writing: 'progress.restorePlanNoSize',
  },
  restore: {
    label: 'progress.restoreLabel',
    pct: 'progress.restore',
    noSize: 'progress.restoreNoSize',
    writing: 'progress.restoreWriting',
  },
  rebuildPlan: {
    label: 'progress.rebuildLabel',
    pct: 'progress.rebuildPlan',
    noSize: 'progress.rebuildPlanNoSize',
    // Making the plan only reads.
    writing: 'progress.rebuildPlanNoSize',
  },
  rebuild: {
    label: 'progress.rebuildLabel',
    pct: 'progress.rebuild',
    noSize: 'progress.rebuildNoSize',
    writing: 'progress.rebuildWriting',
  },
  report: {
    label: 'progress.reportLabel',
    pct: 'progress.report',
    noSize: 'progress.reportNoSize',
    // Once written whole, it is saved under its name: no cancel then.
    writing: 'progress.reportWriting',
  },
};

/**
 * A running recovery: how far it is, and Cancel while it only reads (once it
 * writes, it says it can no longer be cancelled). After a cancel, what came
 * of it. Cancel stays enabled while the rest of the page is busy.
 */
function progressPanel(state: State, t: Translate, actions: Actions): View {
  const p = state.progress;
  if (!p) {
    return state.opNotice
      ? html`<div class="op-progress" id="op-notice" role="status">${noticeView(t, state.opNotice)}</div>`
      : nothing;
  }
  const pct = p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : null;
  const kind = state.progressKind;
  const keys = PROGRESS_WORDS[kind];
  const words = p.writing
    ? t(keys.writing)
    : state.cancelRequested || p.cancelled
      ? t('progress.cancelling')
      : pct === null
        ? t(keys.noSize)
        : t(keys.pct, { pct: String(pct) });
  return html`<div
    class="op-progress"
    id="op-progress"
    role="status"
    aria-live="polite"
    data-kind=${state.progressKind}
    data-writing=${p.writing ? 'true' : 'false'}
  >
    <p id="op-progress-words">${words}</p>
    <div class="op-progress-row">
      <progress
        id="op-progress-bar"
        aria-label=${t(keys.label)}
        max="100"
        value=${ifDefined(p.writing || pct === null ? undefined : pct)}
      ></progress>
      ${p.writing
        ? nothing
        : html`<button
            type="button"
            class="btn"
            id="btn-cancel-op"
            ?disabled=${state.cancelRequested || p.cancelled}
            @click=${actions.cancelOperation}
          >
            ${t('progress.cancel')}
          </button>`}
    </div>
  </div>`;
}

function busyFor(state: State, ...actions: ActionId[]): 'true' | 'false' {
  return state.pending !== null && (actions.includes(state.pending) || state.pending === 'load' || state.pending === 'refresh')
    ? 'true'
    : 'false';
}

/** A text with one `{name}` placeholder filled with markup (e.g. a <code> path). */
function fill(t: Translate, key: MessageKey, name: string, value: TemplateResult): TemplateResult {
  const [before, ...after] = t(key).split(`{${name}}`);
  return html`${before}${value}${after.join('')}`;
}

/**
 * A sentence with the file names and paths in it (`gateway-auth/local-state-key.txt`,
 * `config-store.sqlite3`) set as code, so that they read as names and break only
 * after a separator.
 */
export function withNames(text: string): TemplateResult {
  const parts = text.split(/((?:[\w.-]+\/)+[\w.-]*[\w]|[\w-]+\.(?:txt|json|sqlite3|yaml))/);
  return html`${parts.map((part, n) => (n % 2 === 1 ? html`<code class="path">${pathText(part)}</code>` : part))}`;
}

/** `withNames` of a text whose `{name}` placeholder is filled with markup. */
function withNamesAnd(text: string, name: string, value: TemplateResult): TemplateResult {
  const [before, ...after] = text.split(`{${name}}`);
  return html`${withNames(before ?? '')}${value}${withNames(after.join(''))}`;
}

/** A path with line-break opportunities after each separator. */
export function pathText(path: string): TemplateResult {
  const parts = path.split(/(?<=[\\/])/);
  return html`${parts.map((part, n) => html`${n === 0 ? nothing : html`<wbr />`}<span class="seg">${part}</span>`)}`;
}

/** A path, shown relative to the data folder when it is inside it (full path on hover). */
function pathCell(path: string, dataDir: string | null = null): TemplateResult {
  const shown = relativeTo(path, dataDir);
  return html`<code class="path" title=${ifDefined(shown === path ? undefined : path)}>${pathText(shown)}</code>`;
}

function dataDirOf(state: State): string | null {
  return state.info?.dataDir ?? state.inspection?.dataDir ?? null;
}

// --- the page ----------------------------------------------------------------------

export function view(state: State, t: Translate, actions: Actions, showSampleNote: boolean): TemplateResult {
  const warnings = state.inspection?.warnings.length ?? 0;
  const lockedNow = state.locked?.status === 'locked_legacy_state';
  const hantNote = state.hantNote && state.lang === 'zh';
  const shownBy = state.inspection?.generations.find((g) => g.current);
  const threads =
    shownBy && shownBy.id !== 'A'
      ? shownBy.threads.count
      : state.inspection?.threads.present
        ? state.inspection.threads.count
        : null;
  return html`
    <a class="skip-link" href="#content">${t('app.skip')}</a>
    <div class="window">
      <nav class="sidebar" aria-label=${t('app.navLabel')}>
        <div class="brand">
          <img src="/icon.png" alt="" width="28" height="28" />
          <span>${t('app.title')}</span>
        </div>
        <p class="side-label">${t('app.settings')}</p>
        <ul class="nav">
          <li>
            <a class="nav-panel" href="#content" aria-current="page">${t('app.panel')}</a>
            <ul class="nav-sub" aria-label=${t('app.sections')}>
              <li>
                <a href="#status"
                  >${t('nav.status')}${lockedNow
                    ? html`<span class="badge badge-danger">${t('nav.badgeLocked')}</span>`
                    : state.locked?.status === 'recoverable'
                      ? html`<span class="badge badge-info">${t('nav.badgeRecoverable')}</span>`
                      : nothing}</a
                >
              </li>
              <li>
                <a href="#saved"
                  >${t('nav.saved')}${threads
                    ? html`<span class="badge badge-neutral"
                        >${formatNumber(threads, state.lang)}<span class="sr-only"> ${t('threads.title')}</span></span
                      >`
                    : nothing}</a
                >
              </li>
              <li>
                <a href="#support" @click=${actions.openSupport}
                  >${t('nav.support')}${warnings > 0
                    ? html`<span class="badge badge-warn" title=${warningsTitle(t, state.inspection)}
                        >${warnings}<span class="sr-only"> ${t('warnings.title')}</span></span
                      >`
                    : nothing}</a
                >
              </li>
            </ul>
          </li>
        </ul>
        <div class="side-foot">
          <label class="field-label" for="lang-select">${t('app.language')}</label>
          <select
            id="lang-select"
            class="select"
            aria-describedby=${ifDefined(hantNote ? 'hant-note' : undefined)}
            @change=${(e: Event) => actions.setLang((e.target as HTMLSelectElement).value as Lang)}
          >
            ${LANGS.map(
              (lang) => html`<option value=${lang} ?selected=${lang === state.lang} lang=${lang === 'zh' ? 'zh-CN' : 'en'}>
                ${t(lang === 'zh' ? 'lang.zh' : 'lang.en')}
              </option>`,
            )}
          </select>
          ${hantNote
            ? html`<p class="hant-note" id="hant-note">
                <span>${t('lang.hantNote')}</span>
                <button type="button" class="btn btn-quiet btn-small" id="btn-hant-ok" @click=${actions.dismissHantNote}>
                  ${t('lang.hantNoteOk')}
                </button>
              </p>`
            : nothing}
          <p class="version" id="app-version">
            ${state.info ? t('app.version', { version: state.info.version, commit: state.info.commit }) : nothing}
          </p>
          <p id="backend-note" class="sample-note" ?hidden=${!showSampleNote}>${t('app.sample')}</p>
        </div>
      </nav>
      <main id="content" class="content" tabindex="-1">
        <header class="page-head">
          <div>
            <h1>${t('app.panel')}</h1>
            <p class="subtitle">${t('app.subtitle')}</p>
          </div>
          <div class="head-actions">
            <span class="checked" aria-live="polite">
              ${state.busy > 0
                ? html`<span class="spinner" aria-hidden="true"></span>${t(
                      state.pending === 'refresh' ? 'app.refreshing' : state.pending === 'load' ? 'app.loading' : 'app.working',
                    )}`
                : state.checkedAt
                  ? t('app.lastChecked', { time: formatClock(state.checkedAt, state.lang) })
                  : nothing}
            </span>
            ${button(state, {
              id: 'btn-refresh',
              action: 'refresh',
              label: t('app.refresh'),
              onClick: actions.refresh,
            })}
          </div>
        </header>
        ${progressPanel(state, t, actions)} ${runningBanner(state, t, actions)} ${openedReportView(state, t, actions)}
        <div class="sections">
          ${statusCard(state, t, actions)} ${savedCard(state, t, actions)} ${supportSection(state, t, actions)}
        </div>
      </main>
    </div>
    ${errorView(state, t, actions)} ${clearDialog(state, t, actions)} ${restoreDialog(state, t, actions)}
    ${rebuildDialog(state, t, actions)}
  `;
}

function warningsTitle(t: Translate, inspection: Inspection | null): string {
  return inspection ? inspection.warnings.map((w) => warningText(t, w.code)).join('\n') : '';
}

/** True while XWorkmate runs on the folder: every write is refused then. */
function xworkmateRunning(state: State): boolean {
  return Boolean(state.inspection?.xworkmateRunning);
}

/**
 * Blocking while XWorkmate runs on the folder (it would undo any change):
 * what to do, and "Check again", which looks again.
 */
function runningBanner(state: State, t: Translate, actions: Actions): View {
  const running = state.inspection?.xworkmateRunning;
  if (!running) return nothing;
  return html`<aside id="running-banner" class="banner banner-danger" role="alert" data-pid=${running.pid}>
    ${icon('danger')}
    <p id="running-banner-text">${t('banner.running', { pid: running.pid })}</p>
    ${button(state, {
      id: 'btn-check-again',
      action: 'refresh',
      label: t('banner.checkAgain'),
      onClick: actions.refresh,
    })}
  </aside>`;
}

// --- the status: what the user came for ------------------------------------------------

const STATUS_TONE: Record<StatusKind, Tone> = {
  loading: 'neutral',
  ok: 'ok',
  empty: 'neutral',
  recoverable: 'info',
  locked: 'danger',
  damaged: 'danger',
  'db-unavailable': 'warn',
  'left-behind': 'info',
  failed: 'warn',
};

const STATUS_ICON: Record<StatusKind, keyof typeof ICONS> = {
  loading: 'info',
  ok: 'ok',
  empty: 'info',
  recoverable: 'info',
  locked: 'lock',
  damaged: 'danger',
  'db-unavailable': 'warn',
  'left-behind': 'info',
  failed: 'warn',
};

/** "XWorkmate 1.x": the major version of a range such as "1.0.0-beta.2 – 1.1.7". */
export function majorOf(versions: string): string {
  const last = versions.split(/[–-]\s/).pop()!.trim();
  const major = /^(\d+)\./.exec(last);
  return major ? `${major[1]}.x` : last;
}

function statusTexts(
  state: State,
  t: Translate,
  st: TaskStatus,
): { title: string; explain: string | TemplateResult | null; safe: string | null } {
  switch (st.kind) {
    case 'loading':
      return { title: t('app.loading'), explain: null, safe: null };
    case 'ok':
      return { title: t('status.ok.title'), explain: t('status.ok.explain'), safe: null };
    case 'empty':
      return { title: t('status.empty.title'), explain: t('status.empty.explain'), safe: null };
    case 'recoverable':
      return { title: t('status.recoverable.title'), explain: t('status.recoverable.explain'), safe: null };
    case 'locked': {
      const reasons = st.reasons ?? [];
      const only = reasons.every((r) => r === 'malformed') && reasons.length > 0;
      const why = only ? 'malformed' : reasons.find((r) => r !== 'malformed') ?? 'key_missing';
      return { title: t('status.locked.title'), explain: t(LOCKED_EXPLAIN[why]), safe: t('status.locked.safe') };
    }
    case 'damaged': {
      const m = st.mirrors!;
      const settings = t(DAMAGED_SETTINGS[m.settings]);
      const threads =
        m.threads === 'plain' && st.mirrorThreads !== undefined
          ? plural(t, 'status.damaged.threadsPlain', st.mirrorThreads)
          : t(DAMAGED_THREADS[m.threads]);
      return {
        title: t('status.damaged.title'),
        explain: withNames([t('status.damaged.explain'), threads, settings].join(state.lang === 'zh' ? '' : ' ')),
        safe: t('status.damaged.safe'),
      };
    }
    case 'db-unavailable':
      return { title: t('status.dbUnavailable.title'), explain: warningText(t, st.finding!), safe: null };
    case 'left-behind': {
      const n = (st.older ?? []).reduce((sum, g) => sum + g.threads, 0);
      return {
        title: t('status.leftBehind.title', { version: majorOf(st.current!.versions) }),
        explain: t('status.leftBehind.explain', {
          version: st.current!.versions,
          n,
          old: (st.older ?? []).map((g) => g.versions).join(', '),
        }),
        safe: t('status.leftBehind.safe'),
      };
    }
    case 'failed':
      return {
        title: t('status.failed.title'),
        explain: html`${t('recovery.explain.failed')} ${state.locked ? techDetail(t, state.locked.details) : nothing}`,
        safe: null,
      };
  }
}

const LOCKED_EXPLAIN: Record<LockReason, MessageKey> = {
  key_missing: 'status.locked.explain.key_missing',
  key_mismatch: 'status.locked.explain.key_mismatch',
  key_invalid: 'status.locked.explain.key_invalid',
  malformed: 'status.locked.explain.malformed',
};

const DAMAGED_SETTINGS: Record<MirrorState, MessageKey> = {
  plain: 'status.damaged.settingsPlain',
  sealed: 'status.damaged.settingsSealed',
  unreadable: 'status.damaged.settingsUnreadable',
  missing: 'status.damaged.settingsMissing',
};

const DAMAGED_THREADS: Record<MirrorState, MessageKey> = {
  plain: 'status.damaged.threadsPlainUncounted',
  sealed: 'status.damaged.threadsSealed',
  unreadable: 'status.damaged.threadsUnreadable',
  missing: 'status.damaged.threadsMissing',
};

/** The panel opens with this: the status in a sentence, what to do, and the actions. */
function statusCard(state: State, t: Translate, actions: Actions): TemplateResult {
  const i = state.inspection;
  const st = taskStatus(i, state.locked);
  const { title, explain, safe } = statusTexts(state, t, st);
  const tone = STATUS_TONE[st.kind];
  const notes = i ? statusNotes(i, st) : [];
  const current = i?.generations.find((g) => g.current);
  const exportable =
    current && current.id !== 'A' ? current.threads.stored : i?.threads.present ? i.threads.count : 0;
  const running = xworkmateRunning(state);
  const rebuild = canRebuild(st);
  const last = state.locked?.lastRecovery;
  const lastLocked = st.kind !== 'locked' && last?.report.status === 'locked_legacy_state';
  return html`<section
    id="status"
    class="card status-card status-${tone}"
    aria-labelledby="status-heading"
    data-status=${st.kind}
    aria-busy=${busyFor(state, 'preview', 'recover', 'test-key', 'pick-key', 'recover-key', 'clear-plan', 'clear-execute', 'restore-plan', 'restore-execute', 'export-threads', 'export-report', 'copy-report', 'rebuild-plan', 'rebuild')}
  >
    <div class="status-head">
      ${icon(STATUS_ICON[st.kind], 'status-icon')}
      <div class="status-words">
        <h2 id="status-heading" tabindex="-1">${title}</h2>
        ${explain ? html`<p id="status-explain" class="status-explain">${explain}</p>` : nothing}
        ${safe ? html`<p id="status-safe" class="status-safe">${icon('ok')}<span>${safe}</span></p>` : nothing}
      </div>
    </div>
    ${notes.length > 0
      ? html`<ul class="warnings status-notes" id="status-notes" aria-label=${t('warnings.title')}>
          ${notes.map(
            (w) => html`<li>
              ${callout(warningTone(w.code), html`<p>${warningText(t, w.code)}</p>${techDetail(t, w.message)}`, {
                id: w.code === 'keyring_unavailable' ? 'keyring-warning' : undefined,
                code: w.code,
              })}
            </li>`,
          )}
        </ul>`
      : nothing}
    ${lastLocked
      ? callout('info', html`<p>${t('banner.lockedLast', { time: formatTime(last?.recordedAtMs, state.lang) })}</p>`, {
          id: 'locked-last',
        })
      : nothing}
    <div class="btn-row task-actions" id="task-actions">
      ${st.kind === 'recoverable'
        ? html`${button(state, {
            id: 'btn-recover',
            action: 'recover',
            label: t('task.recover'),
            onClick: actions.recover,
            kind: 'primary',
            disabled: running,
          })}
          ${button(state, {
            id: 'btn-preview',
            action: 'preview',
            label: t('recovery.preview'),
            onClick: actions.preview,
            describedBy: 'preview-hint',
          })}`
        : nothing}
      ${st.kind === 'left-behind'
        ? (st.older ?? []).map((g) =>
            button(state, {
              id: `banner-export-${g.id}`,
              action: 'export-threads',
              label:
                (st.older ?? []).length > 1
                  ? t('banner.exportOf', { versions: g.versions })
                  : t('banner.export', { n: formatNumber(g.threads, state.lang) }),
              onClick: () => actions.exportThreads(g.id),
              kind: 'primary',
            }),
          )
        : nothing}
      ${rebuild
        ? button(state, {
            id: 'btn-rebuild',
            action: 'rebuild-plan',
            label: t('rebuild.button'),
            onClick: actions.openRebuild,
            kind: 'primary',
            describedBy: 'rebuild-hint',
            disabled: running,
          })
        : nothing}
      ${exportable > 0
        ? button(state, {
            id: 'btn-export-threads',
            action: 'export-threads',
            label: t('threads.export', { n: formatNumber(exportable, state.lang) }),
            onClick: () => actions.exportThreads(),
            kind: st.kind === 'damaged' && !rebuild ? 'primary' : 'default',
          })
        : nothing}
      ${button(state, {
        id: 'btn-clear',
        action: 'clear-plan',
        label: t('cleanup.button'),
        onClick: () => actions.openClear(),
        describedBy: 'clear-hint',
        disabled: running,
      })}
      ${button(state, {
        id: 'btn-restore',
        action: 'restore-plan',
        label: t('restore.button'),
        onClick: () => actions.openRestore(),
        describedBy: 'restore-hint',
        disabled: running,
      })}
    </div>
    <ul class="task-hints">
      ${rebuild ? html`<li id="rebuild-hint">${t('rebuild.hint')}</li>` : nothing}
      ${st.kind === 'recoverable'
        ? html`<li id="preview-hint">${t('recovery.previewHint')}</li>`
        : nothing}
      <li id="clear-hint">${t('cleanup.hint')}</li>
      <li id="restore-hint">${t('restore.hint')}</li>
    </ul>
    <div class="support-actions" role="group" aria-labelledby="support-actions-label">
      <span class="field-label" id="support-actions-label">${t('task.forSupport')}</span>
      ${button(state, {
        id: 'btn-export-report',
        action: 'export-report',
        label: t('report.export'),
        onClick: actions.exportReport,
        describedBy: 'report-hint',
        kind: 'quiet',
      })}
      ${button(state, {
        id: 'btn-copy-report',
        action: 'copy-report',
        label: t('report.copy'),
        onClick: actions.copyReport,
        describedBy: 'report-hint',
        kind: 'quiet',
      })}
      ${st.kind === 'locked'
        ? html`<button type="button" class="btn btn-quiet" id="btn-show-report" @click=${actions.showReport}>
            ${t('task.whyLocked')}
          </button>`
        : nothing}
      <span class="hint" id="report-hint">${t('report.exportHint')}</span>
    </div>
    <p class="notice-line" role="status" id="threads-notice">${noticeView(t, state.threadsNotice)}</p>
    <p class="notice-line" role="status" id="report-notice">${noticeView(t, state.reportNotice)}</p>
    ${recoveryResultRegion(state, t)} ${clearResultView(state, t, state.clearResult)} ${restoreResultView(state, t)}
    ${rebuildResultView(state, t)}
    ${st.kind === 'locked' ? lockedSteps(state, t, actions, st) : nothing}
    ${st.kind === 'damaged' ? damagedSteps(state, t, st) : nothing}
  </section>`;
}

/** The findings the status does not already tell, worded (the full list is in the details). */
function statusNotes(i: Inspection, st: TaskStatus): Inspection['warnings'] {
  const seen = new Set<string>(st.covers);
  const notes: Inspection['warnings'] = [];
  const current = i.generations.find((g) => g.current);
  const all = [...i.warnings, ...(current && current.id !== 'A' ? current.findings : [])];
  for (const w of all) {
    if (seen.has(w.code)) continue;
    seen.add(w.code);
    notes.push({ code: w.code, message: w.message });
  }
  return notes;
}

function recoveryResultRegion(state: State, t: Translate): TemplateResult {
  return html`<div
    id="recovery-result"
    class="result"
    role="status"
    tabindex="-1"
    data-status=${ifDefined(state.recoveryResult?.report.status)}
    data-dry-run=${ifDefined(state.recoveryResult ? String(state.recoveryResult.report.dryRun) : undefined)}
  >${state.recoveryResult
      ? recoveryResultView(t, state.recoveryResult.report, state.recoveryResult.withKey, dataDirOf(state))
      : nothing}</div>`;
}

/** Locked: what the user can do, with the key field in its place among the steps. */
function lockedSteps(state: State, t: Translate, actions: Actions, st: TaskStatus): TemplateResult {
  const reasons = st.reasons ?? [];
  const damagedOnly = reasons.length > 0 && reasons.every((r) => r === 'malformed');
  return html`<div class="steps" aria-labelledby="steps-heading">
    <h3 id="steps-heading">${t('steps.title')}</h3>
    ${damagedOnly
      ? html`<ol class="step-list" id="status-steps" data-steps="damaged-sealed">
          <li>${t('steps.malformed.report')}</li>
          <li>${t('steps.malformed.clear')}</li>
        </ol>`
      : html`<ol class="step-list" id="status-steps" data-steps="key">
            <li>${withNames(t('steps.key.find'))}</li>
            <li>${t('steps.key.test')}</li>
            <li>${t('steps.key.recover')}</li>
            <li>${t('steps.key.support')}</li>
          </ol>
          ${keyBox(state, t, actions, false)}`}
  </div>`;
}

/**
 * A damaged database can be rebuilt here only when the mirror files hold
 * everything: a rebuild from less would leave XWorkmate to save over an
 * unreadable or sealed mirror file that support may still rescue.
 */
function canRebuild(st: TaskStatus): boolean {
  return st.kind === 'damaged' && st.mirrors?.settings === 'plain' && st.mirrors?.threads === 'plain';
}

/** A damaged database: what the user can do while the mirror files still hold the data. */
function damagedSteps(state: State, t: Translate, st: TaskStatus): TemplateResult {
  const mirrorsHoldAll = canRebuild(st);
  return html`<div class="steps" aria-labelledby="steps-heading">
    <h3 id="steps-heading">${t('steps.title')}</h3>
    <ol class="step-list" id="status-steps" data-steps="damaged">
      ${st.mirrorThreads
        ? html`<li>${t('steps.damaged.export', { n: formatNumber(st.mirrorThreads, state.lang) })}</li>`
        : nothing}
      <li>${t('steps.damaged.report')}</li>
      ${mirrorsHoldAll ? html`<li>${t('steps.damaged.rebuild')}</li>` : html`<li>${t('steps.damaged.wait')}</li>`}
    </ol>
  </div>`;
}

function errorView(state: State, t: Translate, actions: Actions): TemplateResult {
  const error = state.error;
  return html`<div id="error" class="toast" role="alert" data-code=${ifDefined(error?.code)} ?hidden=${!error}>
    ${error
      ? html`${icon('danger')}
          <div class="toast-body">
            <p class="toast-title">${errorText(t, error.code)}</p>
            ${techDetail(t, error.message, { after: html` <code>[${error.code}]</code>` })}
          </div>
          <button type="button" class="btn btn-quiet" id="btn-dismiss-error" @click=${actions.dismissError}>
            ${t('common.dismiss')}
          </button>`
      : nothing}
  </div>`;
}

// --- Details for support -------------------------------------------------------------------

const CHEVRON = svg`<path d="m9 6 6 6-6 6" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`;

/**
 * Everything support needs, folded by default: a real disclosure (a button
 * with aria-expanded in the heading, the ARIA disclosure pattern).
 */
function supportSection(state: State, t: Translate, actions: Actions): TemplateResult {
  const open = state.supportOpen;
  return html`<section id="support" class="card support" aria-labelledby="support-heading">
    <h2 id="support-heading" class="disclosure-heading">
      <button
        type="button"
        id="support-toggle"
        class="disclosure"
        aria-expanded=${String(open)}
        aria-controls="support-body"
        @click=${actions.toggleSupport}
      >
        <svg class="icon chevron" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${CHEVRON}</svg>
        <span>${t('support.title')}</span>
      </button>
    </h2>
    <p class="lead" id="support-intro">${t('support.intro')}</p>
    <div id="support-body" class="support-body" ?hidden=${!open}>
      ${overviewSection(state, t, actions)} ${recoverySection(state, t, actions)} ${reportSection(state, t, actions)}
    </div>
  </section>`;
}

// --- Storage overview ------------------------------------------------------------------

function overviewSection(state: State, t: Translate, actions: Actions): TemplateResult {
  const inspection = state.inspection;
  const info = state.info;
  const dataDir = info?.dataDir ?? inspection?.dataDir;
  return html`<section id="overview" class="support-part" aria-labelledby="overview-heading" aria-busy=${busyFor(state)}>
    <div class="card-head">
      <h3 id="overview-heading">${t('overview.title')}</h3>
      <p class="lead">${t('overview.intro')}</p>
    </div>

    <div class="folder">
      <div class="folder-main">
        ${icon('folder', 'folder-icon')}
        <div class="folder-text">
          <span class="field-label" id="data-dir-label">${t('folder.title')}</span>
          <code
            id="data-dir"
            class="path data-dir"
            aria-busy=${ifDefined(dataDir || state.infoFailed ? undefined : 'true')}
            >${dataDir ? pathText(dataDir) : state.infoFailed ? t('app.unknown') : t('app.loading')}</code
          >
          <dl class="inline-meta">
            <dt>${t('folder.origin')}</dt>
            <dd id="data-dir-origin">${info ? t(ORIGIN[info.dataDirOrigin]) : t('common.dash')}</dd>
            <dt>${t('folder.secretsMode')}</dt>
            <dd>${info ? t(SECRETS_MODE[info.secretsMode]) : t('common.dash')}</dd>
          </dl>
        </div>
      </div>
      <div class="btn-row">
        ${button(state, {
          id: 'btn-open-folder',
          action: 'open-folder',
          label: t('folder.open'),
          onClick: actions.openFolder,
          disabled: !inspection?.dataDirExists,
          describedBy: inspection && !inspection.dataDirExists ? 'folder-missing' : undefined,
        })}
        ${button(state, { id: 'btn-copy-path', action: 'copy-path', label: t('folder.copy'), onClick: actions.copyPath, disabled: !dataDir })}
        ${button(state, {
          id: 'btn-choose-dir',
          action: 'choose-dir',
          label: t('folder.choose'),
          onClick: actions.chooseDir,
          describedBy: 'choose-hint',
        })}
      </div>
      <p class="hint" id="choose-hint">${t('folder.chooseHint')}</p>
      ${inspection && !inspection.dataDirExists
        ? html`<p class="hint" id="folder-missing">${t('folder.missing')}</p>`
        : nothing}
      <p class="notice-line" role="status" id="folder-notice">${noticeView(t, state.folderNotice)}</p>
    </div>

    ${inspection ? overviewBody(state, t, actions, inspection) : html`<p class="empty">${t('app.loading')}</p>`}
  </section>`;
}

/** True when the folder holds more than generation A (an upgraded install). */
function hasLaterGenerations(i: Inspection | null): boolean {
  return !!i && (i.generations.length > 1 || (i.generations.length === 1 && i.generations[0]!.id !== 'A'));
}

function generationsBox(state: State, t: Translate, actions: Actions, i: Inspection): View {
  if (!hasLaterGenerations(i)) return nothing;
  return html`<div class="subsection" aria-labelledby="generations-heading" id="generations">
    <h4 id="generations-heading">${t('gen.title')}</h4>
    <p class="hint">${t('gen.intro')}</p>
    <ul class="generations">
      ${i.generations.map(
        (g) => html`<li class="generation" data-generation=${g.id} data-current=${String(g.current)}>
          <div class="generation-head">
            <h5>${t('gen.name', { versions: g.versions })} <span class="muted">(${g.id})</span></h5>
            ${g.current ? pill('ok', t('gen.current')) : pill('neutral', t('gen.leftBehind'))}
          </div>
          ${g.threads.stored > 0
            ? html`<div class="btn-row">
                ${button(state, {
                  id: `btn-export-threads-${g.id}`,
                  action: 'export-threads',
                  label: t('threads.export', { n: g.threads.stored }),
                  onClick: () => actions.exportThreads(g.id),
                })}
              </div>`
            : nothing}
          <dl class="inline-meta">
            <dt>${t('gen.settings')}</dt>
            <dd>${t(!g.settings.present ? 'gen.settingsNone' : g.settings.readable ? 'gen.settingsOk' : 'gen.settingsBad')}</dd>
            <dt>${t('gen.threads')}</dt>
            <dd class="gen-threads">${g.threads.count}</dd>
            <dt>${t('gen.secrets')}</dt>
            <dd>${g.secrets.filter((x) => x.present).length}</dd>
            <dt>${t('gen.audit')}</dt>
            <dd>${g.audit.entries ?? t('common.dash')}</dd>
          </dl>
          ${g.findings.length > 0 && g.id !== 'A'
            ? html`<ul class="warnings">
                ${g.findings.map(
                  (f) => html`<li>
                    ${callout(warningTone(f.code), html`<p>${warningText(t, f.code)}</p>${techDetail(t, f.message)}`, { code: f.code })}
                  </li>`,
                )}
              </ul>`
            : g.findings
                .filter((f) => f.code === 'threads_left_behind')
                .map((f) => callout(warningTone(f.code), html`<p>${warningText(t, f.code)}</p>${techDetail(t, f.message)}`, { code: f.code }))}
        </li>`,
      )}
    </ul>
  </div>`;
}

function overviewBody(state: State, t: Translate, actions: Actions, i: Inspection): TemplateResult {
  return html`
    ${generationsBox(state, t, actions, i)}
    <div class="subsection" aria-labelledby="warnings-heading">
      <h4 id="warnings-heading">${t('warnings.title')}</h4>
      ${i.warnings.length === 0
        ? html`<p class="all-good" id="no-warnings">${icon('ok')} ${t('warnings.none')}</p>`
        : html`<ul class="warnings" id="warnings">
            ${i.warnings.map(
              (w) => html`<li>
                ${callout(
                  warningTone(w.code),
                  html`<p>${warningText(t, w.code)}</p>
                    ${techDetail(t, w.message)}`,
                  { code: w.code },
                )}
              </li>`,
            )}
          </ul>`}
    </div>

    <div class="subsection">
      <h4 id="storage-heading">${t('storage.title')}</h4>
      <p class="hint">${t('storage.intro')}</p>
      <div class="table-wrap">
        <table class="table" aria-labelledby="storage-heading" id="storage-table">
          <thead>
            <tr>
              <th scope="col">${t('storage.value')}</th>
              <th scope="col">${t('storage.database')}</th>
              <th scope="col">${t('storage.mirror')}</th>
              <th scope="col">${t('storage.status')}</th>
            </tr>
          </thead>
          <tbody>
            ${i.storage.map(
              (s) => html`<tr data-key=${s.storageKey} data-relation=${s.relation}>
                <th scope="row">
                  <span class="row-title">${storageKeyName(t, s.storageKey)}</span>
                  <code class="sub-code">${s.storageKey}</code>
                </th>
                <td>${formCell(t, s.sqlite.form, s.sqlite.bytes)}</td>
                <td>${s.mirror ? formCell(t, s.mirror.form, s.mirror.bytes) : t('common.dash')}</td>
                <td>${pill(RELATION[s.relation].tone, t(RELATION[s.relation].key))}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </div>

    ${databaseBox(t, i)} ${secretsBox(t, i)} ${filesBox(state, t, i)}
  `;
}

function formCell(t: Translate, form: keyof typeof FORM, bytes: number | null): TemplateResult {
  return html`<span class="form form-${form}">${t(FORM[form])}</span>${bytes !== null
      ? html`<span class="muted"> · ${formatBytes(bytes)}</span>`
      : nothing}`;
}

function databaseBox(t: Translate, i: Inspection): TemplateResult {
  const db = i.database;
  const integrity = INTEGRITY[db.integrity];
  const audit = i.audit;
  return html`<div class="subsection" aria-labelledby="db-heading">
    <h4 id="db-heading">${t('db.title')}</h4>
    <p class="hint">${t('db.intro')}</p>
    <dl class="facts">
      <div>
        <dt>${t('db.integrity')}</dt>
        <dd><span id="db-integrity" data-integrity=${db.integrity}>${pill(integrity.tone, t(integrity.key))}</span></dd>
      </div>
      <div>
        <dt>${t('db.entries')}</dt>
        <dd>${db.integrity === 'ok' ? String(db.entries.length) : t('common.dash')}</dd>
      </div>
      <div>
        <dt>${t('db.audit')}</dt>
        <dd>
          ${audit.readable ? plural(t, 'db.auditEntries', audit.entries) : t('db.auditUnreadable')}
        </dd>
      </div>
    </dl>
    ${db.problem ? techDetail(t, db.problem, { id: 'db-problem' }) : nothing}
  </div>`;
}

// --- Threads and settings ------------------------------------------------------------------

function savedCard(state: State, t: Translate, actions: Actions): TemplateResult {
  const i = state.inspection;
  const current = i?.generations.find((g) => g.current);
  const a = i?.generations.find((g) => g.id === 'A');
  return html`<section id="saved" class="card" aria-labelledby="saved-heading" aria-busy=${busyFor(state)}>
    <div class="card-head">
      <h2 id="saved-heading">${t('saved.title')}</h2>
      <p class="lead">${t('saved.intro')}</p>
    </div>
    ${i
      ? html`${current && current.id !== 'A'
            ? html`<p class="saved-other" id="saved-other">
                ${t('saved.otherGeneration', { versions: current.versions, n: current.threads.count, old: a?.versions ?? '0.5 – 0.6.1' })}
              </p>`
            : nothing}
          ${threadsBox(state, t, actions, i)} ${settingsBox(t, i)}`
      : html`<p class="empty">${t('app.loading')}</p>`}
  </section>`;
}

function threadsBox(state: State, t: Translate, actions: Actions, i: Inspection): TemplateResult {
  const th = i.threads;
  const st = threadsState(i);
  const counted = st === 'readable' || st === 'none';
  const n = (value: number) => (counted ? formatNumber(value, state.lang) : t('common.dash'));
  const untitled = t('threads.untitled');
  const list = threadListView(th.threads, { all: state.threadsAll, filter: state.threadsFilter, untitled });
  return html`<div class="box" aria-labelledby="threads-heading" data-threads=${st}>
    <h3 id="threads-heading">${t('threads.title')}</h3>
    <div class="stats">
      <div class="stat">
        <span class="stat-num" id="threads-count">${n(th.count)}</span><span class="stat-label">${t('threads.count')}</span>
      </div>
      <div class="stat">
        <span class="stat-num" id="threads-archived">${n(th.archived)}</span
        ><span class="stat-label">${t('threads.archived')}</span>
      </div>
      <div class="stat">
        <span class="stat-num" id="messages-count">${n(th.messages)}</span
        ><span class="stat-label">${t('threads.messages')}</span>
      </div>
    </div>
    ${st === 'readable'
      ? html`${list.more
            ? html`<div class="thread-tools">
                <button
                  type="button"
                  class="btn btn-default btn-small"
                  id="btn-all-threads"
                  aria-expanded=${String(state.threadsAll)}
                  aria-controls="thread-list"
                  @click=${actions.toggleAllThreads}
                >
                  ${state.threadsAll
                    ? t('threads.showNewest', { n: NEWEST_THREADS })
                    : t('threads.showAll', { n: formatNumber(list.total, state.lang) })}
                </button>
                ${state.threadsAll
                  ? html`<span class="filter">
                      <label class="field-label" for="thread-filter">${t('threads.filter')}</label>
                      <input
                        id="thread-filter"
                        class="input input-filter"
                        type="search"
                        autocomplete="off"
                        .value=${live(state.threadsFilter)}
                        aria-describedby="thread-list-count"
                        @input=${(e: Event) => actions.setThreadFilter((e.target as HTMLInputElement).value)}
                      />
                    </span>`
                  : nothing}
              </div>`
            : nothing}
          <p class="hint" id="thread-list-count" role=${ifDefined(state.threadsAll ? 'status' : undefined)}>
            ${threadCountLine(state, t, list)}
          </p>
          <ul class="thread-list" id="thread-list" data-shown=${list.shown.length} data-matching=${list.matching}>
            ${list.shown.map(
              (x) => html`<li>
                <span class="thread-title">${x.title || untitled}</span>
                ${x.archived ? html`<span class="tag">${t('threads.archivedTag')}</span>` : nothing}
                <span class="muted thread-meta"
                  >${plural(t, 'threads.messageCount', x.messageCount)} · ${formatTime(x.updatedAtMs, state.lang)}</span
                >
              </li>`,
            )}
          </ul>
          <p class="hint">
            ${[
              t('threads.readFrom', { source: t(SOURCE[th.source]) }),
              i.database.integrity === 'corrupt' && th.source === 'mirror' ? t('threads.dbDamaged') : '',
              t('threads.note'),
            ]
              .filter(Boolean)
              .join(state.lang === 'zh' ? '' : ' ')}
          </p>`
      : html`<p class=${st === 'none' ? 'empty' : 'threads-unknown'} id="threads-none">${t(THREADS_STATE[st])}</p>`}
  </div>`;
}

const THREADS_STATE: Record<Exclude<ThreadsState, 'readable'>, MessageKey> = {
  none: 'threads.none',
  sealed: 'threads.sealed',
  unreadable: 'threads.unreadable',
};

function threadCountLine(state: State, t: Translate, list: ThreadListView): string {
  const total = formatNumber(list.total, state.lang);
  const all = list.total === 1 ? t('threads.all.one') : t('threads.all', { n: total });
  if (!list.more) return all;
  if (!state.threadsAll) return t('threads.newest', { shown: list.shown.length, n: total });
  const q = state.threadsFilter.trim();
  if (q && list.matching === 0) return t('threads.noMatch', { q });
  const line = q
    ? t('threads.matching', { n: formatNumber(list.matching, state.lang), total })
    : all;
  return list.shown.length < list.matching
    ? `${line}${state.lang === 'zh' ? '' : ' '}${t('threads.capped', { shown: list.shown.length })}`
    : line;
}

function settingsBox(t: Translate, i: Inspection): TemplateResult {
  const s = i.settings;
  const sum = s.summary;
  return html`<div class="box" id="settings-box" aria-labelledby="settings-heading">
    <h3 id="settings-heading">${t('settings.title')}</h3>
    <p id="settings-present" data-present=${String(s.present)} class=${s.present ? 'hint' : 'empty'}>
      ${s.present ? t('settings.readFrom', { source: t(SOURCE[s.source]) }) : t('settings.none')}
    </p>
    ${sum
      ? html`<dl class="facts facts-grid">
          <div>
            <dt>${t('settings.language')}</dt>
            <dd>
              ${sum.appLanguage === 'zh'
                ? t('lang.zh')
                : sum.appLanguage === 'en'
                  ? t('lang.en')
                  : (sum.appLanguage ?? t('common.dash'))}
            </dd>
          </div>
          <div>
            <dt>${t('settings.account')}</dt>
            <dd>
              ${sum.accountUsername ?? t('common.dash')}${sum.accountWorkspace
                ? html`<span class="muted"> · ${t('settings.workspace')} ${sum.accountWorkspace}</span>`
                : nothing}
            </dd>
          </div>
          <div>
            <dt>${t('settings.gateways')}</dt>
            <dd>
              ${sum.gatewayProfiles.length === 0
                ? t('settings.noGateways')
                : html`<ul class="plain-list">
                    ${sum.gatewayProfiles.map(
                      (g) => html`<li>
                        <code>${hostPort(g.host, g.port)}</code>
                        <span class="muted"
                          >${g.tls === null ? nothing : g.tls ? t('settings.tls') : t('settings.noTls')}${g.mode
                            ? ` · ${gatewayModeName(t, g.mode)}`
                            : nothing}</span
                        >
                      </li>`,
                    )}
                  </ul>`}
            </dd>
          </div>
          <div>
            <dt>${t('settings.aiGateway')}</dt>
            <dd>${sum.aiGatewayBaseUrl ? html`<code class="path">${pathText(sum.aiGatewayBaseUrl)}</code>` : t('common.dash')}</dd>
          </div>
          <div>
            <dt>${t('settings.counts')}</dt>
            <dd class="muted">
              ${t('settings.countsValue', {
                archived: sum.archivedTaskCount,
                titles: sum.customTaskTitleCount,
                fields: sum.fieldCount,
              })}
            </dd>
          </div>
        </dl>`
      : nothing}
  </div>`;
}

function secretsBox(t: Translate, i: Inspection): TemplateResult {
  const sec = i.secrets;
  const keyring = sec.keyring;
  return html`<div class="subsection" aria-labelledby="secrets-heading">
    <h4 id="secrets-heading">${t('secrets.title')}</h4>
    <p class="hint">${t('secrets.intro')}</p>
    <p class="keyring-line" id="keyring-health" data-reachable=${keyring ? String(keyring.reachable) : 'unknown'}>
      <span class="field-label">${t('secrets.keyringHealth')}</span>
      ${keyring
        ? keyring.reachable
          ? pill('ok', t('secrets.keyringOk', { service: keyring.service, ms: keyring.elapsedMs }))
          : pill('danger', t('secrets.keyringDown', { service: keyring.service }))
        : pill('neutral', t('secrets.keyringNotAsked'))}
      ${keyring && !keyring.reachable && sec.usingFileFallback
        ? html`<span class="muted">${t('secrets.file')}</span>`
        : nothing}
    </p>
    ${keyring?.item
      ? html`<p class="keyring-line" id="keyring-item" data-read-by-xworkmate=${String(keyring.item.readByXworkmate)}>
          <span class="field-label">${t('secrets.keyringItem')}</span>
          <code>${keyring.item.label}</code>
          ${keyring.item.readByXworkmate
            ? pill('ok', t('secrets.itemRead'))
            : pill('warn', t('secrets.itemNotRead'))}
        </p>`
      : nothing}
    <div class="table-wrap">
      <ul id="secrets-list" class="secret-list" aria-labelledby="secrets-heading">
        <li class="secret-head" aria-hidden="true">
          <span>${t('secrets.name')}</span><span>${t('secrets.state')}</span><span>${t('secrets.where')}</span
          ><span>${t('secrets.mask')}</span>
        </li>
        ${sec.entries.map(
          (e) => html`<li
            class="secret"
            data-secret=${e.name}
            data-present=${String(e.present)}
            data-backend=${e.backend}
            data-problem=${ifDefined(e.problem ? 'true' : undefined)}
            data-hidden=${ifDefined(e.hidden ? 'true' : undefined)}
          >
            <code class="secret-name">${e.name}</code>
            <span title=${ifDefined(e.problem ? `${t('common.techLabel')}${t('common.colon')}${e.problem}` : undefined)}
              >${e.hidden
                ? pill('neutral', t('secrets.hidden'))
                : e.problem
                ? pill('warn', t('secrets.unreadable'))
                : e.present
                  ? pill('ok', t('secrets.set'))
                  : pill('neutral', t('secrets.notSet'))}</span
            >
            <span class="secret-backend">${t(SECRET_BACKEND[e.backend])}</span>
            <span>${e.present && e.masked ? html`<code class="mask">${e.masked}</code>` : nothing}</span>
          </li>`,
        )}
      </ul>
    </div>
    ${sec.legacyFiles.length > 0
      ? html`<p class="hint">
          ${t('secrets.legacyFiles')}${t('common.colon')}${sec.legacyFiles.map((f, n) => html`${n ? ', ' : ''}<code>${f}</code>`)}
        </p>`
      : nothing}
  </div>`;
}

function filesBox(state: State, t: Translate, i: Inspection): TemplateResult {
  return html`<div class="subsection">
    <h4 id="files-heading">${t('files.title')}</h4>
    <div class="table-wrap">
      <table class="table" aria-labelledby="files-heading" id="files-table">
        <thead>
          <tr>
            <th scope="col">${t('files.name')}</th>
            <th scope="col" class="num">${t('files.size')}</th>
            <th scope="col">${t('files.modified')}</th>
            <th scope="col">${t('files.status')}</th>
          </tr>
        </thead>
        <tbody>
          ${i.files.map(
            (f) => html`<tr data-file=${f.name} data-exists=${String(f.exists)}>
              <th scope="row"><code class="path" title=${f.path}>${f.name}${f.isDir ? '/' : ''}</code></th>
              <td class="num">${f.exists && !f.isDir ? formatBytes(f.size) : t('common.dash')}</td>
              <td>${f.exists ? formatTime(f.modifiedMs, state.lang) : t('common.dash')}</td>
              <td>
                ${f.error
                  ? html`${pill('danger', t('files.error'))} ${techDetail(t, f.error, { inline: true })}`
                  : f.exists
                    ? pill('ok', t(f.isDir ? 'files.folder' : 'files.present'))
                    : pill('neutral', t('files.missing'))}
                ${f.exists && f.mode ? html`<span class="muted mode">${f.mode}</span>` : nothing}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </div>`;
}

// --- Legacy recovery ---------------------------------------------------------------------

function recoverySection(state: State, t: Translate, actions: Actions): TemplateResult {
  const report = state.locked;
  const status = report?.status;
  const lockedSources = report?.sources.filter((s) => s.state === 'locked') ?? [];
  // Locked: the key field is among the steps under the status; a locked
  // source that blocks nothing (an old backup beside readable data) gets it here.
  const showKey = status !== 'locked_legacy_state' && lockedSources.length > 0;
  const newer = state.inspection?.generations.find((g) => g.current && g.id !== 'A');
  const upFront = status === 'recoverable';
  return html`<section
    id="recovery"
    class="support-part"
    aria-labelledby="recovery-heading"
    aria-busy=${busyFor(state, 'preview', 'recover', 'test-key', 'pick-key', 'recover-key')}
  >
    <div class="card-head">
      <h3 id="recovery-heading">${t('recovery.title')}</h3>
      <p class="lead">${t('recovery.intro')}</p>
    </div>
    <div class="status-row">
      <span class="field-label">${t('recovery.current')}</span>
      <span id="recovery-status" data-status=${ifDefined(status)}
        >${status ? pill(STATUS[status].tone, statusWord(t, status)) : t('app.loading')}</span
      >
      ${status ? html`<p class="status-explain">${t(STATUS[status].explain)}</p>` : nothing}
    </div>
    ${newer
      ? callout('info', html`<p>${t('recovery.newerGeneration', { versions: newer.versions })}</p>`, { id: 'recovery-newer' })
      : nothing}
    ${upFront
      ? html`<p class="hint" id="recovery-up-front">${t('recovery.upFront')}</p>`
      : html`<div class="btn-row">
            ${button(state, {
              id: 'btn-preview',
              action: 'preview',
              label: t('recovery.preview'),
              onClick: actions.preview,
              describedBy: 'preview-hint',
            })}
            ${status === 'locked_legacy_state'
              ? nothing
              : button(state, {
                  id: 'btn-recover',
                  action: 'recover',
                  label: t('recovery.run'),
                  onClick: actions.recover,
                  describedBy: newer ? 'recovery-newer' : 'recover-hint',
                  disabled: xworkmateRunning(state) || !!newer,
                })}
          </div>
          <ul class="hints">
            <li id="preview-hint"><strong>${t('recovery.preview')}${t('common.colon')}</strong>${t('recovery.previewHint')}</li>
            ${status === 'locked_legacy_state'
              ? html`<li id="recover-locked-hint">${t('recovery.lockedNoRun')}</li>`
              : html`<li id="recover-hint"><strong>${t('recovery.run')}${t('common.colon')}</strong>${t('recovery.runHint')}</li>`}
            <li>${t('recovery.resultAbove')}</li>
          </ul>`}
    ${showKey ? keyBox(state, t, actions) : nothing}
  </section>`;
}

/** One line per document: what happens (or would) to settings and threads. */
function documentsSummary(t: Translate, documents: DocumentOutcome[], dryRun: boolean, dataDir: string | null): View {
  if (documents.length === 0) return nothing;
  return html`<div class="table-wrap">
    <table class="table compact">
      <thead>
        <tr>
          <th scope="col">${t('recovery.document')}</th>
          <th scope="col">${t('recovery.action')}</th>
          <th scope="col">${t('recovery.from')}</th>
          <th scope="col" class="num">${t('recovery.threadCount')}</th>
        </tr>
      </thead>
      <tbody>
        ${documents.map((d) => {
          const a = ACTION[d.action];
          const word = d.action === 'recovered' && dryRun ? t('action.recoveredDry') : t(a.key);
          return html`<tr data-document=${d.document} data-action=${d.action}>
            <th scope="row">${t(DOCUMENT[d.document])}</th>
            <td>${pill(a.tone, word)}</td>
            <td>
              ${d.from
                ? html`${pathCell(d.from, dataDir)}${d.fromKind
                    ? html`<span class="muted"> · ${t(SOURCE_KIND[d.fromKind])}</span>`
                    : nothing}`
                : t('common.dash')}
            </td>
            <td class="num">${d.threadCount ?? t('common.dash')}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

function sourcesTable(t: Translate, sources: SourceReport[], dataDir: string | null): View {
  if (sources.length === 0) return nothing;
  return html`<div class="table-wrap">
    <table class="table compact">
      <thead>
        <tr>
          <th scope="col">${t('recovery.source')}</th>
          <th scope="col">${t('recovery.kind')}</th>
          <th scope="col">${t('recovery.holds')}</th>
          <th scope="col">${t('recovery.state')}</th>
        </tr>
      </thead>
      <tbody>
        ${sources.map((s) => {
          const st = SOURCE_STATE[s.state];
          return html`<tr data-state=${s.state}>
            <td>${pathCell(s.path, dataDir)}</td>
            <td>${t(SOURCE_KIND[s.kind])}</td>
            <td>${t(DOCUMENT[s.document])}</td>
            <td>
              ${pill(st.tone, t(st.key))}
              ${s.reason ? html`<span class="muted">${t(REASON[s.reason].key)}</span>` : nothing}
              ${s.openedWith ? html`<span class="muted">${t(KEY_ORIGIN[s.openedWith])}</span>` : nothing}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

function recoveryResultView(t: Translate, r: RecoveryReport, withKey: boolean, dataDir: string | null): TemplateResult {
  const tone = STATUS[r.status].tone;
  const title = r.dryRun ? t('recovery.resultPreview') : withKey ? t('recovery.resultRunKey') : t('recovery.resultRun');
  const notes: string[] = [];
  if (r.keys.keyFileMoved) notes.push(t('recovery.keyMoved'));
  if (r.keys.suppliedKeyStored) notes.push(t('recovery.keyStored'));
  if (r.secretFilesMoved.length > 0) notes.push(t('recovery.secretFilesMoved', { names: r.secretFilesMoved.join(', ') }));
  if (r.preferencesMigrated.length > 0) notes.push(t('recovery.prefsMigrated', { names: r.preferencesMigrated.join(', ') }));
  // A real run words each kept file as a notice; a preview says which would stay.
  if (r.dryRun && r.secretFilesKept.length > 0)
    notes.push(t('recovery.secretFilesKept', { names: r.secretFilesKept.map((k) => k.name).join(', ') }));
  const nothingToDo = r.status === 'none' && !r.documents.some((d) => d.action === 'recovered');
  return html`<div class="result-box result-${tone}">
    <div class="result-head">
      <h3>${title}</h3>
      ${pill(tone, statusWord(t, r.status, r.dryRun))}
    </div>
    <p>
      ${nothingToDo
        ? t('recovery.nothing')
        : r.status === 'migrated' && r.dryRun
          ? t('recovery.explain.migratedDry')
          : t(STATUS[r.status].explain)}
    </p>
    ${documentsSummary(t, r.documents, r.dryRun, dataDir)}
    ${r.sources.length > 0
      ? html`<h4>${t('recovery.sources')}</h4>
          ${sourcesTable(t, r.sources, dataDir)}`
      : nothing}
    ${notes.length > 0 ? html`<ul class="notes">${notes.map((n) => html`<li>${icon('ok')} ${n}</li>`)}</ul>` : nothing}
    ${r.warnings.length > 0
      ? html`<h4>${t('recovery.warnings')}</h4>
          ${coreNotes(t, r.warnings, 'recovery-warnings')}`
      : nothing}
    ${techDetail(t, r.details, { id: 'recovery-details' })}
  </div>`;
}

function keyBox(state: State, t: Translate, actions: Actions, intro = true): TemplateResult {
  const test = state.keyTest;
  const canRecover = Boolean(test?.test.valid && test.test.opens.length > 0);
  return html`<div class="keybox" role="group" aria-labelledby="key-heading">
    <h4 id="key-heading">${icon('lock')} ${t('key.title')}</h4>
    ${intro ? html`<p class="hint">${withNames(t('key.intro'))}</p>` : nothing}
    <label class="field-label" for="key-input">${t('key.label')}</label>
    <div class="key-row">
      <input
        id="key-input"
        class="input"
        type="password"
        autocomplete="off"
        autocapitalize="off"
        spellcheck="false"
        aria-describedby="key-hint"
        @input=${(e: Event) => actions.keyInput((e.target as HTMLInputElement).value.trim().length > 0)}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            actions.testKey();
          }
        }}
      />
      <button
        type="button"
        class="btn btn-default"
        id="btn-show-key"
        aria-pressed="false"
        aria-controls="key-input"
        @click=${(e: Event) => {
          // The key stays in the input only: shown or hidden there, never kept.
          const input = (e.currentTarget as HTMLElement).ownerDocument.getElementById('key-input') as HTMLInputElement | null;
          if (!input) return;
          const show = input.type === 'password';
          input.type = show ? 'text' : 'password';
          (e.currentTarget as HTMLElement).setAttribute('aria-pressed', String(show));
        }}
      >
        ${t('key.show')}
      </button>
      ${button(state, {
        id: 'btn-test-key',
        action: 'test-key',
        label: t('key.test'),
        onClick: actions.testKey,
        disabled: !state.keyFilled,
      })}
      ${button(state, { id: 'btn-pick-key-file', action: 'pick-key', label: t('key.pick'), onClick: actions.pickKeyFile })}
    </div>
    <p class="hint" id="key-hint">${t('key.hint')}</p>
    <div
      id="key-test-result"
      class="key-result"
      role="status"
      data-valid=${ifDefined(test ? String(test.test.valid) : undefined)}
      data-opens=${ifDefined(test ? String(test.test.opens.length) : undefined)}
    >${test ? keyTestView(t, test, dataDirOf(state)) : nothing}</div>
    <div class="btn-row">
      ${button(state, {
        id: 'btn-recover-with-key',
        action: 'recover-key',
        label: t('key.recover'),
        onClick: actions.recoverWithKey,
        kind: 'primary',
        disabled: !canRecover || xworkmateRunning(state),
        describedBy: canRecover ? undefined : 'recover-key-hint',
      })}
      ${canRecover ? nothing : html`<span class="hint" id="recover-key-hint">${t('key.recoverHint')}</span>`}
    </div>
  </div>`;
}

function keyTestView(t: Translate, result: NonNullable<State['keyTest']>, dataDir: string | null): TemplateResult {
  const test = result.test;
  const from = result.fileName ? html`<p class="detail">${t('key.fromFile', { name: result.fileName })}</p>` : nothing;
  if (!test.valid) return callout('danger', html`<p>${t('key.invalid')}</p>${from}`);
  if (test.opens.length === 0) {
    return callout(
      'warn',
      html`<p>${t('key.opensNone')}</p>
        ${from} ${stillLockedList(t, test.stillLocked, dataDir)}`,
    );
  }
  return callout(
    'ok',
    html`<p>${t('key.opens', { n: test.opens.length })}</p>
      ${from}
      <ul class="plain-list src-list">
        ${test.opens.map(
          (s) => html`<li>
            ${pill('ok', t('state.unsealed'))}
            <span>${pathCell(s.path, dataDir)} <span class="muted">· ${t(DOCUMENT[s.document])}</span></span>
          </li>`,
        )}
      </ul>
      ${test.wouldRecover.length > 0
        ? html`<p>
            ${t('key.wouldRecover', {
              docs: test.wouldRecover.map((d) => t(DOCUMENT[d])).join(' · '),
            })}
          </p>`
        : nothing}
      ${stillLockedList(t, test.stillLocked, dataDir)}`,
  );
}

function stillLockedList(t: Translate, sources: SourceReport[], dataDir: string | null): View {
  if (sources.length === 0) return nothing;
  return html`<p>${t('key.stillLocked')}</p>
    <ul class="plain-list src-list">
      ${sources.map(
        (s) => html`<li>
          ${pill('danger', s.reason ? t(REASON[s.reason].key) : t('state.locked'))} ${pathCell(s.path, dataDir)}
        </li>`,
      )}
    </ul>`;
}

// --- Locked-recovery report -------------------------------------------------------------

function reportSection(state: State, t: Translate, actions: Actions): TemplateResult {
  const report = state.locked;
  const locked = report?.sources.filter((s) => s.state === 'locked') ?? [];
  return html`<section
    id="locked-report"
    class="support-part"
    aria-labelledby="locked-report-heading"
    aria-busy=${busyFor(state, 'open-report')}
  >
    <div class="card-head">
      <h3 id="locked-report-heading" tabindex="-1">${t('report.title')}</h3>
      <p class="lead">${t('report.intro')}</p>
    </div>
    <div class="subsection">
      <h4 id="locked-sources-heading">${t('report.lockedSources')}</h4>
      ${report && locked.length === 0 ? html`<p class="all-good">${icon('ok')} ${t('report.noneLocked')}</p>` : nothing}
      <ul id="locked-sources" class="locked-list" aria-labelledby="locked-sources-heading" ?hidden=${locked.length === 0}>
        ${locked.map((s) => lockedSourceItem(t, s))}
      </ul>
    </div>
    ${report
      ? html`<div class="grid2">
          ${keysBox(t, report)} ${lastRunBox(state, t, report)}
        </div>
          <details class="tech">
            <summary>${t('report.candidates')} (${report.candidates.length})</summary>
            <ol class="plain-list numbered">
              ${report.candidates.map((c) => html`<li><code class="path">${pathText(c)}</code></li>`)}
            </ol>
          </details>`
      : nothing}
    <p class="hint">${t('report.exportAbove')}</p>
    <div class="btn-row">
      ${button(state, {
        id: 'btn-open-report',
        action: 'open-report',
        label: t('opened.open'),
        onClick: () => actions.openReport(),
        describedBy: 'open-report-hint',
      })}
    </div>
    <p class="hint" id="open-report-hint">${t('opened.hint')}</p>
  </section>`;
}

function lockedSourceItem(t: Translate, s: SourceReport): TemplateResult {
  const reason = s.reason ?? 'malformed';
  return html`<li class="locked-item" data-reason=${reason}>
    <div class="locked-head">
      ${icon('lock')}
      <span class="locked-title">${t(DOCUMENT[s.document])}</span>
      <span class="muted">· ${t(SOURCE_KIND[s.kind])}</span>
      ${pill('danger', t(REASON[reason].key))}
    </div>
    <code class="path">${pathText(s.path)}</code>
    <p class="next"><strong>${t('report.nextStep')}${t('common.colon')}</strong>${withNames(t(REASON[reason].next))}</p>
    ${s.detail ? techDetail(t, s.detail) : nothing}
  </li>`;
}

function keysBox(t: Translate, report: LockedRecoveryReport): TemplateResult {
  const k = report.keys;
  const st = (state: keyof typeof KEY_STATE) => pill(KEY_STATE[state].tone, t(KEY_STATE[state].key));
  return html`<div class="box" aria-labelledby="keys-heading">
    <h4 id="keys-heading">${t('report.keys')}</h4>
    <dl class="facts" id="key-locations">
      <div data-where="secure-storage" data-state=${k.secureStorage}>
        <dt>${t('report.secureStorage')}</dt>
        <dd>${st(k.secureStorage)}</dd>
      </div>
      <div data-where="key-file" data-state=${k.keyFileState}>
        <dt>${t('report.keyFile')}</dt>
        <dd>${st(k.keyFileState)} <code class="path">${pathText(k.keyFile)}</code></dd>
      </div>
      ${k.supplied
        ? html`<div data-where="supplied" data-state=${k.supplied}>
            <dt>${t('report.supplied')}</dt>
            <dd>${st(k.supplied)}</dd>
          </div>`
        : nothing}
    </dl>
  </div>`;
}

function lastRunBox(state: State, t: Translate, report: LockedRecoveryReport): TemplateResult {
  const last = report.lastRecovery;
  return html`<div class="box" aria-labelledby="last-run-heading">
    <h4 id="last-run-heading">${t('report.lastRun')}</h4>
    <div id="last-recovery" data-status=${ifDefined(last?.report.status)}>
      ${last
        ? html`<p>
              ${pill(STATUS[last.report.status].tone, statusWord(t, last.report.status, last.report.dryRun))}
              <span>${formatTime(last.recordedAtMs, state.lang)}</span>
            </p>
            ${documentsLine(t, last.report.documents, last.report.dryRun)}`
        : html`<p class="empty">${t('report.lastRunNever')}</p>`}
      ${report.lastRecoveryError
        ? html`<p class="detail">${t('report.lastRunError')}</p>
            ${techDetail(t, report.lastRecoveryError)}`
        : nothing}
    </div>
  </div>`;
}

function documentsLine(t: Translate, documents: DocumentOutcome[], dryRun: boolean): View {
  if (documents.length === 0) return nothing;
  return html`<ul class="plain-list">
    ${documents.map(
      (d) => html`<li>
        ${t(DOCUMENT[d.document])}${t('common.colon')}
        <span class="muted">${d.action === 'recovered' && dryRun ? t('action.recoveredDry') : t(ACTION[d.action].key)}</span>
      </li>`,
    )}
  </ul>`;
}

// --- Local data cleanup: results and the dialog ------------------------------------------

function clearResultView(state: State, t: Translate, result: ClearResult | null): TemplateResult {
  if (!result) return html`<div id="clear-result" class="result" role="status" tabindex="-1"></div>`;
  if (result.cancelled) {
    return html`<div id="clear-result" class="result" role="status" tabindex="-1" data-cancelled="true" data-removed="0">
      ${callout('info', html`<p>${t('cleanup.cancelled')}</p>`)}
    </div>`;
  }
  const o = result.outcome;
  const bytes = o.removed.reduce((n, r) => n + r.bytes, 0);
  return html`<div
    id="clear-result"
    class="result"
    role="status"
    tabindex="-1"
    data-verified=${String(o.secretsVerified)}
    data-scope=${o.scope?.kind ?? 'all'}
    data-removed=${String(o.removed.length)}
    data-rewritten=${ifDefined(o.rewritten ? `${o.rewritten.removed}/${o.rewritten.kept}` : undefined)}
    data-remaining=${String(o.remaining.length)}
  >
    <div
      class="result-box ${o.failure || o.secretsMissingAfter.length > 0
        ? 'result-danger'
        : o.secretsVerified
          ? 'result-ok'
          : 'result-warn'}"
    >
      <div class="result-head">
        <h3>${icon('ok')} ${clearDoneText(t, o, result.consequences, bytes)}</h3>
      </div>
      ${o.removed.length > 0 ? removalsTable(t, o.removed, null, dataDirOf(state)) : nothing}
      ${o.failure
        ? html`${callout(
              'danger',
              html`<p>${t('cleanup.incomplete', { n: o.remaining.length })}</p>
                ${techDetail(t, o.failure.message)}`,
              { id: 'clear-incomplete', role: 'alert', code: o.failure.code },
            )}
            <h4>${t('cleanup.remaining')}</h4>
            ${removalsTable(t, o.remaining, null, dataDirOf(state), 'remaining-table')}`
        : nothing}
      ${o.backup ? html`<p id="backup-saved">${fill(t, 'cleanup.backupSaved', 'path', html`<code class="path">${pathText(o.backup)}</code>`)}</p>` : nothing}
      ${o.secretsVerified
        ? html`<p class="verified" id="secrets-verified">
            ${icon('ok')}
            ${o.kept.secretCount > 0 ? t('cleanup.secretsOk', { n: o.kept.secretCount }) : t('cleanup.secretsOkNone')}
          </p>`
        : o.secretsMissingAfter.length > 0
          ? callout('danger', html`<p>${t('cleanup.secretsLost', { names: formatList(o.secretsMissingAfter, state.lang) })}</p>`, {
              id: 'secrets-lost',
              role: 'alert',
            })
          : callout('warn', html`<p>${t('cleanup.secretsUnchecked', { names: formatList(o.secretsUnchecked, state.lang) })}</p>`, {
              id: 'secrets-unchecked',
              role: 'status',
            })}
      ${o.kept.secretCount > 0 ? keptSecretsList(t, o.kept) : nothing}
      ${coreNotes(t, o.warnings, 'clear-warnings')}
    </div>
  </div>`;
}

/** What a clear did, in a sentence: the items removed; for a part, the threads and settings that went and stayed. */
export function clearDoneText(t: Translate, o: ClearOutcome, c: ClearConsequences | null, bytes: number): string {
  const scope = o.scope?.kind ?? 'all';
  const items = () =>
    o.removed.length > 0 ? plural(t, 'cleanup.done', o.removed.length, { size: formatBytes(bytes) }) : t('cleanup.doneNothing');
  if (scope === 'all' || o.failure) return items();
  const and = t('common.semicolon');
  if (o.rewritten) {
    if (o.rewritten.removed === 0) return t('cleanup.doneNothing');
    return t('cleanup.donePart', {
      what: `${plural(t, 'cleanup.threadsRemoved', o.rewritten.removed)}${and}${plural(t, 'cleanup.threadsStay', o.rewritten.kept)}`,
    });
  }
  if (o.removed.length === 0) return t('cleanup.doneNothing');
  if (scope === 'threads') {
    const threads = c?.threads ? plural(t, 'cleanup.threadsRemoved', c.threads) : t('cleanup.threadsRemovedUncounted');
    return t('cleanup.donePart', { what: `${threads}${and}${t('cleanup.settingsStay')}` });
  }
  if (scope === 'settings') {
    const kept = c && c.threadsKept > 0 ? `${and}${plural(t, 'cleanup.threadsKeptPart', c.threadsKept)}` : '';
    return t('cleanup.donePart', { what: `${t('cleanup.settingsRemoved')}${kept}` });
  }
  return items();
}

function removalsTable(
  t: Translate,
  removals: Removal[],
  total: number | null,
  dataDir: string | null,
  id = total === null ? 'removed-table' : 'plan-table',
): TemplateResult {
  return html`<div class="table-wrap">
    <table class="table compact" id=${id}>
      <thead>
        <tr>
          <th scope="col">${t('cleanup.what')}</th>
          <th scope="col">${t('cleanup.where')}</th>
          <th scope="col" class="num">${t('cleanup.size')}</th>
        </tr>
      </thead>
      <tbody>
        ${removals.map(
          (r) => html`<tr data-kind=${r.kind}>
            <td class="nowrap">${t(REMOVAL[r.kind])}</td>
            <td>
              ${r.storageKey
                ? html`<span class="row-title">${storageKeyName(t, r.storageKey)}
                      <span class="muted">· ${pathCell(r.path, dataDir)}</span></span
                    ><code class="sub-code">${r.storageKey}</code>`
                : pathCell(r.path, dataDir)}
            </td>
            <td class="num">${formatBytes(r.bytes)}</td>
          </tr>`,
        )}
      </tbody>
      ${total !== null
        ? html`<tfoot>
            <tr>
              <th scope="row" colspan="2">${t('common.total')}</th>
              <td class="num" id="plan-total">${formatBytes(total)}</td>
            </tr>
          </tfoot>`
        : nothing}
    </table>
  </div>`;
}

function keptSecretsList(t: Translate, kept: Kept): TemplateResult {
  return html`<ul class="kept-secrets">
    ${kept.secrets.map(
      (group) => html`<li data-backend=${group.backend}>
        <span>${t('cleanup.keptSecrets', { backend: t(SECRET_BACKEND[group.backend]), n: group.count })}</span>
        <span class="chips">${group.names.map((n) => html`<code class="chip">${n}</code>`)}</span>
      </li>`,
    )}
  </ul>`;
}

function clearDialog(state: State, t: Translate, actions: Actions): TemplateResult {
  const plan = state.clear.plan;
  const c = state.clear;
  const consequences = plan ? clearConsequences(plan, state.inspection) : null;
  const words = consequences ? describeConsequences(t, state.lang, consequences) : null;
  // The plan shown is the plan of the part chosen: only then is it described and confirmable.
  const matches = planMatches(c);
  const needDate = !c.refused && scopeOf(c) === null;
  // Something goes (in the plan shown: while the plan of a new choice loads, the last one stays in view).
  const removes = !c.refused && !needDate && consequences !== null && !consequences.nothing;
  return html`<dialog
    id="clear-dialog"
    class="dialog"
    aria-labelledby="clear-title"
    aria-describedby="clear-consequences"
    @close=${actions.dialogClosed}
    @keydown=${trapFocus}
  >
    ${plan && c.open && words
      ? html`<div class="dialog-body">
            <h2 id="clear-title">${t('cleanup.dialogTitle')}</h2>
            ${generationChooser(state, t, actions, plan)} ${scopeChooser(state, t, actions, plan)}
            <div
              class="consequences"
              id="clear-consequences"
              data-scope=${plan.scope?.kind ?? 'all'}
              aria-live="polite"
              aria-busy=${state.pending === 'clear-plan' ? 'true' : 'false'}
            >
              ${c.refused
                ? callout(
                    'warn',
                    html`<p>${errorText(t, c.refused.code)}</p>
                      <p>${t('cleanup.partRefusedHint')}</p>
                      ${techDetail(t, c.refused.message)}`,
                    { id: 'clear-refused', code: c.refused.code },
                  )
                : needDate
                  ? html`<p class="consequence" id="clear-need-date">${icon('info')}<span>${t('cleanup.needDate')}</span></p>`
                  : html`<p class="consequence consequence-removed" id="consequence-removed">
                        ${icon(!consequences?.nothing ? 'danger' : 'info')}<span>${words.removed}</span>
                      </p>
                      ${words.also.map(
                        (text) => html`<p class="consequence consequence-also">${icon('info')}<span>${text}</span></p>`,
                      )}
                      <p class="consequence consequence-kept" id="consequence-kept">${icon('ok')}<span>${words.kept}</span></p>
                      ${words.afterwards
                        ? html`<p class="consequence consequence-after" id="consequence-afterwards">
                            ${icon('info')}<span>${words.afterwards}</span>
                          </p>`
                        : nothing}`}
            </div>
            ${matches ? coreNotes(t, plan.warnings.filter((w) => w.code !== 'kept_for_another_generation'), 'plan-warnings') : nothing}
            ${removes
              ? html`<div class="check backup-choice">
                  <input
                    type="checkbox"
                    id="clear-backup"
                    .checked=${live(c.backup)}
                    aria-describedby="clear-backup-hint"
                    @change=${(e: Event) => actions.setBackup((e.target as HTMLInputElement).checked)}
                  />
                  <label for="clear-backup">${t('cleanup.backup')}</label>
                  <span class="hint" id="clear-backup-hint">${t('cleanup.backupHint')}</span>
                </div>`
              : nothing}
            ${c.refused || needDate
              ? nothing
              : html`<details class="tech clear-storage" id="clear-storage">
                  <summary>${t('cleanup.storageDetails')}</summary>
                  ${plan.generationsPresent.length < 2
                    ? html`<p id="clear-generation" data-generation=${plan.generation}>
                        ${t('cleanup.generation', {
                          versions: state.inspection?.generations.find((g) => g.id === plan.generation)?.versions ?? plan.generation,
                          id: plan.generation,
                        })}
                      </p>`
                    : nothing}
                  <p id="clear-intro">
                    ${fill(t, 'cleanup.dialogIntro', 'path', html`<code class="path">${pathText(plan.dataDir)}</code>`)}
                  </p>
                  <h3>${icon('danger')} ${t('cleanup.willDelete')}</h3>
                  ${plan.removals.length > 0
                    ? removalsTable(t, plan.removals, plan.totalBytes, plan.dataDir)
                    : plan.rewrite && plan.rewrite.removed > 0
                      ? html`<p id="plan-rewrite">${plural(t, 'cleanup.rewriteDetail', plan.rewrite.removed)}</p>`
                      : html`<p class="empty" id="plan-empty">${t('cleanup.nothingToDelete')}</p>`}
                  <h3>${icon('ok')} ${t('cleanup.willKeep')}</h3>
                  ${keptView(t, plan.kept, plan.leftInPlace, plan.dataDir)}
                </details>`}
          </div>
          <div class="dialog-foot">
            <div class="check check-strong">
              <input
                type="checkbox"
                id="clear-understand"
                .checked=${live(c.understand)}
                @change=${(e: Event) => actions.setUnderstand((e.target as HTMLInputElement).checked)}
              />
              <label for="clear-understand"
                >${t(c.backup && removes ? 'cleanup.understandBackup' : 'cleanup.understand')}</label
              >
            </div>
            <div class="btn-row end">
              <button type="button" class="btn btn-default" id="clear-cancel" autofocus @click=${actions.cancelClear}>
                ${t('cleanup.cancel')}
              </button>
              <button
                type="button"
                class="btn btn-danger"
                id="clear-confirm"
                ?disabled=${!c.understand || !removes || !matches || state.busy > 0}
                aria-describedby=${ifDefined(c.understand ? undefined : 'clear-confirm-hint')}
                @click=${actions.confirmClear}
              >
                ${t('cleanup.confirm')}
              </button>
            </div>
            ${c.understand ? nothing : html`<p class="hint end" id="clear-confirm-hint">${t('cleanup.confirmHint')}</p>`}
          </div>`
      : nothing}
  </dialog>`;
}

/** Which generation the plan clears, and (in a mixed folder) a choice of another. */
function generationChooser(state: State, t: Translate, actions: Actions, plan: ClearPlan): View {
  const versionsOf = (id: GenerationId) => state.inspection?.generations.find((g) => g.id === id)?.versions ?? id;
  const line = html`<p id="clear-generation" data-generation=${plan.generation}>
    ${t('cleanup.generation', { versions: versionsOf(plan.generation), id: plan.generation })}
  </p>`;
  // One generation: which one is a detail for support (shown in the fold).
  if (plan.generationsPresent.length < 2) return nothing;
  return html`${line}
    <div class="field-row">
      <label class="field-label" for="clear-generation-select">${t('cleanup.chooseGeneration')}</label>
      <select
        id="clear-generation-select"
        class="select"
        @change=${(e: Event) => actions.openClear((e.target as HTMLSelectElement).value as GenerationId)}
      >
        ${[...plan.generationsPresent].reverse().map(
          (id) => html`<option value=${id} ?selected=${id === plan.generation}>
            ${t('gen.name', { versions: versionsOf(id) })} (${id})
          </option>`,
        )}
      </select>
    </div>`;
}

const SCOPE_LABEL: Record<ScopeKind, MessageKey> = {
  all: 'cleanup.scope.all',
  threads: 'cleanup.scope.threads',
  settings: 'cleanup.scope.settings',
  archivedThreads: 'cleanup.scope.archivedThreads',
  threadsBefore: 'cleanup.scope.threadsBefore',
};

/**
 * What to clear: a radio group with a legend (archived and older threads only
 * for XWorkmate 0.6.1's data) —
 * arrow keys move the choice, each choice asks for its plan — and, for "before
 * a date", a labelled date field.
 */
function scopeChooser(state: State, t: Translate, actions: Actions, plan: ClearPlan): View {
  const c = state.clear;
  // Later versions clear their threads or their settings as a whole.
  const kinds =
    plan.generation === 'A' ? SCOPE_KINDS : SCOPE_KINDS.filter((k) => k === 'all' || k === 'threads' || k === 'settings');
  return html`<fieldset class="scope-choice" id="clear-scope">
    <legend class="field-label">${t('cleanup.scope')}</legend>
    ${kinds.map(
      (kind) => html`<div class="radio">
        <input
          type="radio"
          name="clear-scope"
          id=${`clear-scope-${kind}`}
          value=${kind}
          .checked=${live(c.scope === kind)}
          @change=${(e: Event) => {
            if ((e.target as HTMLInputElement).checked) actions.setClearScope(kind);
          }}
        />
        <label for=${`clear-scope-${kind}`}>${t(SCOPE_LABEL[kind])}</label>
      </div>`,
    )}
    ${c.scope === 'threadsBefore'
      ? html`<div class="field-row scope-date">
          <label class="field-label" for="clear-before">${t('cleanup.before')}</label>
          <input
            type="date"
            id="clear-before"
            class="input input-date"
            required
            .value=${live(c.before)}
            @change=${(e: Event) => actions.setClearBefore((e.target as HTMLInputElement).value)}
          />
        </div>`
      : nothing}
  </fieldset>`;
}

function keptView(t: Translate, kept: Kept, leftInPlace: string[], dataDir: string): TemplateResult {
  return html`<ul class="kept" id="plan-kept" data-secret-count=${String(kept.secretCount)}>
    ${kept.secretCount > 0
      ? kept.secrets.map(
          (group) => html`<li data-backend=${group.backend}>
            <span>${t('cleanup.keptSecrets', { backend: t(SECRET_BACKEND[group.backend]), n: group.count })}</span>
            <span class="chips">${group.names.map((n) => html`<code class="chip">${n}</code>`)}</span>
          </li>`,
        )
      : html`<li>${t('cleanup.keptNoSecrets')}</li>`}
    <li>
      ${kept.auditTrailEntries === null
        ? t('cleanup.keptAuditUnknown')
        : plural(t, 'cleanup.keptAudit', kept.auditTrailEntries)}
    </li>
    ${kept.otherSqliteKeys.length > 0
      ? html`<li>${t('cleanup.keptOtherKeys', { keys: kept.otherSqliteKeys.join(', ') })}</li>`
      : nothing}
    ${kept.otherPreferences > 0 ? html`<li>${t('cleanup.keptPrefs', { n: kept.otherPreferences })}</li>` : nothing}
    <li>${fill(t, 'cleanup.keptGatewayAuth', 'path', pathCell(kept.secretsFolder ?? kept.gatewayAuth, dataDir))}</li>
    ${kept.forOtherGenerations.map(
      (k) => html`<li class="kept-for-generation" data-generation=${k.generation}>
        ${fill(t, 'cleanup.keptForGeneration', 'path', pathCell(k.path, dataDir))}
      </li>`,
    )}
    ${leftInPlace.length > 0
      ? html`<li>
          ${t('cleanup.leftInPlace')}
          <ul class="plain-list">
            ${leftInPlace.map((p) => html`<li><code class="path">${pathText(p)}</code></li>`)}
          </ul>
        </li>`
      : nothing}
  </ul>`;
}

/** Keeps Tab and Shift+Tab inside the open dialog. */
function trapFocus(event: KeyboardEvent): void {
  if (event.key !== 'Tab') return;
  const dialog = event.currentTarget as HTMLElement;
  const focusable = Array.from(
    dialog.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex="-1"])'),
  ).filter(
    (el) =>
      !(el as HTMLButtonElement).disabled &&
      el.offsetParent !== null &&
      // A radio group is one Tab stop: its checked radio.
      !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked),
  );
  if (focusable.length === 0) return;
  const first = focusable[0]!;
  const last = focusable[focusable.length - 1]!;
  const active = dialog.ownerDocument.activeElement;
  if (event.shiftKey && (active === first || !dialog.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

function restoreResultView(state: State, t: Translate): TemplateResult {
  const r = state.restoreResult;
  if (!r) return html`<div id="restore-result" class="result" role="status" tabindex="-1"></div>`;
  return html`<div id="restore-result" class="result" role="status" tabindex="-1" data-restored=${String(r.restored.length)}>
    <div class="result-box result-ok">
      <div class="result-head"><h3>${icon('ok')} ${t('restore.done', { n: r.restored.length })}</h3></div>
      <ul class="plain-list">
        ${r.restored.map((i) => html`<li>${pathCell(i.path, dataDirOf(state))}</li>`)}
      </ul>
      ${r.safetyBackup
        ? html`<p id="restore-safety">${fill(t, 'restore.safety', 'path', html`<code class="path">${pathText(r.safetyBackup)}</code>`)}</p>`
        : nothing}
    </div>
  </div>`;
}

function restoreDialog(state: State, t: Translate, actions: Actions): TemplateResult {
  const r = state.restore;
  const plan = r.plan;
  const conflicts = plan?.items.filter((i) => i.replaces) ?? [];
  const blocked = !plan || plan.items.length === 0 || (conflicts.length > 0 && !r.replace);
  return html`<dialog
    id="restore-dialog"
    class="dialog"
    aria-labelledby="restore-title"
    aria-describedby="restore-intro"
    @close=${actions.restoreDialogClosed}
    @keydown=${trapFocus}
  >
    ${plan && r.open
      ? html`<div class="dialog-body">
            <h2 id="restore-title">${t('restore.title')}</h2>
            <p id="restore-intro">${fill(t, 'restore.intro', 'path', html`<code class="path">${pathText(plan.backup)}</code>`)}</p>
            <dl class="inline-meta" id="restore-meta">
              <dt>${t('restore.made')}</dt>
              <dd>${plan.createdAtMs ? formatTime(plan.createdAtMs, state.lang) : t('common.dash')}</dd>
              <dt>${t('restore.from')}</dt>
              <dd><code class="path">${pathText(plan.fromDataDir)}</code></dd>
              <dt>${t('restore.holds')}</dt>
              <dd id="restore-holds">
                ${plan.settingsIncluded ? t('restore.holdsSettings', { n: plan.threadCount }) : t('restore.holdsThreads', { n: plan.threadCount })}
              </dd>
            </dl>
            <h3>${t('restore.willWrite')}</h3>
            ${plan.items.length > 0
              ? html`<ul class="plain-list" id="restore-items">
                  ${plan.items.map(
                    (i) => html`<li data-replaces=${String(i.replaces)}>
                      ${pathCell(i.path, plan.dataDir)} · ${formatBytes(i.bytes)}
                      ${i.replaces ? pill('warn', t('restore.replaces')) : pill('neutral', t('restore.new'))}
                    </li>`,
                  )}
                </ul>`
              : html`<p class="empty" id="restore-empty">${t('restore.nothing')}</p>`}
            ${plan.skipped.length > 0
              ? html`<details class="tech">
                  <summary>${t('restore.skipped', { n: plan.skipped.length })}</summary>
                  <ul class="plain-list">
                    ${plan.skipped.map((s) => html`<li><code class="path">${pathText(s.path)}</code> — ${t(SKIP_REASON[s.reason])}</li>`)}
                  </ul>
                </details>`
              : nothing}
            <p class="hint">${t('restore.secretsUntouched')}</p>
          </div>
          <div class="dialog-foot">
            ${conflicts.length > 0
              ? html`<div class="checks">
                  <div class="check check-strong">
                    <input
                      type="checkbox"
                      id="restore-replace"
                      .checked=${live(r.replace)}
                      aria-describedby="restore-replace-hint"
                      @change=${(e: Event) => actions.setReplace((e.target as HTMLInputElement).checked)}
                    />
                    <label for="restore-replace">${t('restore.replace')}</label>
                    <span class="hint" id="restore-replace-hint">${t('restore.replaceHint', { n: conflicts.length })}</span>
                  </div>
                </div>`
              : nothing}
            <div class="btn-row end">
              <button type="button" class="btn btn-default" id="restore-cancel" autofocus @click=${actions.cancelRestore}>
                ${t('cleanup.cancel')}
              </button>
              <button type="button" class="btn btn-primary" id="restore-confirm" ?disabled=${blocked} @click=${actions.confirmRestore}>
                ${t('restore.confirm')}
              </button>
            </div>
          </div>`
      : nothing}
  </dialog>`;
}

// --- Rebuilding a damaged database -------------------------------------------------

const SETTINGS_KEY = 'xworkmate.settings.snapshot';
const THREADS_KEY = 'xworkmate.assistant.threads';

/** What the new database holds, in words: each document and where it is read from; other rows counted. */
function rebuildItems(t: Translate, r: RebuildReport): TemplateResult {
  const row = (key: string) => r.rows.find((x) => x.storageKey === key);
  const settings = row(SETTINGS_KEY);
  const threads = row(THREADS_KEY);
  const others = r.rows.filter((x) => x !== settings && x !== threads).length;
  const items: Array<[string, string]> = [];
  if (settings && r.settings) {
    items.push(['settings', t(settings.from === 'mirror' ? 'rebuild.settingsFromMirror' : 'rebuild.settingsFromDatabase')]);
  }
  if (threads) {
    items.push([
      'threads',
      r.threads === 0
        ? t('rebuild.emptyThreadList')
        : plural(t, threads.from === 'mirror' ? 'rebuild.threadsFromMirror' : 'rebuild.threadsFromDatabase', r.threads),
    ]);
  }
  if (others > 0) items.push(['other', plural(t, 'rebuild.otherRows', others)]);
  return html`<ul class="plain-list rebuild-items" id=${r.executed ? 'rebuild-done-items' : 'rebuild-items'}>
      ${items.map(([what, text]) => html`<li data-what=${what}>${icon('ok')}<span>${text}</span></li>`)}
    </ul>
    ${!settings || !r.settings ? html`<p class="rebuild-missing">${icon('info')}<span>${t('rebuild.noSettings')}</span></p>` : nothing}
    ${!threads ? html`<p class="rebuild-missing">${icon('info')}<span>${t('rebuild.noThreads')}</span></p>` : nothing}`;
}

/** The confirmation: what the dry run says will happen; Cancel first. */
function rebuildDialog(state: State, t: Translate, actions: Actions): TemplateResult {
  const r = state.rebuild;
  const plan = r.plan;
  return html`<dialog
    id="rebuild-dialog"
    class="dialog"
    aria-labelledby="rebuild-title"
    aria-describedby="rebuild-intro"
    @close=${actions.rebuildDialogClosed}
    @keydown=${trapFocus}
  >
    ${plan && r.open
      ? html`<div class="dialog-body">
            <h2 id="rebuild-title">${t('rebuild.title')}</h2>
            <p id="rebuild-intro">${t('rebuild.intro')}</p>
            ${rebuildItems(t, plan)}
            <p class="consequence" id="rebuild-kept">
              ${icon('ok')}<span>${withNamesAnd(t('rebuild.keptAs'), 'path', pathCell(plan.keptAs, dataDirOf(state)))}</span>
            </p>
            <p class="consequence" id="rebuild-untouched">${icon('ok')}<span>${t('rebuild.untouched')}</span></p>
            ${techDetail(t, plan.problem, { id: 'rebuild-problem' })}
          </div>
          <div class="dialog-foot">
            <div class="btn-row end">
              <button type="button" class="btn btn-default" id="rebuild-cancel" autofocus @click=${actions.cancelRebuild}>
                ${t('cleanup.cancel')}
              </button>
              <button
                type="button"
                class="btn btn-primary"
                id="rebuild-confirm"
                ?disabled=${state.busy > 0 || xworkmateRunning(state)}
                @click=${actions.confirmRebuild}
              >
                ${t('rebuild.confirm')}
              </button>
            </div>
          </div>`
      : nothing}
  </dialog>`;
}

function rebuildResultView(state: State, t: Translate): TemplateResult {
  const r = state.rebuildResult;
  if (!r) return html`<div id="rebuild-result" class="result" role="status" tabindex="-1"></div>`;
  return html`<div id="rebuild-result" class="result" role="status" tabindex="-1" data-executed=${String(r.executed)}>
    <div class="result-box result-ok">
      <div class="result-head"><h3>${icon('ok')} ${t('rebuild.done')}</h3></div>
      <p>${t('rebuild.holds')}</p>
      ${rebuildItems(t, r)}
      <p id="rebuild-kept-as">${withNamesAnd(t('rebuild.keptAsDone'), 'path', pathCell(r.keptAs, dataDirOf(state)))}</p>
      <p>${t('rebuild.untouchedDone')}</p>
      ${techDetail(t, r.problem)}
    </div>
  </div>`;
}

/** A support report opened from a file: read-only, under a banner saying whose it is. */
function openedReportView(state: State, t: Translate, actions: Actions): View {
  const r = state.openedReport;
  if (!r) return nothing;
  const locked = r.recovery.sources.filter((s) => s.state === 'locked');
  return html`<section id="opened-report" class="card opened-report" aria-labelledby="opened-report-heading">
    <div class="banner banner-info" id="opened-report-banner">
      ${icon('info')}
      <p>
        ${t('opened.banner', {
          dir: r.dataDir,
          time: formatTime(r.generatedAtMs, state.lang),
          tool: r.tool,
          os: r.os,
        })}
      </p>
      <button type="button" class="btn btn-default" id="btn-close-report" @click=${actions.closeReport}>${t('opened.close')}</button>
    </div>
    <div class="card-head">
      <h2 id="opened-report-heading" tabindex="-1">${t('opened.title')}</h2>
    </div>
    <div class="status-row">
      <span class="field-label">${t('recovery.current')}</span>
      <span id="opened-status" data-status=${r.recovery.status}>${pill(STATUS[r.recovery.status].tone, statusWord(t, r.recovery.status))}</span>
      <p class="status-explain">${t(STATUS[r.recovery.status].explain)}</p>
    </div>
    <ul id="opened-locked" class="locked-list" ?hidden=${locked.length === 0}>
      ${locked.map((s) => lockedSourceItem(t, s))}
    </ul>
    <dl class="inline-meta">
      <dt>${t('opened.database')}</dt>
      <dd>${pill(INTEGRITY[r.databaseIntegrity].tone, t(INTEGRITY[r.databaseIntegrity].key))}</dd>
      <dt>${t('opened.threads')}</dt>
      <dd id="opened-threads">${r.threadCount}</dd>
      <dt>${t('opened.secrets')}</dt>
      <dd>${r.secrets.filter((x) => x.present).map((x) => x.name).join(', ') || t('common.dash')}</dd>
    </dl>
    ${r.warnings.length > 0
      ? html`<ul class="warnings" id="opened-findings">
          ${r.warnings.map((w) => html`<li>${callout(warningTone(w.code), html`<p>${warningText(t, w.code)}</p>`, { code: w.code })}</li>`)}
        </ul>`
      : nothing}
    ${r.generations.length > 0
      ? html`<ul class="plain-list" id="opened-generations">
          ${r.generations.map(
            (g) => html`<li data-generation=${g.id}>
              ${t('gen.name', { versions: g.versions })} (${g.id}) ${g.current ? pill('ok', t('gen.current')) : nothing}
              · ${t('gen.threads')}: ${g.threadCount}
              ${g.findings.length > 0 ? html`· ${g.findings.map((f) => warningText(t, f.code)).join(' ')}` : nothing}
            </li>`,
          )}
        </ul>`
      : nothing}
  </section>`;
}
