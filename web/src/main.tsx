// Entry of the web app.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/session.css";
import "./styles/turn.css";
import "./styles/markdown.css";
import "./styles/stats.css";
import "./styles/controls.css";
import "./styles/new-session.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
