import { type AppInfo, type Backend, BackendError } from './backend';

/** Sample data shown when the page runs outside the app. */
export const SAMPLE_APP_INFO: AppInfo = {
  version: '0.0.0-preview',
  dataDir: '/home/sample/.local/share/plus.svc.xworkmate/xworkmate',
  dataDirOrigin: 'default',
};

/**
 * A backend with sample data, for a plain browser. `failWith` makes every call
 * fail with that error code (the URL's `?fail=CODE` sets it), so error states can
 * be looked at too.
 */
export class FakeBackend implements Backend {
  readonly isFake = true;

  constructor(
    private readonly info: AppInfo = SAMPLE_APP_INFO,
    private readonly failWith?: string,
  ) {}

  static fromUrl(url: string): FakeBackend {
    const fail = new URL(url).searchParams.get('fail') ?? undefined;
    return new FakeBackend(SAMPLE_APP_INFO, fail);
  }

  async appInfo(): Promise<AppInfo> {
    if (this.failWith) {
      throw new BackendError(this.failWith, `sample failure (${this.failWith})`);
    }
    return { ...this.info };
  }
}
