import { invoke } from '@tauri-apps/api/core';

import type { GenerationId } from './bindings/GenerationId';
import type { ThreadsExport } from './bindings/ThreadsExport';
import type { RestorePlan } from './bindings/RestorePlan';
import type { RestoreOutcome } from './bindings/RestoreOutcome';
import type { SupportReport } from './bindings/SupportReport';
import type { ClearOutcome } from './bindings/ClearOutcome';
import type { ClearPlan } from './bindings/ClearPlan';
import type { ClearScope } from './bindings/ClearScope';
import type { Inspection } from './bindings/Inspection';
import type { LockedRecoveryReport } from './bindings/LockedRecoveryReport';
import type { RecoveryReport } from './bindings/RecoveryReport';
import type { RebuildReport } from './bindings/RebuildReport';
import type { ProgressReport } from './bindings/ProgressReport';
import type { Lang } from './i18n';
import { type AppInfo, type Backend, BackendError, type KeyTestResult } from './backend';

/** The real backend: the app's Tauri commands (src-tauri/src/commands.rs). */
export class TauriBackend implements Backend {
  readonly isFake = false;

  appInfo(): Promise<AppInfo> {
    return call('app_info');
  }
  inspect(): Promise<Inspection> {
    return call('inspect');
  }
  lockedReport(): Promise<LockedRecoveryReport> {
    return call('locked_report');
  }
  recover(options: { dryRun: boolean; useCandidateKey: boolean }): Promise<RecoveryReport> {
    return call('recover', options);
  }
  testKey(key: string | null): Promise<KeyTestResult | null> {
    return call('test_key', { key });
  }
  forgetCandidateKey(): Promise<void> {
    return call('forget_candidate_key');
  }
  clearPlan(generation?: GenerationId, scope?: ClearScope): Promise<ClearPlan> {
    if (!generation && !scope) return call('clear_plan');
    return call('clear_plan', { ...(generation ? { generation } : {}), ...(scope ? { scope } : {}) });
  }
  clearExecute(options: { backup: boolean }): Promise<ClearOutcome | null> {
    return call('clear_execute', options);
  }
  exportThreads(generation?: GenerationId): Promise<ThreadsExport | null> {
    return generation ? call('export_threads', { generation }) : call('export_threads');
  }
  restorePlan(): Promise<RestorePlan | null> {
    return call('restore_plan');
  }
  restoreExecute(options: { replace: boolean }): Promise<RestoreOutcome> {
    return call('restore_execute', options);
  }
  openReport(): Promise<SupportReport | null> {
    return call('open_report');
  }
  exportReport(): Promise<string | null> {
    return call('export_report');
  }
  copyReport(): Promise<void> {
    return call('copy_report');
  }
  copyDataDir(): Promise<void> {
    return call('copy_data_dir');
  }
  openDataDir(): Promise<void> {
    return call('open_data_dir');
  }
  chooseDataDir(): Promise<AppInfo | null> {
    return call('choose_data_dir');
  }
  rebuildDatabase(dryRun: boolean): Promise<RebuildReport> {
    return call('rebuild_database', { dryRun });
  }
  setLanguage(lang: Lang): Promise<void> {
    return call('set_language', { lang });
  }
  painted(): Promise<void> {
    return call('painted');
  }
  progress(): Promise<ProgressReport | null> {
    return call('progress');
  }
  cancel(): Promise<boolean> {
    return call('cancel');
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw BackendError.from(error);
  }
}
