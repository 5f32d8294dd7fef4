// Around every lazy route: a chunk that still fails after its retries (or a page that throws)
// shows a Chinese message with a retry button instead of a white page. No antd here: this also
// wraps the login route, which must stay light.
import { Component, type ReactNode } from "react";
import i18n from "../i18n";
import { isChunkError } from "../lib/lazyRetry";

interface State {
  error: unknown;
}

export class ChunkErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  componentDidUpdate(previous: { resetKey?: string }) {
    // Navigating elsewhere gives the next page its own chance.
    if (previous.resetKey !== this.props.resetKey && this.state.error !== null) this.setState({ error: null });
  }

  render() {
    if (this.state.error === null) return this.props.children;
    const chunk = isChunkError(this.state.error);
    return (
      <div className="chunk-error" role="alert" data-testid="chunk-error">
        <h1 tabIndex={-1}>{i18n.t(chunk ? "boot.chunkFailed" : "boot.pageFailed")}</h1>
        <p>{i18n.t(chunk ? "boot.chunkHint" : "boot.pageHint")}</p>
        <button type="button" className="plain-button primary" data-testid="chunk-retry" onClick={() => window.location.reload()}>
          {i18n.t("common.retry")}
        </button>
      </div>
    );
  }
}
