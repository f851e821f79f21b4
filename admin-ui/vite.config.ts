import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// One build for both hosts: relative asset URLs (served under /admin by the sidecar and from the
// plugin's folder by WordPress) and fixed file names, so the plugin can enqueue them by name.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One stylesheet for the plugin to enqueue, the lazily loaded screens' styles included.
    cssCodeSplit: false,
    chunkSizeWarningLimit: 4_000,
    rollupOptions: {
      output: {
        entryFileNames: 'comeback-admin.js',
        // Hashed: the entry (its name fixed for the plugin, which adds ?ver=) loads the rest by name.
        chunkFileNames: 'comeback-admin-[name]-[hash].js',
        // The translation machinery in a chunk of its own, shared by the entry (which sets the
        // language) and the screens' chunk, which then never imports the entry itself: WordPress
        // loads the entry as comeback-admin.js?ver=…, and an import of plain comeback-admin.js
        // would run it (and a second React) again.
        manualChunks: (id) =>
          /[\\/](@wordpress[\\/](i18n|hooks)|tannin|@tannin|memize)[\\/]|[\\/]src[\\/]i18n\.ts$/.test(id) ? 'i18n' : undefined,
        assetFileNames: 'comeback-admin[extname]',
      },
    },
  },
});
