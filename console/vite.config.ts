import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Run from the project root (`npm run build:console`): the console's sources are
// in console/, its build goes where the gateway serves it from (dist/console).
export default defineConfig({
  root: 'console',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // Chromium, Firefox and Safari of the last two years: no legacy transforms.
    target: 'es2022',
    // The preload helper would otherwise be the only reason for extra code in the entry.
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: true,
  },
});
