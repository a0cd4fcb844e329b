import { defineConfig } from 'vitest/config';

// The app serves ui/dist from tauri://localhost (tauri.conf.json `frontendDist`):
// no dev server, no remote content.
export default defineConfig({
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  test: {
    environment: 'happy-dom',
    environmentOptions: {
      // Unit tests render index.html's markup; they load no files and run no
      // page scripts (the browser test does that).
      happyDOM: {
        settings: {
          disableCSSFileLoading: true,
          disableJavaScriptFileLoading: true,
          disableJavaScriptEvaluation: true,
          handleDisabledFileLoadingAsSuccess: true,
        },
      },
    },
    include: ['src/**/*.test.ts'],
  },
});
