import { invoke } from '@tauri-apps/api/core';

import { type AppInfo, type Backend, BackendError } from './backend';

/** The real backend: the app's Tauri commands. */
export class TauriBackend implements Backend {
  readonly isFake = false;

  appInfo(): Promise<AppInfo> {
    return call<AppInfo>('app_info');
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw BackendError.from(error);
  }
}
