import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { VitePWA } from "vite-plugin-pwa";
import type { Plugin } from "vite";

/**
 * The app's own CSS is small (a few KB): inlined into index.html it no longer blocks the first
 * paint for another round trip (800 ms on the links the teams use).
 */
function inlineEntryCss(): Plugin {
  return {
    name: "zhucun-inline-entry-css",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      const html = bundle["index.html"];
      if (!html || html.type !== "asset" || typeof html.source !== "string") return;
      let source = html.source;
      for (const file of Object.values(bundle)) {
        if (file.type !== "asset" || !file.fileName.endsWith(".css")) continue;
        const link = new RegExp(`<link rel="stylesheet"[^>]*href="/${file.fileName}"[^>]*>`);
        if (!link.test(source)) continue;
        const css = typeof file.source === "string" ? file.source : new TextDecoder().decode(file.source);
        source = source.replace(link, () => `<style>${css}</style>`);
        // Already in the page: a dynamic import waits for the stylesheets of the chunks it loads,
        // and Vite's loader, finding no <link> for this one, would fetch it again and hold every
        // lazy page (the first page after login too) until it arrived. This hook runs before Vite
        // writes those lists, which it takes from `importedCss`.
        for (const chunk of Object.values(bundle)) {
          if (chunk.type === "chunk") chunk.viteMetadata?.importedCss.delete(file.fileName);
        }
        delete bundle[file.fileName];
      }
      // The login route's chunks start downloading with the entry instead of after it has run.
      const login = Object.values(bundle).find(
        // The chunk holding the login page (small chunks merged into it make it no longer its facade).
        (file) => file.type === "chunk" && file.moduleIds.some((id) => id.endsWith("/src/features/login/LoginPage.tsx")),
      );
      if (login && login.type === "chunk") {
        const files = [login.fileName, ...login.imports.filter((name) => !(bundle[name]?.type === "chunk" && (bundle[name] as { isEntry?: boolean }).isEntry))];
        const links = files.map((name) => `<link rel="modulepreload" crossorigin href="/${name}">`).join("");
        source = source.replace("</head>", `${links}</head>`);
      }
      html.source = source;
    },
  };
}

const backend = "http://127.0.0.1:8080";

// Changes with every build: busts the offline copy of the query cache when the app changes.
const APP_VERSION = process.env.ZHUCUN_APP_VERSION ?? new Date().toISOString();

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(APP_VERSION) },
  plugins: [
    react(),
    inlineEntryCss(),
    VitePWA({
      // A new version waits for the user's yes (src/sw.ts shows the prompt).
      registerType: "prompt",
      injectRegister: false,
      manifest: {
        name: "驻村工作管理",
        short_name: "驻村工作",
        lang: "zh-CN",
        start_url: "/",
        display: "standalone",
        theme_color: "#0958d9",
        background_color: "#f0f2f5",
        icons: [],
      },
      workbox: {
        // The app shell and every chunk, so a repeat visit (and an offline one) needs no network.
        globPatterns: ["**/*.{js,css,html,svg,png,woff2}"],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        navigateFallback: "/index.html",
        // The API and the API's own pages (Swagger UI under /docs) are never answered by the SPA shell.
        navigateFallbackDenylist: [/^\/api\//, /^\/docs(\/|$)/, /^\/healthz/, /^\/readyz/, /^\/metrics/],
        cleanupOutdatedCaches: true,
        clientsClaim: false,
        skipWaiting: false,
      },
    }),
  ],
  server: {
    proxy: {
      "/api": backend,
      "/docs": backend,
      "/healthz": backend,
    },
  },
  build: {
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // At 800 ms a round trip, a chunk costs as much as ~25 KB at 256 kbit/s, and a browser asks
        // for six at a time over HTTP/1.1: chunks below 30 KB without side effects are merged
        // into one loaded under similar conditions. The administrator's first page after login
        // came in 37 chunks, now 18, for 4 KB more (measured with `bench/weak-link.mjs`).
        experimentalMinChunkSize: 30_000,
      },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    watch: false,
    // antd renders slowly in jsdom on a 2-core machine shared with Rust builds.
    testTimeout: 30_000,
  },
});
