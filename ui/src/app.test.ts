import { beforeEach, describe, expect, it, vi } from 'vitest';

import page from '../index.html?raw';
import { render } from './app';
import { type Backend, BackendError, inTauri } from './backend';
import { FakeBackend, SAMPLE_APP_INFO } from './fake-backend';
import { TauriBackend } from './tauri-backend';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

function text(id: string): string | null {
  return document.getElementById(id)!.textContent;
}

beforeEach(() => {
  // The page's <body> only: its stylesheet and script are not wanted here.
  document.body.innerHTML = new DOMParser().parseFromString(page, 'text/html').body.innerHTML;
  invoke.mockReset();
});

describe('render', () => {
  it('shows the data dir, how it was chosen and the version', async () => {
    await render(document, new FakeBackend());
    expect(document.querySelector('h1')!.textContent).toBe('Diagnostics');
    expect(text('data-dir')).toBe(SAMPLE_APP_INFO.dataDir);
    expect(document.getElementById('data-dir')!.hasAttribute('aria-busy')).toBe(false);
    expect(text('data-dir-origin')).toBe("XWorkmate's default location");
    expect(text('app-version')).toBe(SAMPLE_APP_INFO.version);
    expect(document.getElementById('error')!.hidden).toBe(true);
  });

  it('says when the data is sample data', async () => {
    await render(document, new FakeBackend());
    expect(document.getElementById('backend-note')!.hidden).toBe(false);
    const real: Backend = { isFake: false, appInfo: async () => SAMPLE_APP_INFO };
    await render(document, real);
    expect(document.getElementById('backend-note')!.hidden).toBe(true);
  });

  it('shows a failure with its code', async () => {
    await render(document, new FakeBackend(SAMPLE_APP_INFO, 'no_data_dir'));
    const error = document.getElementById('error')!;
    expect(error.hidden).toBe(false);
    expect(error.dataset.code).toBe('no_data_dir');
    expect(error.textContent).toContain('[no_data_dir]');
    expect(text('data-dir')).toBe('unknown');
  });
});

describe('TauriBackend', () => {
  it('calls app_info', async () => {
    invoke.mockResolvedValue({ version: '1.2.3', dataDir: '/d', dataDirOrigin: 'explicit' });
    await expect(new TauriBackend().appInfo()).resolves.toEqual({
      version: '1.2.3',
      dataDir: '/d',
      dataDirOrigin: 'explicit',
    });
    expect(invoke).toHaveBeenCalledWith('app_info', undefined);
  });

  it('turns a {code, message} rejection into a BackendError', async () => {
    invoke.mockRejectedValue({ code: 'no_data_dir', message: 'no home' });
    const failure = await new TauriBackend().appInfo().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackendError);
    expect(failure).toMatchObject({ code: 'no_data_dir', message: 'no home' });
  });
});

describe('BackendError.from', () => {
  it('keeps anything else readable', () => {
    expect(BackendError.from('boom')).toMatchObject({ code: 'internal', message: 'boom' });
    expect(BackendError.from(new Error('bad'))).toMatchObject({ code: 'internal', message: 'bad' });
    expect(BackendError.from({ code: 1 })).toMatchObject({ code: 'internal' });
  });
});

describe('backend choice', () => {
  it('is Tauri only where its IPC bridge is', () => {
    expect(inTauri(window)).toBe(false);
    expect(inTauri({ __TAURI_INTERNALS__: {} } as unknown as Window)).toBe(true);
  });

  it('lets the URL ask the fake backend for a failure', async () => {
    const fake = FakeBackend.fromUrl('http://127.0.0.1/?fail=permission_denied');
    await expect(fake.appInfo()).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(FakeBackend.fromUrl('http://127.0.0.1/').appInfo()).resolves.toEqual(SAMPLE_APP_INFO);
  });
});
