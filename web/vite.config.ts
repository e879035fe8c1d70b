// Builds the web app into web/dist, which the Worker serves as static assets.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: "web",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/api": { target: "http://127.0.0.1:8787", ws: true } } },
});
