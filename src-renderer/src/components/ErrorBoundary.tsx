/**
 * A screen that fails to render shows what went wrong and a way back instead of blanking the
 * whole window. Each screen has its own boundary, so the header, the navigation and the jobs stay
 * usable; `resetKey` changing (another stage, another project) clears the failure.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { errorMessage } from '../errors';

interface Props {
  /** What failed, as the user names it ("The Clusters screen"). */
  what: string;
  /** The way back: a label and what it does. */
  back: { label: string; go(): void };
  resetKey?: unknown;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: unknown }> {
  override state = { error: null as unknown };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Kept for whoever reads the console or a bug report: the message alone lacks the component stack.
    console.error(`${this.props.what} failed to render:`, error, info.componentStack);
  }

  override componentDidUpdate(prev: Props): void {
    if (this.state.error !== null && prev.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    const { what, back } = this.props;
    return (
      <div className="screen-error" role="alert" data-testid="screen-error">
        <h2>{what} stopped working</h2>
        <p className="mono small" data-testid="screen-error-message">
          {errorMessage(this.state.error)}
        </p>
        <p className="muted small">Nothing was lost: the project is stored by the engine. Go back, or try the screen again.</p>
        <div className="screen-error-actions">
          <button type="button" className="btn primary" onClick={back.go} data-testid="screen-error-back">
            {back.label}
          </button>
          <button type="button" className="btn" onClick={() => this.setState({ error: null })} data-testid="screen-error-retry">
            Try again
          </button>
        </div>
      </div>
    );
  }
}
