import { optionsFromUrl, render } from './app';
import { type Backend, inTauri } from './backend';
import { TauriBackend } from './tauri-backend';

// The fake backend (sample data) is loaded only outside the app.
const backend: Backend = inTauri()
  ? new TauriBackend()
  : (await import('./fake-backend')).FakeBackend.fromUrl(window.location.href);
const url = optionsFromUrl(window.location.href);
// Light or dark: ?theme= when given, else the system's, followed live.
const root = document.documentElement;
if (url.theme) {
  root.dataset.theme = url.theme;
} else {
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const follow = (): void => {
    root.dataset.theme = dark.matches ? 'dark' : 'light';
  };
  follow();
  dark.addEventListener('change', follow);
}

let storage: Storage | null = null;
try {
  storage = window.localStorage;
} catch {
  storage = null;
}

void render(document, backend, {
  urlLang: url.lang,
  storage,
  fallbackLocale: navigator.language,
  screenshot: url.screenshot,
});
