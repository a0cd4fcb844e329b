import { optionsFromUrl, render } from './app';
import { type Backend, inTauri } from './backend';
import { TauriBackend } from './tauri-backend';

// The fake backend (sample data) is loaded only outside the app.
const backend: Backend = inTauri()
  ? new TauriBackend()
  : (await import('./fake-backend')).FakeBackend.fromUrl(window.location.href);
const url = optionsFromUrl(window.location.href);
if (url.theme) document.documentElement.dataset.theme = url.theme;

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
});
