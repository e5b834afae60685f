import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const apiTarget = process.env.VITE_API_PROXY ?? 'http://localhost:3000';

/** Paths the API answers itself: the service worker never caches them nor answers them with the app. */
const SERVER_PATHS = [/^\/api\//, /^\/ws\//, /^\/docs/, /^\/metrics/, /^\/healthz/, /^\/readyz/];

export default defineConfig({
  plugins: [
    react(),
    // Installable app: a manifest and a service worker that precaches the built shell (HTML,
    // scripts, styles, icons) and nothing else: no runtime caching, so /api and /ws always
    // reach the network and a signed-in answer is never kept.
    VitePWA({
      registerType: 'autoUpdate',
      // Registered in main.tsx, so no extra inline or generated script reaches the page.
      injectRegister: false,
      manifest: {
        name: 'Athlete Platform',
        short_name: 'Athlete',
        description: 'Live heart rate, speed and GPS for athletes and coaches.',
        id: '/',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#0d1117',
        theme_color: '#0d1117',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: SERVER_PATHS,
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/docs': { target: apiTarget, changeOrigin: false },
      '/ws': { target: apiTarget, ws: true },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    // No manual chunks: charts (chart.js) and maps (leaflet) are reached only through lazily
    // loaded pages, so the bundler keeps them out of the first load on its own.
  },
});
