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
        const css = typeof file.source === "string" ? file.source : new TextDecoder().decode(file.source);
        source = source.replace(link, () => `<style>${css}</style>`);
      }
      // The login route's chunks start downloading with the entry instead of after it has run.
      const login = Object.values(bundle).find(
        (file) => file.type === "chunk" && file.facadeModuleId?.endsWith("/src/features/login/LoginPage.tsx"),
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
