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
    chunkSizeWarningLimit: 4_000,
    rollupOptions: {
      output: {
        entryFileNames: 'comeback-admin.js',
        chunkFileNames: 'comeback-admin-[name].js',
        assetFileNames: 'comeback-admin[extname]',
      },
    },
  },
});
