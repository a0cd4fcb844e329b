// The Diagnostics panel: state, actions and the render loop. The markup is in
// view.ts; every backend call goes through `run`, which marks the page busy
// (body[data-busy], disabled buttons, aria-busy, a spinner) and turns failures
// into the #error alert.

import { render as litRender } from 'lit-html';

import { type AppInfo, type Backend, BackendError, type KeyTestResult } from './backend';
import type { GenerationId } from './bindings/GenerationId';
import type { RestorePlan } from './bindings/RestorePlan';
import type { RestoreOutcome } from './bindings/RestoreOutcome';
import type { SupportReport } from './bindings/SupportReport';
import type { ClearOutcome } from './bindings/ClearOutcome';
import type { ClearPlan } from './bindings/ClearPlan';
import { isoDate, planMatches, type ScopeKind, scopeOf } from './clear-scope';
import { type ClearConsequences, clearConsequences } from './consequences';
import type { Inspection } from './bindings/Inspection';
import type { LockedRecoveryReport } from './bindings/LockedRecoveryReport';
import type { RecoveryReport } from './bindings/RecoveryReport';
import type { RebuildReport } from './bindings/RebuildReport';
import type { ProgressReport } from './bindings/ProgressReport';
import {
  htmlLang,
  isLang,
  isTraditionalChinese,
  type Lang,
  languageForLocale,
  type MessageKey,
  type Translate,
  translator,
  type Vars,
} from './i18n';
import { view } from './view';

export const LANG_STORAGE_KEY = 'xworkmate-diagnostics.lang';
/** Set once the "shown in Simplified Chinese" note was shown (it is shown once). */
export const HANT_NOTE_STORAGE_KEY = 'xworkmate-diagnostics.hant-note-shown';

export type ActionId =
  | 'load'
  | 'refresh'
  | 'open-folder'
  | 'copy-path'
  | 'choose-dir'
  | 'preview'
  | 'recover'
  | 'test-key'
  | 'pick-key'
  | 'recover-key'
  | 'copy-report'
  | 'export-report'
  | 'clear-plan'
  | 'clear-execute'
  | 'export-threads'
  | 'restore-plan'
  | 'restore-execute'
  | 'open-report'
  | 'rebuild-plan'
  | 'rebuild';

/** A message kept as key + values, so it follows a language switch. */
export interface Notice {
  key: MessageKey;
  vars?: Vars;
  tone?: 'ok' | 'info';
}

export interface ClearDialogState {
  open: boolean;
  /** The plan shown: of the part chosen, unless that part was refused or needs a date. */
  plan: ClearPlan | null;
  understand: boolean;
  backup: boolean;
  /** The part chosen (generation A only; everything otherwise). */
  scope: ScopeKind;
  /** "Last updated before": a local date `YYYY-MM-DD` ('' when the field is empty). */
  before: string;
  /** The core refused the part chosen (`selective_clear_unavailable`): its words are shown. */
  refused: BackendError | null;
}

export type ClearResult =
  | { cancelled: true }
  | { cancelled: false; outcome: ClearOutcome; consequences: ClearConsequences | null };

export interface RestoreDialogState {
  open: boolean;
  plan: RestorePlan | null;
  /** "Replace the current data (it is saved first)". */
  replace: boolean;
}

export interface RebuildDialogState {
  open: boolean;
  /** What the rebuild would do (its dry run). */
  plan: RebuildReport | null;
}

/** What a progress bar is about. */
export type ProgressKind = 'recover' | 'clear' | 'export' | 'restorePlan' | 'restore' | 'rebuildPlan' | 'rebuild' | 'report';

/** How often a running recovery's progress is asked for. */
const PROGRESS_POLL_MS = 200;

