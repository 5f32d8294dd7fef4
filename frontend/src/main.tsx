// The entry is kept light for weak mobile links: React, the router, i18n and the session only.
// The login page is plain HTML and CSS; everything with antd (the rest of the app) is one lazy
// chunk, fetched while the user types the password.
import { StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Route, Routes, useLocation } from "react-router-dom";
import "./i18n";
import "./index.css";
import { ChunkErrorBoundary } from "./components/ChunkErrorBoundary";
import { BootFallback } from "./components/BootFallback";
import { lazyRetry } from "./lib/lazyRetry";
import { loadApp } from "./preload";
import { UpdatePrompt } from "./components/UpdatePrompt";

const LoginPage = lazyRetry(() => import("./features/login/LoginPage"));
const PublicBoardPage = lazyRetry(() => import("./features/disclosures/PublicBoardPage"));
const App = lazyRetry(loadApp);

function Root() {
  const location = useLocation();
  return (
    <ChunkErrorBoundary resetKey={location.pathname}>
      <Suspense fallback={<BootFallback />}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/public/villages/:id" element={<PublicBoardPage />} />
          <Route path="*" element={<App />} />
        </Routes>
      </Suspense>
      <UpdatePrompt />
    </ChunkErrorBoundary>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BrowserRouter>
      <Root />
    </BrowserRouter>
  </StrictMode>,
);

