// The one handle on VS Code a webview has. Typed here so the rest of the webview posts only
// protocol messages and stores only the panel state.
import { FromWebviewMessage, PanelState } from '../src/core/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel {
  post(message: FromWebviewMessage): void;
  /** Raw saved state: validate with parsePanelState before use. */
  loadState(): unknown;
  saveState(state: PanelState): void;
}

/** acquireVsCodeApi may be called once per page; this wraps that one call. */
export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => api.getState(),
    saveState: (state) => api.setState(state),
  };
}