export interface State {
  lang: Lang;
  info: AppInfo | null;
  infoFailed: boolean;
  inspection: Inspection | null;
  locked: LockedRecoveryReport | null;
  checkedAt: number | null;
  busy: number;
  pending: ActionId | null;
  error: BackendError | null;
  folderNotice: Notice | null;
  reportNotice: Notice | null;
  /** The last threads export (or its cancel), shown beside the generations. */
  threadsNotice: Notice | null;
  recoveryResult: { report: RecoveryReport; withKey: boolean } | null;
  /** The key input holds text (the text itself is never kept here). */
  keyFilled: boolean;
  keyTest: KeyTestResult | null;
  clear: ClearDialogState;
  clearResult: ClearResult | null;
  restore: RestoreDialogState;
  restoreResult: RestoreOutcome | null;
  rebuild: RebuildDialogState;
  /** What the last rebuild did. */
  rebuildResult: RebuildReport | null;
  /** A support report opened from a file (shown read-only, never mixed in). */
  openedReport: SupportReport | null;
  /** A Traditional-Chinese system locale: say once that the app is in Simplified Chinese. */
  hantNote: boolean;
  /** "Details for support" is unfolded. */
  supportOpen: boolean;
  /** The thread list shows every thread (filtered), not only the newest few. */
  threadsAll: boolean;
  /** The thread list's filter (on the title). */
  threadsFilter: string;
  /** How far the running recovery (or clear) is (polled while it runs), or null. */
  progress: ProgressReport | null;
  /** What runs with progress: its words. */
  progressKind: ProgressKind;
  /** Cancel was pressed for the running recovery. */
  cancelRequested: boolean;
  /** What became of the last long operation when it did not finish (cancelled). */
  opNotice: Notice | null;
}

export interface Actions {
  setLang(lang: Lang): void;
  refresh(): void;
  openFolder(): void;
  copyPath(): void;
  chooseDir(): void;
  preview(): void;
  recover(): void;
  /** Cancels the running recovery (honoured while it only reads). */
  cancelOperation(): void;
  keyInput(filled: boolean): void;
  testKey(): void;
  pickKeyFile(): void;
  recoverWithKey(): void;
  copyReport(): void;
  exportReport(): void;
  /** Exports the threads of `generation` (default: the current one) to a file the user chooses. */
  exportThreads(generation?: GenerationId): void;
  showReport(): void;
  /** Shows the clear plan of `generation` (default: the current one). */
  openClear(generation?: GenerationId): void;
  /** Chooses what to clear (generation A): asks for the plan of that part. */
  setClearScope(kind: ScopeKind): void;
  /** Sets the date of "threads last updated before" (`YYYY-MM-DD`). */
  setClearBefore(date: string): void;
  setUnderstand(checked: boolean): void;
  setBackup(checked: boolean): void;
  cancelClear(): void;
  openRestore(): void;
  setReplace(checked: boolean): void;
  cancelRestore(): void;
  restoreDialogClosed(): void;
  confirmRestore(): void;
  /** "Rebuild the database…": its dry run, shown in a dialog to confirm. */
  openRebuild(): void;
  cancelRebuild(): void;
  rebuildDialogClosed(): void;
  confirmRebuild(): void;
  openReport(): void;
  closeReport(): void;
  dialogClosed(): void;
  confirmClear(): void;
  dismissError(): void;
  dismissHantNote(): void;
  /** Folds or unfolds "Details for support". */
  toggleSupport(): void;
  /** Unfolds "Details for support" (the sidebar link to it). */
  openSupport(): void;
  /** All threads (with a filter), or only the newest few. */
  toggleAllThreads(): void;
  setThreadFilter(text: string): void;
}

export interface AppOptions {
  /** `?lang=`: overrides everything, not remembered. */
  urlLang?: Lang | null;
  /** Where the chosen language is remembered (localStorage). */
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** Fallback locale when the backend cannot say (navigator.language). */
  fallbackLocale?: string;
  /** `?screenshot=1`: pictures for the docs, without the sample-data note. */
  screenshot?: boolean;
}

export class App {
  readonly state: State;
  readonly actions: Actions;
  private readonly root: HTMLElement;
  private forgetting: Promise<void> = Promise.resolve();
  /** The last clear plan asked for: an earlier answer that comes later is dropped. */
  private planAsked = 0;
  private langChosen: boolean;

