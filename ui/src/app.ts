import { type Backend, BackendError, type DataDirOrigin } from './backend';

const ORIGIN_LABELS: Record<DataDirOrigin, string> = {
  explicit: 'the --data-dir option',
  environment: 'the XWORKMATE_DATA_DIR variable',
  default: "XWorkmate's default location",
};

function element(doc: Document, id: string): HTMLElement {
  const found = doc.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found;
}

/** Fills the page (index.html) from `backend`. */
export async function render(doc: Document, backend: Backend): Promise<void> {
  const dataDir = element(doc, 'data-dir');
  const origin = element(doc, 'data-dir-origin');
  const version = element(doc, 'app-version');
  const error = element(doc, 'error');
  element(doc, 'backend-note').hidden = !backend.isFake;

  try {
    const info = await backend.appInfo();
    dataDir.textContent = info.dataDir;
    origin.textContent = ORIGIN_LABELS[info.dataDirOrigin] ?? info.dataDirOrigin;
    version.textContent = info.version;
    error.hidden = true;
  } catch (caught) {
    const failure = BackendError.from(caught);
    dataDir.textContent = 'unknown';
    error.textContent = `Cannot read the app's state: ${failure.message} [${failure.code}]`;
    error.dataset.code = failure.code;
    error.hidden = false;
  } finally {
    dataDir.removeAttribute('aria-busy');
  }
}
