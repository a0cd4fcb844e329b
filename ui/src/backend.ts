// The UI talks to its backend only through this interface: the Tauri
// implementation in the app, a fake one in a plain browser (UI development and
// the headless-browser test), each screen the same in both.

/** How the data dir was chosen (the core's `DataDirOrigin`). */
export type DataDirOrigin = 'explicit' | 'environment' | 'default';

/** What the `app_info` command returns. */
export interface AppInfo {
  version: string;
  dataDir: string;
  dataDirOrigin: DataDirOrigin;
}

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

export interface Backend {
  /** `true` for the fake backend (sample data). */
  readonly isFake: boolean;
  appInfo(): Promise<AppInfo>;
}

/** True inside the Tauri app (its IPC bridge is present). */
export function inTauri(win: Window = window): boolean {
  return '__TAURI_INTERNALS__' in win;
}