  constructor(
    private readonly doc: Document,
    private readonly backend: Backend,
    private readonly options: AppOptions = {},
  ) {
    const stored = readStored(options.storage);
    this.langChosen = Boolean(options.urlLang ?? stored);
    this.state = {
      lang: options.urlLang ?? stored ?? languageForLocale(options.fallbackLocale),
      info: null,
      infoFailed: false,
      inspection: null,
      locked: null,
      checkedAt: null,
      busy: 0,
      pending: null,
      error: null,
      folderNotice: null,
      reportNotice: null,
      threadsNotice: null,
      recoveryResult: null,
      keyFilled: false,
      keyTest: null,
      clear: { open: false, plan: null, understand: false, backup: true, scope: 'all', before: '', refused: null },
      clearResult: null,
      restore: { open: false, plan: null, replace: false },
      restoreResult: null,
      rebuild: { open: false, plan: null },
      rebuildResult: null,
      openedReport: null,
      hantNote: false,
      supportOpen: false,
      threadsAll: false,
      threadsFilter: '',
      progress: null,
      progressKind: 'recover',
      cancelRequested: false,
      opNotice: null,
    };
    let root = doc.getElementById('root');
    if (!root) {
      root = doc.createElement('div');
      root.id = 'root';
      doc.body.append(root);
    }
    this.root = root;
    this.actions = this.makeActions();
  }

  get t(): Translate {
    return translator(this.state.lang);
  }

  /** Renders the state into the page. */
  update(): void {
    const { doc, state } = this;
    doc.documentElement.lang = htmlLang(state.lang);
    // document.title stays the product name (the window's title, as tests expect).
    doc.body.dataset.busy = String(state.busy > 0);
    const sampleNote = this.backend.isFake && !this.options.screenshot;
    litRender(view(state, this.t, this.actions, sampleNote), this.root);
  }

  /** First load: app info, inspection and the locked report. */
  async start(): Promise<void> {
    // The first render already says busy, so body[data-busy="false"] means loaded.
    await this.run('load', () => this.loadAll());
    // The language is chosen now (the system's, once the backend said it).
    this.tellLanguage();
    this.tellPainted();
  }

  /** Tells the shell once the first load is on screen (after the next paint). */
  private tellPainted(): void {
    const win = this.doc.defaultView;
    const frame = (f: () => void): void => {
      if (win?.requestAnimationFrame) win.requestAnimationFrame(f);
      else setTimeout(f, 0);
    };
    frame(() => frame(() => void this.backend.painted().catch(() => undefined)));
  }

  /** Tells the shell the UI's language, for the native dialogs' titles (nothing to show if it fails). */
  private tellLanguage(): void {
    void this.backend.setLanguage(this.state.lang).catch(() => undefined);
  }

  /**
   * Runs one backend action: busy while it runs, its failure shown in #error.
   * Returns the action's result, or `undefined` when it failed.
   */
  async run<T>(action: ActionId, work: () => Promise<T>): Promise<T | undefined> {
    const before = this.doc.activeElement as HTMLElement | null;
    this.state.busy += 1;
    this.state.pending = action;
    this.state.error = null;
    this.update();
    try {
      return await work();
    } catch (caught) {
      this.state.error = BackendError.from(caught);
      return undefined;
    } finally {
      this.state.busy -= 1;
      if (this.state.busy === 0) this.state.pending = null;
      this.update();
      const now = this.doc.activeElement;
      // A disabled button loses focus; give it back for keyboard users.
      if ((!now || now === this.doc.body) && before && before !== this.doc.body && before.isConnected) {
        before.focus({ preventScroll: true });
      }
    }
  }

