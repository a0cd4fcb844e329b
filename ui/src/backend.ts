// The UI talks to its backend only through this interface: the Tauri
// implementation in the app, a fake one in a plain browser (UI development and
// the headless-browser tests), each screen the same in both.
//
// Every payload type is generated from the Rust types (ui/src/bindings, ts-rs).

import type { GenerationId } from './bindings/GenerationId';
import type { ThreadsExport } from './bindings/ThreadsExport';
import type { RestorePlan } from './bindings/RestorePlan';
import type { RestoreOutcome } from './bindings/RestoreOutcome';
import type { SupportReport } from './bindings/SupportReport';
import type { ClearOutcome } from './bindings/ClearOutcome';
import type { ClearPlan } from './bindings/ClearPlan';
import type { ClearScope } from './bindings/ClearScope';
import type { DataDirOrigin } from './bindings/DataDirOrigin';
import type { Inspection } from './bindings/Inspection';
import type { LockedRecoveryReport } from './bindings/LockedRecoveryReport';
import type { RecoveryReport } from './bindings/RecoveryReport';
import type { AppInfo } from './bindings/AppInfo';
import type { RebuildReport } from './bindings/RebuildReport';
import type { Lang } from './i18n';
import type { KeyTestResult } from './bindings/KeyTestResult';
import type { ProgressReport } from './bindings/ProgressReport';

export type { DataDirOrigin };

// The app shell's own types are generated from src-tauri/src/commands.rs too.
export type { AppInfo, KeyTestResult };

/** A command's failure, with the core's stable machine code. */
export class BackendError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }

  /** Turns whatever a command rejected with into a BackendError. */
  static from(error: unknown): BackendError {
    if (error instanceof BackendError) return error;
    if (typeof error === 'object' && error !== null) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      if (typeof code === 'string' && typeof message === 'string') {
        return new BackendError(code, message);
      }
    }
    return new BackendError('internal', error instanceof Error ? error.message : String(error));
  }
}

/**
 * The app's operations. Every one is a thin wrapper over the same core call the
 * CLI makes. Dialogs (save/open) are shown by the backend itself, so paths to
 * write never come from the page: a cancelled dialog resolves to `null`.
 */
export interface Backend {
  /** `true` for the fake backend (sample data). */
  readonly isFake: boolean;
  appInfo(): Promise<AppInfo>;
  /** Read-only overview (core `inspect::inspect`). */
  inspect(): Promise<Inspection>;
  /** Read-only locked-recovery report with the last run (core `support::locked_report`). */
  lockedReport(): Promise<LockedRecoveryReport>;
  /**
   * Legacy recovery (core `recovery::run`). `dryRun` writes nothing (Preview).
   * `useCandidateKey` adds the key last accepted by `testKey`.
   */
  recover(options: { dryRun: boolean; useCandidateKey: boolean }): Promise<RecoveryReport>;
  /**
   * Tests a candidate key against the locked sources without writing anything
   * (core `recovery::test_key`). `key` is pasted base64url text; `null` opens a
   * file dialog to pick a key file (resolves to `null` when cancelled). A valid
   * key is remembered (in the backend, never echoed back) for `recover`.
   */
  testKey(key: string | null): Promise<KeyTestResult | null>;
  /** Forgets the remembered candidate key. */
  forgetCandidateKey(): Promise<void>;
  /**
   * The clear plan of `generation` (default: the current one; core
   * `clear::plan_scoped`) of everything, or of one part (`scope`, generation A
   * only: refused with `selective_clear_unavailable` otherwise, and while old
   * sealed state is present); remembered for `clearExecute`. Read-only.
   */
  clearPlan(generation?: GenerationId, scope?: ClearScope): Promise<ClearPlan>;
  /**
   * Executes exactly the last plan (core `clear::execute`). With `backup`, a save
   * dialog asks where to write the backup first; `null` when it was cancelled
   * (nothing was removed).
   */
  clearExecute(options: { backup: boolean }): Promise<ClearOutcome | null>;
  /** Saves the redacted support report via a save dialog; the path, or `null` when cancelled. */
  exportReport(): Promise<string | null>;
  /**
   * Writes every thread of `generation` (default: the current one) to a file
   * the user chooses (core `export::export_threads`); `null` when cancelled.
   */
  exportThreads(generation?: GenerationId): Promise<ThreadsExport | null>;
  /**
   * Picks a clear backup (open dialog) and returns what restoring it would do
   * (core `restore::plan`); remembered for `restoreExecute`. `null` when cancelled.
   */
  restorePlan(): Promise<RestorePlan | null>;
  /** Restores the last plan; `replace` replaces readable data (saved first). */
  restoreExecute(options: { replace: boolean }): Promise<RestoreOutcome>;
  /** Opens an exported support report (open dialog); `null` when cancelled. */
  openReport(): Promise<SupportReport | null>;
  /** Copies the redacted support report (JSON) to the clipboard. */
  copyReport(): Promise<void>;
  /** Copies the data dir path to the clipboard. */
  copyDataDir(): Promise<void>;
  /** Opens the data dir in the file manager. */
  openDataDir(): Promise<void>;
  /** "Open another data folder…": a folder dialog; the new app info, or `null` when cancelled. */
  chooseDataDir(): Promise<AppInfo | null>;
  /**
   * Rebuilds a damaged database from the rows it still gives and the readable
   * mirror files (core `rebuild::execute`), keeping the damaged one; `dryRun`
   * only says what it would do (core `rebuild::plan`).
   */
  rebuildDatabase(dryRun: boolean): Promise<RebuildReport>;
  /** Tells the shell the UI's language (the native dialogs' titles follow it). */
  setLanguage(lang: Lang): Promise<void>;
  /** The first load is on screen (the shell's start-up benchmark). */
  painted(): Promise<void>;
  /** How far the running recovery is; `null` when none runs. */
  progress(): Promise<ProgressReport | null>;
  /** Asks the running recovery to stop; `false` when it writes already (or none runs). */
  cancel(): Promise<boolean>;
}

/** True inside the Tauri app (its IPC bridge is present). */
export function inTauri(win: Window = window): boolean {
  return '__TAURI_INTERNALS__' in win;
}
