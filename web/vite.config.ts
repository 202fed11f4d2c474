/// <reference types="vitest/config" />
// The web app's build: Vue single-file components, output in dist/ for the gateway to serve.
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// `npm run dev` proxies the API to the gateway `make run` starts (one origin, as in production).
const gateway = process.env.CIVILOOP_GATEWAY ?? "http://127.0.0.1:8100";

export default defineConfig({
  plugins: [vue()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  server: { host: "127.0.0.1", proxy: { "/api": { target: gateway, changeOrigin: false } } },
  test: { include: ["tests/**/*.test.ts"], environment: "node" },
});
