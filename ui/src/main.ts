import { render } from './app';
import { type Backend, inTauri } from './backend';
import { FakeBackend } from './fake-backend';
import { TauriBackend } from './tauri-backend';

const backend: Backend = inTauri() ? new TauriBackend() : FakeBackend.fromUrl(window.location.href);
void render(document, backend);
