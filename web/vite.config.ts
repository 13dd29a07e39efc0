/**
 * The web app (public portal + operator console). Built by `npm start` (scripts/build.js runs
 * `vite build web` from the repository root) into web/dist, which the server serves with an SPA fallback.
 */
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type UserConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig(({ command }) => {
  // `npm test` builds through scripts/build.js with NODE_ENV=test inherited from Vitest: a build is always production
  // (React's development build would double the entry chunk).
  if (command === 'build') process.env.NODE_ENV = 'production'
  return config
})

const config: UserConfig = {
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/ngsi-ld': 'http://localhost:8080',
    },
  },
}
