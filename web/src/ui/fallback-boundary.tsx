// Renders its children, or `fallback` in their place once rendering them threw (for example a
// lazily loaded part whose code could not be downloaded).
import { Component, type ReactNode } from "react";

export interface FallbackBoundaryProps {
  fallback: ReactNode;
  children: ReactNode;
}

export class FallbackBoundary extends Component<FallbackBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