  /**
   * A long operation (a recovery, its preview, a clear with its backup) with
   * its progress shown while it runs (polled) and a Cancel the core honours
   * while it only reads or writes its backup. `null` when it was cancelled:
   * nothing was changed.
   */
  private async withProgress<T>(kind: ProgressKind, work: () => Promise<T>): Promise<{ value: T } | null> {
    const s = this.state;
    s.opNotice = null;
    s.cancelRequested = false;
    s.progressKind = kind;
    let done = false;
    const poll = async (): Promise<void> => {
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, PROGRESS_POLL_MS));
        if (done) break;
        const now = await this.backend.progress().catch(() => null);
        if (done) break;
        const first = s.progress === null && now !== null;
        s.progress = now;
        this.update();
        // The button that started it is disabled: keyboard focus goes to Cancel.
        if (first && (this.doc.activeElement === this.doc.body || !this.doc.activeElement)) {
          this.doc.getElementById('btn-cancel-op')?.focus({ preventScroll: true });
        }
      }
    };
    // Escape cancels too (no dialog is open while it runs).
    const escape = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && s.progress) this.actions.cancelOperation();
    };
    this.doc.addEventListener('keydown', escape);
    void poll();
    try {
      return { value: await work() };
    } catch (caught) {
      if (BackendError.from(caught).code === 'cancelled') return null;
      throw caught;
    } finally {
      done = true;
      this.doc.removeEventListener('keydown', escape);
      s.progress = null;
      s.cancelRequested = false;
    }
  }

  /**
   * A long operation with its progress; `null` when it was cancelled (and the
   * page says so: `cancelled`) or when it gave nothing (a dialog closed).
   */
  private async cancellable<T>(kind: ProgressKind, cancelled: MessageKey, work: () => Promise<T | null>): Promise<T | null> {
    const done = await this.withProgress(kind, work);
    if (!done) {
      this.state.opNotice = { key: cancelled, tone: 'ok' };
      return null;
    }
    return done.value;
  }

  /** A recovery or its preview, with progress; `null` when cancelled (and the page says so). */
  private async tracked(options: { dryRun: boolean; useCandidateKey: boolean }): Promise<RecoveryReport | null> {
    const done = await this.withProgress('recover', () => this.backend.recover(options));
    if (!done) {
      this.state.opNotice = {
        key: options.dryRun ? 'progress.previewCancelled' : 'progress.recoveryCancelled',
        tone: 'ok',
      };
      return null;
    }
    return done.value;
  }

  private async loadAll(): Promise<void> {
    const [info, inspection, locked] = await Promise.allSettled([
      this.backend.appInfo(),
      this.backend.inspect(),
      this.backend.lockedReport(),
    ]);
    let failure: unknown = null;
    if (info.status === 'fulfilled') {
      this.state.info = info.value;
      this.state.infoFailed = false;
      if (!this.langChosen) {
        this.state.lang = languageForLocale(info.value.systemLocale);
        if (isTraditionalChinese(info.value.systemLocale) && !this.hantNoteShown()) {
          this.state.hantNote = true;
          try {
            this.options.storage?.setItem(HANT_NOTE_STORAGE_KEY, '1');
          } catch {
            // Storage may be unavailable: the note then shows at each start.
          }
        }
      }
    } else {
      this.state.infoFailed = true;
      failure = info.reason;
    }
    if (inspection.status === 'fulfilled') this.state.inspection = inspection.value;
    else failure ??= inspection.reason;
    if (locked.status === 'fulfilled') this.state.locked = locked.value;
    else failure ??= locked.reason;
    this.state.checkedAt = Date.now();
    if (failure !== null) throw failure;
  }

  private hantNoteShown(): boolean {
    try {
      return this.options.storage?.getItem(HANT_NOTE_STORAGE_KEY) === '1';
    } catch {
      return false;
    }
  }

  private async reloadReports(): Promise<void> {
    const [inspection, locked] = await Promise.all([this.backend.inspect(), this.backend.lockedReport()]);
    this.state.inspection = inspection;
    this.state.locked = locked;
    this.state.checkedAt = Date.now();
  }

  private focus(id: string): void {
    const target = this.doc.getElementById(id);
    target?.focus();
  }

  /** The focus is in "Details for support" (the action was started there). */
  private inSupport(): boolean {
    const active = this.doc.activeElement;
    return Boolean(active && active.closest('#support'));
  }

  private keyInputElement(): HTMLInputElement | null {
    return this.doc.getElementById('key-input') as HTMLInputElement | null;
  }

  private dialog(): HTMLDialogElement | null {
    return this.doc.getElementById('clear-dialog') as HTMLDialogElement | null;
  }

  private restoreDialog(): HTMLDialogElement | null {
    return this.doc.getElementById('restore-dialog') as HTMLDialogElement | null;
  }

  private rebuildDialog(): HTMLDialogElement | null {
    return this.doc.getElementById('rebuild-dialog') as HTMLDialogElement | null;
  }

  /**
   * Asks for the plan of the part chosen in the clear dialog (of the plan's
   * generation). Nothing is confirmed for a new plan; a refused part shows the
   * core's words in the dialog, and the plan shown (of another part) cannot
   * be confirmed until a part is chosen that the core accepts.
   */
  private askPartPlan(): void {
    const c = this.state.clear;
    c.understand = false;
    c.refused = null;
    const scope = scopeOf(c);
    const generation = c.plan?.generation;
    const asked = ++this.planAsked;
    if (!scope) {
      this.update();
      return;
    }
    void this.run('clear-plan', async () => {
      try {
        return await this.backend.clearPlan(generation, scope);
      } catch (caught) {
        const failure = BackendError.from(caught);
        if (failure.code !== 'selective_clear_unavailable') throw failure;
        if (asked === this.planAsked) c.refused = failure;
        return null;
      }
    }).then((plan) => {
      if (!plan || asked !== this.planAsked) return;
      c.plan = plan;
      c.understand = false;
      this.update();
    });
  }

  private makeActions(): Actions {
    const s = this.state;
    return {
      setLang: (lang) => {
        s.lang = lang;
        s.hantNote = false;
        this.langChosen = true;
        try {
          this.options.storage?.setItem(LANG_STORAGE_KEY, lang);
        } catch {
          // Storage may be unavailable; the choice then lasts for this window.
        }
        this.update();
        this.tellLanguage();
      },
      refresh: () => {
        void this.run('refresh', () => this.loadAll());
      },
      openFolder: () => {
        void this.run('open-folder', async () => {
          await this.backend.openDataDir();
          s.folderNotice = { key: 'folder.opened' };
        });
      },
      copyPath: () => {
        void this.run('copy-path', async () => {
          await this.backend.copyDataDir();
          s.folderNotice = { key: 'folder.copied', tone: 'ok' };
        });
      },
      chooseDir: () => {
        void this.run('choose-dir', async () => {
          const info = await this.backend.chooseDataDir();
          if (!info) return;
          s.info = info;
          s.recoveryResult = null;
          s.keyTest = null;
          s.clearResult = null;
          s.rebuildResult = null;
          s.reportNotice = null;
          s.folderNotice = { key: 'folder.switched', vars: { path: info.dataDir } };
          await this.reloadReports();
        });
      },
      preview: () => {
        const fromSupport = this.inSupport();
        void this.run('preview', async () => {
          const report = await this.tracked({ dryRun: true, useCandidateKey: false });
          if (report) s.recoveryResult = { report, withKey: false };
        }).then(() => {
          // The result shows under the status, at the top: take a keyboard user there.
          if (fromSupport && s.recoveryResult) this.focus('recovery-result');
        });
      },
      recover: () => {
        const fromSupport = this.inSupport();
        void this.run('recover', async () => {
          const report = await this.tracked({ dryRun: false, useCandidateKey: false });
          if (!report) return;
          s.recoveryResult = { report, withKey: false };
          await this.reloadReports();
        }).then(() => {
          if (fromSupport && s.recoveryResult) this.focus('recovery-result');
        });
      },
      cancelOperation: () => {
        if (s.cancelRequested || !s.progress || s.progress.writing) return;
        s.cancelRequested = true;
        this.update();
        void this.backend.cancel().then(
          (honoured) => {
            // Too late (it writes now): it finishes, and says so.
            if (!honoured) s.cancelRequested = false;
            this.update();
          },
          () => {
            s.cancelRequested = false;
            this.update();
          },
        );
      },
      keyInput: (filled) => {
        const hadTest = s.keyTest !== null && s.keyTest.source === 'pasted';
        s.keyFilled = filled;
        if (hadTest) {
          // The tested key is no longer what the field holds.
          s.keyTest = null;
          this.forgetting = this.backend.forgetCandidateKey().catch(() => undefined);
        }
        this.update();
      },
      testKey: () => {
        const input = this.keyInputElement();
        const key = input?.value.trim() ?? '';
        if (!key) return;
        void this.run('test-key', async () => {
          await this.forgetting;
          s.keyTest = await this.backend.testKey(key).catch((caught: unknown) => {
            const failure = BackendError.from(caught);
            if (failure.code !== 'key_invalid') throw failure;
            return invalidKeyResult();
          });
        });
      },
      pickKeyFile: () => {
        void this.run('pick-key', async () => {
          await this.forgetting;
          const result = await this.backend.testKey(null).catch((caught: unknown) => {
            const failure = BackendError.from(caught);
            if (failure.code !== 'key_invalid') throw failure;
            return { ...invalidKeyResult(), source: 'file' as const };
          });
          if (result) s.keyTest = result;
        });
      },
      recoverWithKey: () => {
        void this.run('recover-key', async () => {
          const report = await this.tracked({ dryRun: false, useCandidateKey: true });
          if (!report) return;
          s.recoveryResult = { report, withKey: true };
          if (report.status === 'migrated') {
            s.keyTest = null;
            s.keyFilled = false;
            const input = this.keyInputElement();
            if (input) input.value = '';
          }
          await this.reloadReports();
        }).then(() => {
          if (!this.keyInputElement()) this.focus('recovery-result');
        });
      },
      copyReport: () => {
        void this.run('copy-report', async () => {
          await this.backend.copyReport();
          s.reportNotice = { key: 'report.copied', tone: 'ok' };
        });
      },
      exportThreads: (generation?: GenerationId) => {
        void this.run('export-threads', async () => {
          const run = await this.withProgress('export', () => this.backend.exportThreads(generation));
          // Cancelled while it wrote, or the save dialog closed: nothing was written.
          const done = run?.value ?? null;
          s.threadsNotice = done
            ? { key: 'threads.exported', vars: { n: done.threads, path: done.out }, tone: 'ok' }
            : { key: 'threads.exportCancelled', tone: 'info' };
        });
      },
      exportReport: () => {
        void this.run('export-report', async () => {
          const run = await this.withProgress('report', () => this.backend.exportReport());
          if (!run) s.opNotice = { key: 'progress.reportCancelled', tone: 'ok' };
          else if (run.value) s.reportNotice = { key: 'report.exported', vars: { path: run.value }, tone: 'ok' };
        });
      },
      showReport: () => {
        s.supportOpen = true;
        this.update();
        const heading = this.doc.getElementById('locked-report-heading');
        heading?.scrollIntoView?.({ block: 'start' });
        heading?.focus({ preventScroll: true });
      },
      openClear: (generation?: GenerationId) => {
        const asked = ++this.planAsked;
        void this.run('clear-plan', () => this.backend.clearPlan(generation)).then((plan) => {
          if (!plan || asked !== this.planAsked) return;
          // Another generation's plan replaces the one shown: nothing is confirmed
          // yet, and it is of everything.
          s.clear = {
            open: true,
            plan,
            understand: false,
            backup: s.clear.open ? s.clear.backup : true,
            scope: 'all',
            before: s.clear.before || isoDate(Date.now()),
            refused: null,
          };
          s.clearResult = null;
          this.update();
          const dialog = this.dialog();
          if (dialog && !dialog.open) dialog.showModal();
          this.focus('clear-cancel');
        });
      },
      setClearScope: (kind) => {
        if (s.clear.scope === kind && !s.clear.refused) return;
        s.clear.scope = kind;
        this.askPartPlan();
      },
      setClearBefore: (date) => {
        if (s.clear.before === date) return;
        s.clear.before = date;
        if (s.clear.scope === 'threadsBefore') this.askPartPlan();
        else this.update();
      },
      setUnderstand: (checked) => {
        s.clear.understand = checked;
        this.update();
      },
      setBackup: (checked) => {
        s.clear.backup = checked;
        this.update();
      },
      cancelClear: () => {
        this.dialog()?.close();
      },
      openRestore: () => {
        void this.run('restore-plan', () => this.cancellable('restorePlan', 'progress.restoreCancelled', () => this.backend.restorePlan())).then((plan) => {
          if (!plan) return;
          s.restore = { open: true, plan, replace: false };
          s.restoreResult = null;
          this.update();
          const dialog = this.restoreDialog();
          if (dialog && !dialog.open) dialog.showModal();
          this.focus('restore-cancel');
        });
      },
      setReplace: (checked) => {
        s.restore.replace = checked;
        this.update();
      },
      cancelRestore: () => {
        this.restoreDialog()?.close();
      },
      restoreDialogClosed: () => {
        if (!s.restore.open) return;
        s.restore.open = false;
        this.update();
        this.focus('btn-restore');
      },
      confirmRestore: () => {
        const plan = s.restore.plan;
        if (!plan) return;
        const replace = s.restore.replace;
        if (plan.items.some((i) => i.replaces) && !replace) return;
        this.restoreDialog()?.close();
        void this.run('restore-execute', async () => {
          const result = await this.cancellable('restore', 'progress.restoreCancelled', () => this.backend.restoreExecute({ replace }));
          // Cancelled: nothing changed; the plan stays, to confirm again.
          if (!result) return;
          s.restoreResult = result;
          s.restore.plan = null;
          await this.reloadReports();
        }).then(() => this.focus(s.restoreResult ? 'restore-result' : 'btn-restore'));
      },
      openRebuild: () => {
        void this.run('rebuild-plan', () => this.cancellable('rebuildPlan', 'progress.rebuildCancelled', () => this.backend.rebuildDatabase(true))).then((plan) => {
          if (!plan) return;
          s.rebuild = { open: true, plan };
          s.rebuildResult = null;
          this.update();
          const dialog = this.rebuildDialog();
          if (dialog && !dialog.open) dialog.showModal();
          // Cancel first: nothing happens by pressing Enter.
          this.focus('rebuild-cancel');
        });
      },
      cancelRebuild: () => {
        this.rebuildDialog()?.close();
      },
      rebuildDialogClosed: () => {
        if (!s.rebuild.open) return;
        s.rebuild.open = false;
        this.update();
        this.focus('btn-rebuild');
      },
      confirmRebuild: () => {
        if (!s.rebuild.plan) return;
        this.rebuildDialog()?.close();
        void this.run('rebuild', async () => {
          const result = await this.cancellable('rebuild', 'progress.rebuildCancelled', () => this.backend.rebuildDatabase(false));
          if (!result) return;
          s.rebuildResult = result;
          s.rebuild.plan = null;
          await this.reloadReports();
        }).then(() => {
          // The status changes (the button goes): the result is where the focus goes.
          if (s.rebuildResult) this.focus('rebuild-result');
          else this.focus('btn-rebuild');
        });
      },
      openReport: () => {
        void this.run('open-report', async () => {
          const report = await this.backend.openReport();
          if (report) s.openedReport = report;
        }).then(() => {
          if (s.openedReport) this.focus('opened-report-heading');
        });
      },
      closeReport: () => {
        s.openedReport = null;
        this.update();
        this.focus('btn-open-report');
      },
      dialogClosed: () => {
        // Escape, Cancel and Clear all end here (the dialog's close event).
        if (!s.clear.open) return;
        s.clear.open = false;
        this.update();
        this.focus('btn-clear');
      },
      confirmClear: () => {
        if (!s.clear.understand || !s.clear.plan || !planMatches(s.clear)) return;
        const backup = s.clear.backup;
        const consequences = clearConsequences(s.clear.plan, s.inspection);
        this.dialog()?.close();
        void this.run('clear-execute', async () => {
          const done = await this.withProgress('clear', () => this.backend.clearExecute({ backup }));
          // Cancelled (its backup was being written) or the save dialog closed: nothing was removed.
          const outcome = done?.value ?? null;
          s.clearResult = outcome ? { cancelled: false, outcome, consequences } : { cancelled: true };
          s.clear.plan = null;
          if (outcome) await this.reloadReports();
        }).then(() => this.focus('btn-clear'));
      },
      dismissError: () => {
        s.error = null;
        this.update();
      },
      toggleSupport: () => {
        s.supportOpen = !s.supportOpen;
        this.update();
      },
      openSupport: () => {
        if (s.supportOpen) return;
        s.supportOpen = true;
        this.update();
      },
      toggleAllThreads: () => {
        s.threadsAll = !s.threadsAll;
        this.update();
        if (s.threadsAll) this.focus('thread-filter');
      },
      setThreadFilter: (text) => {
        s.threadsFilter = text;
        this.update();
      },
      dismissHantNote: () => {
        s.hantNote = false;
        this.update();
        this.focus('lang-select');
      },
    };
  }
}

function invalidKeyResult(): KeyTestResult {
  return { source: 'pasted', fileName: null, test: { valid: false, opens: [], stillLocked: [], wouldRecover: [] } };
}

function readStored(storage: AppOptions['storage']): Lang | null {
  try {
    const value = storage?.getItem(LANG_STORAGE_KEY);
    return isLang(value) ? value : null;
  } catch {
    return null;
  }
}

/** Options from the page's URL: `?lang=zh|en`, `?theme=dark|light`, `?screenshot=1`. */
export function optionsFromUrl(href: string): {
  lang: Lang | null;
  theme: 'dark' | 'light' | null;
  screenshot: boolean;
} {
  const params = new URL(href).searchParams;
  const lang = params.get('lang');
  const theme = params.get('theme');
  return {
    lang: isLang(lang) ? lang : null,
    theme: theme === 'dark' || theme === 'light' ? theme : null,
    screenshot: params.get('screenshot') === '1',
  };
}

/** Fills the page from `backend`; resolves when the first load is done. */
export async function render(doc: Document, backend: Backend, options: AppOptions = {}): Promise<App> {
  const app = new App(doc, backend, options);
  await app.start();
  return app;
}
